from django.urls import path

from leads.api import contacts, institutions, notes

urlpatterns = [
    path("leads/api/stats", institutions.StatsView.as_view(), name="api-stats"),
    path(
        "leads/api/institutions",
        institutions.InstitutionListView.as_view(),
        name="api-institutions",
    ),
    path(
        "leads/api/institutions/<int:pk>",
        institutions.InstitutionDetailView.as_view(),
        name="api-institution",
    ),
    path(
        "leads/api/institutions/<int:pk>/status",
        institutions.InstitutionStatusView.as_view(),
        name="api-institution-status",
    ),
    path(
        "leads/api/institutions/<int:pk>/convert",
        institutions.InstitutionConvertView.as_view(),
        name="api-institution-convert",
    ),
    path("leads/api/contacts", contacts.ContactListView.as_view(), name="api-contacts"),
    path(
        "leads/api/contacts/<int:pk>",
        contacts.ContactDetailView.as_view(),
        name="api-contact",
    ),
    path(
        "leads/api/contacts/<int:pk>/details",
        contacts.ContactDetailsView.as_view(),
        name="api-contact-details",
    ),
    path("leads/api/details/<int:pk>", contacts.DetailView.as_view(), name="api-detail"),
    path("leads/api/notes", notes.NoteListView.as_view(), name="api-notes"),
    path("leads/api/notes/<int:pk>", notes.NoteDetailView.as_view(), name="api-note"),
    path(
        "leads/api/notes/<int:pk>/versions",
        notes.NoteVersionsView.as_view(),
        name="api-note-versions",
    ),
    path("leads/api/activities", notes.ActivityListView.as_view(), name="api-activities"),
    path(
        "leads/api/activities/<int:pk>",
        notes.ActivityDetailView.as_view(),
        name="api-activity",
    ),
]
