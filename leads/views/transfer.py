"""``GET /leads/export`` (CSV or XLSX of the current filter, streamed) and ``/leads/import``
(upload → preview of new, updated and invalid rows → confirm, all or nothing)."""

from django.contrib import messages
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from leads import conf, exporters, importers
from leads.forms import ImportForm
from leads.importers import previews
from leads.views.overview import filtered_institutions
from limon_site.errors import LimonError
from limon_site.panel.access import staff_required

PREVIEW_ROWS = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@staff_required
@require_GET
def export(request):
    _, queryset = filtered_institutions(request)
    rows = exporters.export_rows(queryset)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if request.GET.get("format") == "xlsx":
        return FileResponse(
            exporters.xlsx_file(rows),
            as_attachment=True,
            filename=f"leads-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response = StreamingHttpResponse(
        exporters.csv_chunks(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="leads-{stamp}.csv"'
    return response


@staff_required
def import_leads(request):
    """GET: the upload form. POST with a file: the preview. POST with a token: confirm/cancel."""
    settings = conf.get()
    if request.method == "POST" and request.POST.get("token"):
        return _confirm(request, settings)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
        else:
            try:
                sheet = importers.read_sheet(
                    upload, filename=upload.name, max_rows=settings["import_max_rows"]
                )
            except importers.UnreadableFile as error:
                form.add_error("file", str(error))
            else:
                return _preview(request, settings, upload.name, sheet)
    return render(request, "leads/import.html", {"form": form}, status=400 if form.errors else 200)


def _preview(request, settings, filename: str, sheet):
    previews.purge(max_age_hours=settings["import_preview_hours"])
    plan = importers.plan_import(sheet.rows, default_region=settings["default_phone_region"])
    token = previews.save(
        request, filename=filename, rows=sheet.rows, unknown_headers=sheet.unknown_headers
    )
    listed = {
        outcome: [row for row in plan.rows if row.outcome == outcome][:PREVIEW_ROWS]
        for outcome in ("invalid", "new", "updated")
    }
    return render(
        request,
        "leads/import_preview.html",
        {
            "token": token,
            "filename": filename,
            "summary": plan.summary(),
            "total_rows": len(plan.rows),
            "is_valid": plan.is_valid,
            "listed": listed,
            "preview_rows": PREVIEW_ROWS,
            "unknown_headers": sheet.unknown_headers,
        },
    )


def _confirm(request, settings):
    token = request.POST["token"]
    if request.POST.get("action") == "cancel":
        previews.discard(token)
        messages.info(request, "Import cancelled; nothing was changed.")
        return redirect("leads:overview")
    try:
        pending = previews.load(request, token, max_age_hours=settings["import_preview_hours"])
        result = importers.run_import(
            pending.rows,
            actor=request.user,
            default_region=settings["default_phone_region"],
            filename=pending.filename,
        )
    except LimonError as error:
        messages.error(request, error.message)
        return redirect("leads:import")
    previews.discard(token)
    messages.success(
        request,
        f"Imported {pending.filename}: {result['institutions_created']} institutions created, "
        f"{result['institutions_updated']} updated, {result['contacts_created']} contacts and "
        f"{result['details_created']} details added.",
    )
    return redirect("leads:overview")
