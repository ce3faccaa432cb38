"""Built-in application templates and applying them to an application."""

import re

import pytest

from limon_site.errors import NotFound
from limon_site.models import AuditEvent
from monitoring import app_templates
from monitoring.models import FeatureMapping
from monitoring.services.mappings import mapping_for
from monitoring.services.templates import apply_template
from monitoring.simulator import estate
from tests.monitoring.factories import ApplicationFactory


def _matches(pattern, name):
    if pattern.match_type == app_templates.EXACT:
        return pattern.pattern == name
    return re.fullmatch(pattern.pattern, name) is not None


@pytest.mark.parametrize("template", app_templates.TEMPLATES.values(), ids=lambda t: t.key)
def test_every_template_maps_its_keystone_exactly_and_its_regexes_compile(template):
    assert template.name and template.vendor and template.category
    assert any(p.pattern == template.keystone and p.match_type == "exact"
               for p in template.patterns)  # fmt: skip
    for pattern in template.patterns:
        if pattern.match_type == app_templates.REGEX:
            re.compile(pattern.pattern)


def test_templates_never_claim_another_products_features():
    for spec in estate.FEATURES:
        claimed = [t.key for t in app_templates.TEMPLATES.values()
                   if any(_matches(p, spec.name) for p in t.patterns)]  # fmt: skip
        assert claimed == [spec.app], spec.name


def test_well_known_products_are_in_the_library():
    names = {t.name for t in app_templates.TEMPLATES.values()}
    assert {"MATLAB", "ANSYS Mechanical", "AutoCAD", "Siemens NX", "Abaqus", "ArcGIS Desktop",
            "COMSOL Multiphysics", "SolidWorks"} <= names  # fmt: skip
    assert app_templates.choices()[0][1].lower() <= app_templates.choices()[-1][1].lower()


@pytest.mark.django_db
def test_applying_a_template_creates_its_mappings_once():
    app = ApplicationFactory(name="MATLAB")
    created = apply_template(app, "matlab", actor="user:alice")
    template = app_templates.get("matlab")
    assert len(created) == len(template.patterns)
    assert set(app.mappings.values_list("pattern", flat=True)) == {
        p.pattern for p in template.patterns
    }
    app.refresh_from_db()
    assert app.template == "matlab"
    assert AuditEvent.objects.filter(action="application.template_applied").count() == 1
    assert apply_template(app, "matlab", actor="user:alice") == []
    assert FeatureMapping.objects.count() == len(template.patterns)
    assert AuditEvent.objects.filter(action="application.template_applied").count() == 1


@pytest.mark.django_db
def test_template_mappings_name_toolboxes_through_the_regular_expression():
    app = ApplicationFactory(name="MATLAB")
    apply_template(app, "matlab", actor="user:alice")
    toolbox = mapping_for("Wavelet_Toolbox")
    assert toolbox.display_name == "MATLAB toolbox" and toolbox.application == app
    assert mapping_for("MATLAB").match_type == "exact"


@pytest.mark.django_db
def test_a_pattern_already_mapped_by_an_administrator_is_left_alone():
    other = ApplicationFactory(name="In-house MATLAB bundle")
    FeatureMapping.objects.create(pattern="SIMULINK", display_name="Our Simulink",
                                  application=other)  # fmt: skip
    app = ApplicationFactory(name="MATLAB")
    created = apply_template(app, "matlab", actor="user:alice")
    assert "SIMULINK" not in {m.pattern for m in created}
    assert FeatureMapping.objects.get(pattern="SIMULINK").application == other


@pytest.mark.django_db
def test_an_unknown_template_is_not_found():
    app = ApplicationFactory()
    with pytest.raises(NotFound) as caught:
        apply_template(app, "no-such-product", actor="user:alice")
    assert "matlab" in caught.value.details["templates"]
    assert not FeatureMapping.objects.exists()
