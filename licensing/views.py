"""Panel pages of the licensing side (the staff pages of issue 8 join them here)."""

from django.shortcuts import render

from licensing import queries
from licensing.models import Product
from limon_site.panel.access import staff_required


@staff_required
def products_page(request):
    products = Product.objects.prefetch_related("releases").order_by("name")
    live = queries.live_session_counts_by_product()
    rows = [
        {
            "product": product,
            "releases": queries.releases_newest_first(product),
            "latest": queries.latest_version_string(product),
            "live_sessions": live.get(product.name, 0),
            "license_count": product.licenses.count(),
        }
        for product in products
    ]
    return render(request, "licensing/products.html", {"rows": rows})
