"""Customer pages: search and list, create, edit, delete, and the customer's licenses and
statistics."""

from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from licensing import staff_queries
from licensing.api.staff.filters import CustomerFilter
from licensing.models import Customer
from licensing.panel.common import attempt, form_attempt, paginate
from licensing.panel.forms import CustomerForm
from licensing.services import customers
from limon_site.panel.access import staff_required


@staff_required
def customer_list(request):
    queryset = Customer.objects.annotate(license_count=Count("licenses")).order_by("name", "id")
    filterset = CustomerFilter(request.GET, queryset)
    return render(
        request,
        "licensing/staff/customers.html",
        {"filter": filterset, **paginate(request, filterset.qs)},
    )


@staff_required
def customer_new(request):
    form = CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        customer = form_attempt(
            request,
            form,
            lambda: customers.create_customer(actor=request.user, **form.cleaned_data),
            success=lambda c: f"Customer {c.name} created.",
        )
        if customer:
            return redirect("licensing:customer", customer.pk)
    return render(request, "licensing/staff/customer_form.html", {"form": form})


@staff_required
def customer_edit(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        updated = form_attempt(
            request,
            form,
            lambda: customers.update_customer(
                customer=customer, actor=request.user, **form.cleaned_data
            ),
            success="Customer updated.",
        )
        if updated:
            return redirect("licensing:customer", customer.pk)
    return render(
        request, "licensing/staff/customer_form.html", {"form": form, "customer": customer}
    )


@staff_required
def customer_detail(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    return render(
        request,
        "licensing/staff/customer_detail.html",
        {
            "customer": customer,
            "stats": staff_queries.customer_quick_stats(customer),
            "licenses": staff_queries.customer_licenses(customer),
        },
    )


@staff_required
@require_POST
def customer_delete(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    name = customer.name
    if attempt(
        request,
        lambda: customers.delete_customer(customer=customer, actor=request.user),
        success=f"Customer {name} deleted.",
    ):
        return redirect("licensing:customers")
    return redirect("licensing:customer", pk)
