"""The stored team scorecards through the API: a period's ranking and a team's card."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response

from pcrm.api.base import CheckpointViewSet, Named
from scorecards import selectors
from scorecards.models import PeriodScore


class ScoreOut(serializers.Serializer):
    id = serializers.IntegerField()
    team = Named(allow_null=True, help_text=_("null: 기관 전체"))
    period = serializers.CharField()
    kind = serializers.CharField()
    start = serializers.DateField()
    composite = serializers.FloatField(allow_null=True)
    complete = serializers.BooleanField()
    rank = serializers.IntegerField(allow_null=True)
    grade = serializers.CharField()
    computed_at = serializers.DateTimeField()
    values = serializers.DictField(
        help_text=_("지표별 n, 값, 95% 구간, 점수, 기관 값, 유의한 차이 여부")
    )


class ScoreQuery(serializers.Serializer):
    period = serializers.RegexField(
        r"^\d{4}-(\d{2}|Q[1-4]|H[12])$",
        required=False,
        help_text=_("2026-11(월), 2026-Q4(분기), 2026-H2(반기). 없으면 저장된 최근 달"),
        error_messages={"invalid": _("기간은 2026-11, 2026-Q4, 2026-H2 꼴로 적으세요.")},
    )


class ScorecardViewSet(mixins.RetrieveModelMixin, CheckpointViewSet):
    """팀 성과 점수(정해진 작업이 계산해 둔 값): 기간별 순위와 팀 카드."""

    model = PeriodScore
    serializer_class = ScoreOut
    pagination_class = None  # a period has one row per team and one for the organisation

    def base_queryset(self):
        return PeriodScore.objects.select_related("team")

    @extend_schema(parameters=[ScoreQuery], responses=ScoreOut(many=True))
    def list(self, request):
        query = ScoreQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data.get("period") or next(iter(selectors.periods("month")), "")
        teams, organisation = selectors.organisation_scores(request.user, period)
        rows = [*teams, organisation] if organisation else teams
        return Response(self.get_serializer(rows, many=True).data)
