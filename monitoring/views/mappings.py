"""Feature-mapping pages: list with search, create, edit, delete (exact name or regex)."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from limon_site.panel.access import staff_required
from monitoring import queries
from monitoring.api.filters import FeatureMappingFilter
from monitoring.forms import MappingForm
from monitoring.models import FeatureMapping
from monitoring.services import catalog
from monitoring.views.common import paginate, run


@staff_required
def mapping_list(request):
    filterset = FeatureMappingFilter(request.GET, queryset=queries.mappings())
    return render(
        request,
        "monitoring/mappings.html",
        {"filter": filterset, **paginate(request, filterset.qs)},
    )


@staff_required
def mapping_new(request):
    initial = (
        {"application": request.GET.get("application")} if request.GET.get("application") else None
    )
    form = MappingForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and run(
            request,
            lambda: catalog.create_mapping(actor=request.user, **form.cleaned_data),
            form=form,
            success=f"Mapping {form.cleaned_data['pattern']} created.",
        )
    ):
        return redirect("monitoring:mappings")
    return render(request, "monitoring/mapping_form.html", {"form": form})


@staff_required
def mapping_edit(request, pk: int):
    mapping = get_object_or_404(FeatureMapping, pk=pk)
    form = MappingForm.for_mapping(mapping, data=request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run(
            request,
            lambda: catalog.update_mapping(mapping, actor=request.user, **form.cleaned_data),
            form=form,
            success="Mapping saved.",
        )
    ):
        return redirect("monitoring:mappings")
    return render(request, "monitoring/mapping_form.html", {"form": form, "mapping": mapping})


@staff_required
@require_POST
def mapping_delete(request, pk: int):
    mapping = get_object_or_404(FeatureMapping, pk=pk)
    run(
        request,
        lambda: catalog.delete_mapping(mapping, actor=request.user),
        success=f"Mapping {mapping.pattern} deleted.",
    )
    return redirect("monitoring:mappings")
