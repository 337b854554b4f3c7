"""The surveys API: campaigns and their results (aggregates only: groups under five
responses carry no figures)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from pcrm.api.base import CheckpointViewSet
from surveys import selectors
from surveys.models import Campaign


class CampaignOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    period = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    active = serializers.BooleanField()
    responses = serializers.IntegerField(source="response_count")


class CellOut(serializers.Serializer):
    dimension = serializers.CharField()
    n = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True, help_text=_("95% 신뢰구간 하한"))
    high = serializers.FloatField(allow_null=True, help_text=_("95% 신뢰구간 상한"))


class ResultRowOut(serializers.Serializer):
    team_id = serializers.IntegerField(allow_null=True, help_text=_("null: 기관 전체"))
    label = serializers.CharField()
    cells = CellOut(many=True)


class DimensionOut(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class ResultsOut(serializers.Serializer):
    responses = serializers.IntegerField()
    minimum_group = serializers.IntegerField(
        help_text=_("이보다 응답이 적은 집단은 수치 없이 n만 보입니다.")
    )
    dimensions = DimensionOut(many=True)
    rows = ResultRowOut(many=True)


def _results(campaign: Campaign) -> dict:
    results = selectors.campaign_results(campaign)
    rows = []
    for row in results.rows:
        cells = []
        for code, _label in results.dimensions:
            cell = row.cells.get(code)
            summary = cell.summary if cell else None
            cells.append(
                {
                    "dimension": code,
                    "n": cell.n if cell else 0,
                    "mean": round(summary.mean, 1) if summary else None,
                    "low": round(summary.low, 1) if summary and summary.low is not None else None,
                    "high": round(summary.high, 1)
                    if summary and summary.high is not None
                    else None,
                }
            )
        rows.append({"team_id": row.team_id, "label": row.label, "cells": cells})
    return {
        "responses": results.responses,
        "minimum_group": selectors.MIN_GROUP,
        "dimensions": [{"code": code, "label": label} for code, label in results.dimensions],
        "rows": rows,
    }


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CheckpointViewSet):
    """만족도 조사 캠페인과 결과(집계만)."""

    model = Campaign
    serializer_class = CampaignOut

    def get_queryset(self):
        return selectors.campaign_list(self.request.user)

    def base_queryset(self):
        return selectors.campaign_list(self.request.user)

    @extend_schema(responses=ResultsOut)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        return Response(_results(self.get_object()))
