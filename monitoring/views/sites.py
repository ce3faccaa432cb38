"""Site pages: list with servers up/total, create, edit, delete with a confirmation step."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from limon_site.errors import LimonError
from limon_site.panel.access import staff_required
from monitoring import queries
from monitoring.api.filters import SiteFilter
from monitoring.forms import SiteForm
from monitoring.models import Site
from monitoring.services import catalog
from monitoring.views.common import paginate, run


@staff_required
def site_list(request):
    filterset = SiteFilter(request.GET, queryset=queries.sites_overview())
    return render(
        request, "monitoring/sites.html", {"filter": filterset, **paginate(request, filterset.qs)}
    )


@staff_required
def site_new(request):
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        site = run(
            request,
            lambda: catalog.create_site(actor=request.user, **form.cleaned_data),
            form=form,
            success=f"Site {form.cleaned_data['name']} created.",
        )
        if site:
            return redirect("monitoring:sites")
    return render(request, "monitoring/site_form.html", {"form": form})


@staff_required
def site_edit(request, pk: int):
    site = get_object_or_404(Site, pk=pk)
    form = SiteForm.for_site(site, data=request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run(
            request,
            lambda: catalog.update_site(site, actor=request.user, **form.cleaned_data),
            form=form,
            success="Site saved.",
        )
    ):
        return redirect("monitoring:sites")
    return render(request, "monitoring/site_form.html", {"form": form, "site": site})


@staff_required
@require_POST
def site_delete(request, pk: int):
    """The first POST asks for confirmation; the confirming POST deletes, or shows why not
    (409: servers still belong to the site)."""
    site = get_object_or_404(queries.sites_overview(), pk=pk)
    context = {"site": site}
    if request.POST.get("confirm") == "yes":
        try:
            catalog.delete_site(site, actor=request.user)
        except LimonError as error:
            context.update(error=error.message, blocking=error.details.get("servers") or [])
            return render(request, "monitoring/site_delete.html", context, status=error.status)
        messages.success(request, f"Site {site.name} deleted.")
        return redirect("monitoring:sites")
    return render(request, "monitoring/site_delete.html", context)
