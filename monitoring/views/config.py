"""Configuration page: one form per monitoring section (``monitoring``, ``tools``,
``feature-ignore``, ``log-import``, ``analytics``), each saved with ``config.update``
(validated by the section, audited)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from limon_site import config
from limon_site.panel.access import staff_required
from monitoring.conf import ANALYTICS, FEATURE_IGNORE, LOG_IMPORT, MONITORING, TOOLS
from monitoring.forms import (
    AnalyticsConfigForm,
    FeatureIgnoreConfigForm,
    LogImportConfigForm,
    MonitoringConfigForm,
    ToolsConfigForm,
)
from monitoring.views.common import run

#: section name → (form class, heading)
SECTIONS = {
    MONITORING: (MonitoringConfigForm, "Polling, retention and saturation"),
    TOOLS: (ToolsConfigForm, "Status tools"),
    FEATURE_IGNORE: (FeatureIgnoreConfigForm, "Features ignored when polling"),
    LOG_IMPORT: (LogImportConfigForm, "Debug-log import"),
    ANALYTICS: (AnalyticsConfigForm, "Usage analytics"),
}


def _initial(name: str, form_class) -> dict:
    values = config.get(name)
    if hasattr(form_class, "initial_from"):
        return form_class.initial_from(values)
    return {key: values[key] for key in form_class.base_fields}


@staff_required
def config_page(request):
    """GET shows every section; a POST names the ``section`` it saves and re-shows that form
    with the section's validation errors."""
    forms = {
        name: form_class(initial=_initial(name, form_class), prefix=name)
        for name, (form_class, _) in SECTIONS.items()
    }
    status = 200
    if request.method == "POST":
        name = request.POST.get("section", "")
        if name not in SECTIONS:
            messages.error(request, "Unknown configuration section.")
            return redirect("monitoring:config")
        form = SECTIONS[name][0](request.POST, prefix=name)
        forms[name] = form
        if form.is_valid() and run(
            request,
            lambda: config.update(name, form.values(), actor=request.user),
            form=form,
            success="Configuration saved; it applies from the next poll.",
        ):
            return redirect("monitoring:config")
        status = 400
    sections = [
        {"name": name, "heading": heading, "form": forms[name]}
        for name, (_, heading) in SECTIONS.items()
    ]
    return render(request, "monitoring/config.html", {"sections": sections}, status=status)
