"""Product and release forms (the list is ``licensing.views.products_page``), through the
catalogue services of the licensing side."""

from django.shortcuts import get_object_or_404, redirect, render

from licensing.models import Product, Release
from licensing.panel.common import form_attempt
from licensing.panel.forms import ProductForm, ReleaseForm
from licensing.services import catalogue
from limon_site.panel.access import staff_required


@staff_required
def product_new(request):
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = form_attempt(
            request,
            form,
            lambda: catalogue.create_product(actor=request.user, **form.cleaned_data),
            success=lambda p: f"Product {p.name} created.",
        )
        if created:
            return redirect("licensing:products")
    return render(request, "licensing/staff/product_form.html", {"form": form})


@staff_required
def product_edit(request, pk: int):
    product = get_object_or_404(Product, pk=pk)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if form_attempt(
            request,
            form,
            lambda: catalogue.update_product(
                product=Product.objects.get(pk=pk), actor=request.user, **changes
            ),
            success="Product updated.",
        ):
            return redirect("licensing:products")
    return render(request, "licensing/staff/product_form.html", {"form": form, "product": product})


@staff_required
def release_new(request, pk: int):
    product = get_object_or_404(Product, pk=pk)
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        make_current = values.pop("make_current")
        if form_attempt(
            request,
            form,
            lambda: catalogue.create_release(
                product=product, make_current=make_current, actor=request.user, **values
            ),
            success=lambda r: f"Release {r.version} of {product.name} published.",
        ):
            return redirect("licensing:products")
    return render(request, "licensing/staff/release_form.html", {"form": form, "product": product})


@staff_required
def release_edit(request, pk: int):
    release = get_object_or_404(Release.objects.select_related("product"), pk=pk)
    initial = {
        "version": release.version,
        "release_date": release.release_date,
        "download_url": release.download_url,
        "release_notes": release.release_notes,
        "is_mandatory": release.is_mandatory,
        "make_current": release.product.current_version == release.version,
    }
    form = ReleaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        make_current = values.pop("make_current", None)
        if form_attempt(
            request,
            form,
            lambda: catalogue.update_release(
                release=release, make_current=make_current, actor=request.user, **values
            ),
            success="Release updated.",
        ):
            return redirect("licensing:products")
    return render(
        request,
        "licensing/staff/release_form.html",
        {"form": form, "product": release.product, "release": release},
    )
