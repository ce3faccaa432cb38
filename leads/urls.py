"""The CRM's paths: the seed's HTML routes (``/leads/``, ``create``, ``edit/{id}``,
``update/{id}``, ``delete/{id}``, ``export``, ``import``), the pages behind them, and the API."""

from django.urls import include, path

from leads.views import contacts, institutions, notes, overview, transfer

app_name = "leads"

urlpatterns = [
    path("", include("leads.api.urls")),
    path("leads/", overview.overview, name="overview"),
    path("leads/create", institutions.create, name="create"),
    path("leads/edit/<int:pk>", institutions.edit, name="edit"),
    path("leads/update/<int:pk>", institutions.update, name="update"),
    path("leads/delete/<int:pk>", institutions.delete, name="delete"),
    path("leads/export", transfer.export, name="export"),
    path("leads/import", transfer.import_leads, name="import"),
    path("leads/<int:pk>", institutions.detail, name="detail"),
    path("leads/<int:pk>/convert", institutions.convert, name="convert"),
    path("leads/<int:pk>/status", institutions.change_status, name="status"),
    path("leads/<int:pk>/activities", institutions.log_activity, name="log-activity"),
    path("leads/<int:pk>/contacts", contacts.add_contact, name="add-contact"),
    path("leads/<int:pk>/notes", notes.add_institution_note, name="add-note"),
    path("leads/contacts/<int:pk>", contacts.contact, name="contact"),
    path("leads/contacts/<int:pk>/delete", contacts.delete_contact, name="delete-contact"),
    path("leads/contacts/<int:pk>/details", contacts.add_detail, name="add-detail"),
    path("leads/contacts/<int:pk>/notes", notes.add_contact_note, name="add-contact-note"),
    path("leads/details/<int:pk>/delete", contacts.delete_detail, name="delete-detail"),
    path("leads/notes/<int:pk>/edit", notes.edit_note, name="edit-note"),
    path("leads/notes/<int:pk>/delete", notes.delete_note, name="delete-note"),
    path("leads/notes/<int:pk>/versions", notes.note_versions, name="note-versions"),
]
