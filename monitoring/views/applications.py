"""Application pages: list, detail (deployments, keystone selector, feature mappings),
create (optionally from a built-in template), edit, delete; deployments added, edited and
removed from the application's page."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from limon_site.panel.access import staff_required
from monitoring import app_templates, queries
from monitoring.api.filters import ApplicationFilter
from monitoring.forms import (
    ApplicationForm,
    DeploymentForm,
    KeystoneForm,
    NewApplicationForm,
)
from monitoring.models import Application, Deployment
from monitoring.services import catalog, templates
from monitoring.views.common import paginate, run


@staff_required
def application_list(request):
    filterset = ApplicationFilter(request.GET, queryset=queries.applications_overview())
    return render(
        request,
        "monitoring/applications.html",
        {"filter": filterset, **paginate(request, filterset.qs)},
    )


@staff_required
def application_detail(request, pk: int):
    return _detail(request, pk)


def _detail(request, pk: int, *, keystone_form=None, deployment_form=None, status=200):
    application = get_object_or_404(queries.applications_overview(), pk=pk)
    candidates = list(queries.keystone_candidates(application))
    context = {
        "application": application,
        "deployments": application.deployments.select_related("server", "server__site"),
        "mappings": queries.application_mappings(application),
        "keystone_form": keystone_form
        or KeystoneForm(
            initial={"keystone_feature": application.keystone_feature_id}, candidates=candidates
        ),
        "deployment_form": deployment_form or DeploymentForm(),
    }
    return render(request, "monitoring/application_detail.html", context, status=status)


@staff_required
def application_new(request):
    form = NewApplicationForm(request.POST or None, templates=app_templates.choices())
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        template = values.pop("template", "")
        application = run(request, lambda: _create(request.user, values, template), form=form)
        if application:
            messages.success(request, f"Application {application.name} created.")
            return redirect("monitoring:application", application.pk)
    return render(request, "monitoring/application_form.html", {"form": form})


@transaction.atomic
def _create(actor, values: dict, template: str) -> Application:
    """The application and its template's mappings together, or neither. Vendor and category
    left empty are taken from the template."""
    chosen = app_templates.get(template) if template else None
    if chosen:
        values["vendor"] = values["vendor"] or chosen.vendor
        values["category"] = values["category"] or chosen.category
    application = catalog.create_application(actor=actor, **values)
    if template:
        templates.apply_template(application, template, actor=actor)
    return application


@staff_required
def application_edit(request, pk: int):
    application = get_object_or_404(Application, pk=pk)
    form = ApplicationForm.for_application(application, data=request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run(
            request,
            lambda: catalog.update_application(
                application, actor=request.user, **form.cleaned_data
            ),
            form=form,
            success="Application saved.",
        )
    ):
        return redirect("monitoring:application", pk)
    return render(
        request, "monitoring/application_form.html", {"form": form, "application": application}
    )


@staff_required
@require_POST
def application_delete(request, pk: int):
    application = get_object_or_404(Application, pk=pk)
    if request.POST.get("confirm") != "yes":
        return render(request, "monitoring/application_delete.html", {"application": application})
    if run(
        request,
        lambda: catalog.delete_application(application, actor=request.user),
        success=f"Application {application.name} deleted.",
    ):
        return redirect("monitoring:applications")
    return redirect("monitoring:application", pk)


@staff_required
@require_POST
def application_keystone(request, pk: int):
    """The posted feature goes to ``set_keystone`` as is; it refuses one not deployed."""
    application = get_object_or_404(Application, pk=pk)
    form = KeystoneForm(request.POST, candidates=queries.keystone_candidates(application))
    if form.is_valid() and run(
        request,
        lambda: catalog.set_keystone(
            application, feature_id=form.cleaned_data["keystone_feature"], actor=request.user
        ),
        form=form,
        success="Keystone feature saved.",
    ):
        return redirect("monitoring:application", pk)
    return _detail(request, pk, keystone_form=form, status=400)


@staff_required
@require_POST
def deployment_new(request, pk: int):
    application = get_object_or_404(Application, pk=pk)
    form = DeploymentForm(request.POST)
    if form.is_valid() and run(
        request,
        lambda: catalog.create_deployment(
            actor=request.user, application=application, **form.cleaned_data
        ),
        form=form,
        success=f"Deployed on {form.cleaned_data['server']}.",
    ):
        return redirect("monitoring:application", pk)
    return _detail(request, pk, deployment_form=form, status=400)


@staff_required
def deployment_edit(request, pk: int):
    deployment = get_object_or_404(Deployment.objects.select_related("application"), pk=pk)
    form = DeploymentForm.for_deployment(deployment, data=request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run(
            request,
            lambda: catalog.update_deployment(deployment, actor=request.user, **form.cleaned_data),
            form=form,
            success="Deployment saved.",
        )
    ):
        return redirect("monitoring:application", deployment.application_id)
    return render(
        request, "monitoring/deployment_form.html", {"form": form, "deployment": deployment}
    )


@staff_required
@require_POST
def deployment_delete(request, pk: int):
    deployment = get_object_or_404(Deployment.objects.select_related("server"), pk=pk)
    run(
        request,
        lambda: catalog.delete_deployment(deployment, actor=request.user),
        success=f"Deployment on {deployment.server} removed.",
    )
    return redirect("monitoring:application", deployment.application_id)
