"""``/leads/api/contacts`` and ``/leads/api/contacts/{id}`` (seed), their details
(``/leads/api/contacts/{id}/details``, seed) and ``/leads/api/details/{id}``."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from leads import queries, services
from leads.api import serializers as s
from leads.api.common import TAGS, get_or_404
from leads.api.filters import ContactFilter
from leads.api.pagination import keyed
from leads.models import Contact, ContactDetail, Institution, Note
from limon_site.api.schema import errors


def _contact_queryset():
    return Contact.objects.prefetch_related(
        "details", Prefetch("notes", queryset=Note.objects.live())
    )


def _render(contact: Contact) -> dict:
    return s.ContactSerializer(_contact_queryset().get(pk=contact.pk)).data


@extend_schema(tags=TAGS)
class ContactListView(generics.ListAPIView):
    api_scope = "admin"
    serializer_class = s.ContactListSerializer
    pagination_class = keyed("contacts")
    filterset_class = ContactFilter

    def get_queryset(self):
        return queries.contacts_with_details()

    @extend_schema(responses={200: s.ContactListSerializer(many=True), **errors(400, 401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=s.ContactCreateSerializer,
        responses={201: s.ContactSerializer, **errors(400, 401, 403, 404, 409)},
        description="Add a contact to an institution, optionally with its details. The first "
        "contact of an institution becomes its primary contact.",
    )
    def post(self, request):
        data = s.ContactCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        institution = get_or_404(Institution, values.pop("institution_id"))
        contact = services.create_contact(institution=institution, actor=request.user, **values)
        return Response(_render(contact), status=201)


@extend_schema(tags=TAGS)
class ContactDetailView(APIView):
    """One contact with its details and notes (seed shape)."""

    api_scope = "admin"

    @extend_schema(responses={200: s.ContactSerializer, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        return Response(_render(get_or_404(Contact, pk)))

    @extend_schema(
        request=s.ContactUpdateSerializer,
        responses={200: s.ContactSerializer, **errors(400, 401, 403, 404)},
    )
    def patch(self, request, pk: int):
        return self._update(request, pk, partial=True)

    @extend_schema(
        request=s.ContactUpdateSerializer,
        responses={200: s.ContactSerializer, **errors(400, 401, 403, 404)},
    )
    def put(self, request, pk: int):
        return self._update(request, pk, partial=False)

    def _update(self, request, pk: int, *, partial: bool):
        contact = get_or_404(Contact, pk)
        data = s.ContactUpdateSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.update_contact(
            contact=contact, changes=dict(data.validated_data), actor=request.user
        )
        return Response(_render(contact))

    @extend_schema(responses={204: None, **errors(401, 403, 404)})
    def delete(self, request, pk: int):
        services.delete_contact(contact=get_or_404(Contact, pk), actor=request.user)
        return Response(status=204)


@extend_schema(tags=TAGS)
class ContactDetailsView(APIView):
    api_scope = "admin"

    @extend_schema(responses={200: s.DetailSerializer(many=True), **errors(401, 403, 404)})
    def get(self, request, pk: int):
        contact = get_or_404(Contact, pk)
        return Response(s.DetailSerializer(contact.details.all(), many=True).data)

    @extend_schema(
        request=s.DetailWriteSerializer,
        responses={201: s.DetailSerializer, **errors(400, 401, 403, 404, 409)},
        description="Add a phone, e-mail, address or other detail. E-mails are syntax-checked "
        "and phones normalised to E.164 (national numbers read in the institution's country); a "
        "bad value is 400 naming `value`, the same value twice is 409 `DUPLICATE_DETAIL`.",
    )
    def post(self, request, pk: int):
        contact = get_or_404(Contact.objects.select_related("institution"), pk)
        data = s.DetailWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        detail = services.add_detail(contact=contact, actor=request.user, **data.validated_data)
        return Response(s.DetailSerializer(detail).data, status=201)


@extend_schema(tags=TAGS)
class DetailView(APIView):
    api_scope = "admin"

    @extend_schema(responses={200: s.DetailFullSerializer, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        return Response(s.DetailFullSerializer(get_or_404(ContactDetail, pk)).data)

    @extend_schema(
        request=s.DetailUpdateSerializer,
        responses={200: s.DetailFullSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def patch(self, request, pk: int):
        detail = get_or_404(ContactDetail.objects.select_related("contact__institution"), pk)
        data = s.DetailUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        detail = services.update_detail(
            detail=detail, changes=dict(data.validated_data), actor=request.user
        )
        return Response(s.DetailFullSerializer(detail).data)

    @extend_schema(responses={204: None, **errors(401, 403, 404)})
    def delete(self, request, pk: int):
        services.delete_detail(detail=get_or_404(ContactDetail, pk), actor=request.user)
        return Response(status=204)
