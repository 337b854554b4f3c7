"""The citizens API: ``/api/v1/citizens/``. Names and contact details are masked as on
the staff pages; each profile read is in the access log, and ``reveal`` returns the
unmasked contact details for one response only, with its stated purpose logged."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from citizens import selectors, services
from citizens.access import can_see_flags
from citizens.models import Citizen
from pcrm.api.base import CheckpointViewSet


class CitizenOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField(source="masked_label")
    organisation_name = serializers.CharField()
    phone = serializers.CharField(source="masked_phone")
    email = serializers.CharField(source="masked_email")
    sigungu = serializers.CharField()
    dong = serializers.CharField()
    preferred_channel = serializers.CharField()
    do_not_call = serializers.BooleanField()
    do_not_contact = serializers.BooleanField()
    vulnerable = serializers.SerializerMethodField()
    last_contact_at = serializers.DateTimeField(allow_null=True)
    contact_count = serializers.IntegerField()

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_vulnerable(self, citizen) -> bool | None:
        return citizen.vulnerable if self.context.get("sees_flags") else None


class CitizenQuery(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("이름·기관명, 전화번호 또는 전자우편"),
    )
    sigungu = serializers.CharField(
        required=False, allow_blank=True, max_length=30, help_text=_("시·군·구")
    )


class RevealIn(serializers.Serializer):
    purpose = serializers.CharField(
        max_length=200, help_text=_("열람 목적 (접근 기록에 남습니다). 예: 답변 결과 전화 안내")
    )


class RevealOut(serializers.Serializer):
    phone = serializers.CharField()
    email = serializers.CharField()


class CitizenViewSet(CheckpointViewSet):
    """고객: 목록과 조회는 가려진 값으로, 원래 연락처는 목적을 남기고 한 번씩."""

    model = Citizen
    serializer_class = CitizenOut

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sees_flags": can_see_flags(self.staff)}

    @extend_schema(parameters=[CitizenQuery])
    def list(self, request):
        query = CitizenQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows, _applied = selectors.citizen_list(
            request.user,
            q=query.validated_data.get("q", ""),
            sigungu=query.validated_data.get("sigungu", ""),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        citizen = self.get_object()
        services.citizen_viewed(staff=request.staff, citizen=citizen, purpose="API 고객 조회")
        return Response(self.get_serializer(citizen).data)

    @extend_schema(request=RevealIn, responses=RevealOut)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        citizen = self.get_object()
        data = RevealIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            services.citizen_reveal(
                staff=request.staff, citizen=citizen, purpose=data.validated_data["purpose"]
            )
        )
