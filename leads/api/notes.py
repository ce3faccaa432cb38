"""``/leads/api/notes`` (versioned notes) and ``/leads/api/activities`` (the timeline)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from leads import services
from leads.api import serializers as s
from leads.api.common import TAGS, get_or_404
from leads.api.filters import ActivityFilter, NoteFilter
from leads.api.pagination import keyed
from leads.models import Activity, Contact, Institution, Note
from limon_site.api.schema import errors


@extend_schema(tags=TAGS)
class NoteListView(generics.ListAPIView):
    """Notes, newest first; soft-deleted ones only with ``include_deleted=true``."""

    api_scope = "admin"
    serializer_class = s.NoteSerializer
    pagination_class = keyed("notes")
    filterset_class = NoteFilter
    queryset = Note.objects.all()

    @extend_schema(responses={200: s.NoteSerializer(many=True), **errors(400, 401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=s.NoteCreateSerializer,
        responses={201: s.NoteSerializer, **errors(400, 401, 403, 404)},
        description="A note on an institution (`institution_id`) or a contact (`contact_id`). "
        "Version 1; recorded as a `note` activity.",
    )
    def post(self, request):
        data = s.NoteCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        institution_id = data.validated_data.get("institution_id")
        contact_id = data.validated_data.get("contact_id")
        note = services.add_note(
            content=data.validated_data["content"],
            institution=get_or_404(Institution, institution_id) if institution_id else None,
            contact=get_or_404(Contact, contact_id) if contact_id else None,
            actor=request.user,
        )
        return Response(s.NoteSerializer(note).data, status=201)


@extend_schema(tags=TAGS)
class NoteDetailView(APIView):
    api_scope = "admin"

    @extend_schema(responses={200: s.NoteSerializer, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        """A note, also once deleted (``deleted_at`` set)."""
        return Response(s.NoteSerializer(get_or_404(Note, pk)).data)

    @extend_schema(
        request=s.NoteEditSerializer,
        responses={200: s.NoteSerializer, **errors(400, 401, 403, 404, 409)},
        description="Edit: stores a new version (earlier ones stay, with author and time) and "
        "increments `version`. `expected_version` guards against overwriting a newer edit "
        "(409 `NOTE_VERSION_CONFLICT`); a deleted note is 409 `NOTE_DELETED`.",
    )
    def patch(self, request, pk: int):
        note = get_or_404(Note, pk)
        data = s.NoteEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.edit_note(note=note, actor=request.user, **data.validated_data)
        return Response(s.NoteSerializer(note).data)

    @extend_schema(
        request=s.NoteEditSerializer,
        responses={200: s.NoteSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def put(self, request, pk: int):
        return self.patch(request, pk)

    @extend_schema(responses={204: None, **errors(401, 403, 404)})
    def delete(self, request, pk: int):
        """Soft delete: the note leaves the lists; ``GET .../versions`` still answers."""
        services.delete_note(note=get_or_404(Note, pk), actor=request.user)
        return Response(status=204)


@extend_schema(tags=TAGS)
class NoteVersionsView(APIView):
    api_scope = "admin"

    @extend_schema(responses={200: s.NoteVersionsSerializer, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        """Every version of a note, oldest first, with its author and time."""
        note = get_or_404(Note, pk)
        return Response(
            s.NoteVersionsSerializer(
                {
                    "note_id": note.pk,
                    "current_version": note.version,
                    "deleted_at": note.deleted_at,
                    "versions": note.versions.order_by("version"),
                }
            ).data
        )


@extend_schema(tags=TAGS)
class ActivityListView(generics.ListAPIView):
    """The timeline, newest first: calls, meetings, e-mails, notes, status changes, conversions."""

    api_scope = "admin"
    serializer_class = s.ActivitySerializer
    pagination_class = keyed("activities")
    filterset_class = ActivityFilter
    queryset = Activity.objects.all()

    @extend_schema(responses={200: s.ActivitySerializer(many=True), **errors(400, 401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=s.ActivityCreateSerializer,
        responses={201: s.ActivitySerializer, **errors(400, 401, 403, 404)},
        description="Log a call, meeting or e-mail. Notes, status changes and conversions are "
        "recorded by LiMon itself.",
    )
    def post(self, request):
        data = s.ActivityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        institution = get_or_404(Institution, values.pop("institution_id"))
        contact_id = values.pop("contact_id", None)
        contact = get_or_404(Contact, contact_id) if contact_id else None
        activity = services.log_activity(
            institution=institution, contact=contact, actor=request.user, **values
        )
        return Response(s.ActivitySerializer(activity).data, status=201)


@extend_schema(tags=TAGS)
class ActivityDetailView(APIView):
    api_scope = "admin"

    @extend_schema(responses={200: s.ActivitySerializer, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        return Response(s.ActivitySerializer(get_or_404(Activity, pk)).data)
