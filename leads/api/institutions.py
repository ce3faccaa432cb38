"""``/leads/api/institutions`` (seed), ``/leads/api/institutions/{id}`` and its pipeline status;
``/leads/api/stats`` (seed)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from leads import queries, services
from leads.api import serializers as s
from leads.api.common import TAGS, get_or_404
from leads.api.pagination import keyed
from leads.filters import InstitutionFilter
from leads.models import Institution
from limon_site.api.schema import errors


def _render(institution: Institution, serializer=s.InstitutionSerializer) -> dict:
    return serializer(
        queries.institutions().prefetch_related("contacts").get(pk=institution.pk)
    ).data


@extend_schema(tags=TAGS)
class InstitutionListView(generics.ListAPIView):
    """Institutions (leads), paginated with ``page``/``per_page``; ``search`` looks at the name,
    the city, contacts' names and contacts' e-mails."""

    api_scope = "admin"
    serializer_class = s.InstitutionSerializer
    pagination_class = keyed("institutions")
    filterset_class = InstitutionFilter

    def get_queryset(self):
        return queries.institutions()

    @extend_schema(responses={200: s.InstitutionSerializer(many=True), **errors(400, 401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=s.InstitutionWriteSerializer,
        responses={201: s.InstitutionSerializer, **errors(400, 401, 403, 409)},
        description="Create an institution; `name` is enough. A name already used in the same "
        "country (case-insensitively) is 409 `DUPLICATE_INSTITUTION`.",
    )
    def post(self, request):
        data = s.InstitutionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        institution = services.create_institution(actor=request.user, **data.validated_data)
        return Response(_render(institution), status=201)


@extend_schema(tags=TAGS)
class InstitutionDetailView(APIView):
    api_scope = "admin"

    @extend_schema(responses={200: s.InstitutionDetailSerializer, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        institution = get_or_404(Institution, pk, queries.institutions())
        return Response(_render(institution, s.InstitutionDetailSerializer))

    @extend_schema(
        request=s.InstitutionWriteSerializer,
        responses={200: s.InstitutionDetailSerializer, **errors(400, 401, 403, 404, 409)},
        description="Change some fields. A new `status` is recorded as a status-change activity.",
    )
    def patch(self, request, pk: int):
        return self._update(request, pk, partial=True)

    @extend_schema(
        request=s.InstitutionWriteSerializer,
        responses={200: s.InstitutionDetailSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def put(self, request, pk: int):
        return self._update(request, pk, partial=False)

    def _update(self, request, pk: int, *, partial: bool):
        institution = get_or_404(Institution, pk)
        data = s.InstitutionWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.update_institution(
            institution=institution, changes=dict(data.validated_data), actor=request.user
        )
        return Response(_render(institution, s.InstitutionDetailSerializer))

    @extend_schema(responses={204: None, **errors(401, 403, 404, 409)})
    def delete(self, request, pk: int):
        """Deletes the institution with its contacts, details, notes and activities."""
        services.delete_institution(institution=get_or_404(Institution, pk), actor=request.user)
        return Response(status=204)


@extend_schema(tags=TAGS)
class InstitutionStatusView(APIView):
    api_scope = "admin"

    @extend_schema(
        request=s.StatusChangeSerializer,
        responses={200: s.InstitutionSerializer, **errors(400, 401, 403, 404, 409)},
        description="Move the lead in the pipeline (new → contacted → qualified → proposal → "
        "won | lost); recorded as a `status_change` activity with the optional summary.",
    )
    def post(self, request, pk: int):
        institution = get_or_404(Institution, pk)
        data = s.StatusChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.change_status(
            institution=institution,
            status=data.validated_data["status"],
            summary=data.validated_data.get("summary", ""),
            actor=request.user,
        )
        return Response(_render(institution))


@extend_schema(tags=TAGS)
class InstitutionConvertView(APIView):
    api_scope = "admin"

    @extend_schema(
        request=None,
        responses={201: s.ConversionSerializer, **errors(401, 403, 404, 409)},
        description="Create a licensing customer from a won institution and its primary "
        "contact (name, first e-mail and phone), link them and record a `conversion` activity. "
        "409 `LEAD_NOT_WON` unless won; 409 `LEAD_ALREADY_CONVERTED` the second time.",
    )
    def post(self, request, pk: int):
        institution = get_or_404(Institution, pk)
        customer = services.convert_to_customer(institution=institution, actor=request.user)
        institution.refresh_from_db()
        return Response(
            s.ConversionSerializer(
                {
                    "institution_id": institution.pk,
                    "customer_id": customer.pk,
                    "customer_name": customer.name,
                    "email": customer.email,
                    "phone": customer.phone,
                    "contact_name": customer.contact_name,
                    "converted_at": institution.converted_at,
                }
            ).data,
            status=201,
        )


@extend_schema(tags=TAGS)
class StatsView(APIView):
    api_scope = "admin"

    @extend_schema(responses={200: s.StatsSerializer, **errors(401, 403)})
    def get(self, request):
        """Totals, recent activities, conversion rate (won ÷ (won + lost), percent with one
        decimal), institutions by type and by pipeline status."""
        return Response(s.StatsSerializer(queries.lead_stats()).data)
