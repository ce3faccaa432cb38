"""Applying a built-in application template (:mod:`monitoring.app_templates`): the
template's feature-name patterns become global feature mappings of the application.

Idempotent: a pattern already mapped on all servers is left as it is, whichever
application it belongs to (an administrator's mapping is never taken over), so applying
a template twice creates nothing the second time.
"""

from __future__ import annotations

from django.db import transaction

from limon_site.errors import NotFound
from monitoring import app_templates
from monitoring.app_templates import REGEX
from monitoring.models import Application, FeatureMapping
from monitoring.services import mappings
from monitoring.services._common import record

#: Regular expressions of a template rank after the other mappings of the same kind.
REGEX_PRIORITY = 200
EXACT_PRIORITY = 100


@transaction.atomic
def apply_template(application: Application, key: str, *, actor) -> list[FeatureMapping]:
    """Create the mappings of template ``key`` for ``application``; returns the new ones."""
    template = app_templates.get(key)
    if template is None:
        raise NotFound(
            f"No application template {key!r}",
            code="TEMPLATE_NOT_FOUND",
            details={"templates": sorted(app_templates.TEMPLATES)},
        )
    app = Application.objects.select_for_update().get(pk=application.pk)
    taken = set(
        FeatureMapping.objects.filter(server__isnull=True).values_list("pattern", "match_type")
    )
    created = []
    for item in template.patterns:
        if (item.pattern, item.match_type) in taken:
            continue
        created.append(
            mappings.create_mapping(
                actor=actor,
                pattern=item.pattern,
                match_type=item.match_type,
                display_name=item.display_name,
                application=app,
                priority=REGEX_PRIORITY if item.match_type == REGEX else EXACT_PRIORITY,
            )
        )
    if app.template != key:
        record(
            actor=actor,
            action="application.template_applied",
            target_id=app.pk,
            before={"template": app.template},
            after={"template": key},
        )
        app.template = key
        app.save(update_fields=["template", "updated_at"])
        application.template = key
    return created
