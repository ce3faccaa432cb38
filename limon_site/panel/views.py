from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from limon_site import api_keys, health, product_license, search
from limon_site.api.authentication import client_ip, log_auth_failure
from limon_site.errors import LimonError
from limon_site.models import ApiKey, AuditEvent
from limon_site.panel import ratelimit
from limon_site.panel.access import staff_required
from limon_site.panel.forms import ApiKeyForm, InstallLicenseForm

NEW_KEY_SESSION = "panel:new_api_key"


class LoginView(auth_views.LoginView):
    """Django's login with a per-IP and per-username limit on attempts."""

    template_name = "limon_site/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        ip, username = client_ip(request), request.POST.get("username", "")
        if ratelimit.is_blocked(ip, username):
            log_auth_failure(request, "login_rate_limited")
            form = self.get_form()
            form.errors.clear()
            response = render(
                request,
                self.template_name,
                {
                    "form": form,
                    "blocked": True,
                },
                status=429,
            )
            response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        ratelimit.record_failure(client_ip(self.request), self.request.POST.get("username", ""))
        log_auth_failure(self.request, "bad_password")
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


@staff_required
def overview(request):
    return render(
        request,
        "limon_site/overview.html",
        {
            "database": health.database_check(),
            "cache": health.cache_check(),
            "task_queue": health.task_queue_check(),
            "license": product_license.current_status(),
            "active_keys": ApiKey.objects.usable().count(),
            "recent_audit": AuditEvent.objects.all()[:10],
        },
    )


@staff_required
def api_key_list(request):
    """Create (Post/Redirect/Get: the clear key is shown on the next page view only) and list."""
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key, clear = api_keys.create_api_key(
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_days=form.cleaned_data["expires_days"],
            created_by=request.user,
        )
        request.session[NEW_KEY_SESSION] = clear
        messages.success(request, f"Key “{key.name}” created. Copy it now: it is shown only once.")
        return redirect("panel:api-keys")
    return render(
        request,
        "limon_site/api_keys.html",
        {
            "form": form,
            "created_key": request.session.pop(NEW_KEY_SESSION, None),
            "keys": ApiKey.objects.select_related("created_by"),
        },
    )


@staff_required
@require_POST
def api_key_revoke(request, pk: int):
    key = ApiKey.objects.filter(pk=pk).first()
    if key:
        api_keys.revoke_api_key(prefix=key.prefix, actor=request.user)
        messages.success(request, f"Key {key.prefix}… revoked.")
    return redirect("panel:api-keys")


@staff_required
def product_license_page(request):
    form = InstallLicenseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product_license.install(key=form.cleaned_data["license_key"], actor=request.user)
        except LimonError as exc:
            form.add_error("license_key", exc.message)
        else:
            messages.success(request, "License installed.")
            return redirect("panel:license")
    return render(
        request,
        "limon_site/license.html",
        {
            "license": product_license.current_status(),
            "form": form,
        },
    )


@staff_required
def search_page(request):
    query = request.GET.get("q", "").strip()
    result_type = request.GET.get("type") or None
    try:
        results = search.search(query, result_type=result_type, limit=search.MAX_LIMIT)
    except LimonError as exc:
        results, error = [], exc.message
    else:
        error = None
    return render(
        request,
        "limon_site/search.html",
        {
            "query": query,
            "results": results,
            "error": error,
            "types": search.result_types(),
            "selected_type": result_type,
        },
    )
