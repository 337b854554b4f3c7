"""Public deadline calculator: ``GET /api/v1/deadline?received_at=…&period=…``."""

from datetime import datetime

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pcrm.lib.calendar import SEOUL, Period, PeriodError
from pcrm.org.calendar import organisation_calendar


class DeadlineQuery(serializers.Serializer):
    received_at = serializers.CharField()
    period = serializers.CharField()

    def validate_received_at(self, value: str) -> datetime:
        # a "+" left unencoded in a query string arrives as a space
        text = value.strip().replace(" ", "+")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise serializers.ValidationError(
                _("ISO 8601 형식의 일시를 적으세요. 예: 2026-11-23T10:00+09:00")
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=SEOUL)

    def validate_period(self, value: str) -> Period:
        try:
            return Period.parse(value)
        except PeriodError:
            raise serializers.ValidationError(
                _("처리기간은 immediate, 8h(시간), 3d(일), 2w(주) 꼴로 적으세요.")
            ) from None


def _iso(moment: datetime) -> str:
    local = moment.astimezone(SEOUL)
    spec = "minutes" if local.second == 0 and local.microsecond == 0 else "seconds"
    return local.isoformat(timespec=spec)


class DeadlineView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request):
        query = DeadlineQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        received_at, period = query.validated_data["received_at"], query.validated_data["period"]
        due_at = organisation_calendar().due_at(received_at, period)
        return Response(
            {"received_at": _iso(received_at), "period": str(period), "due_at": _iso(due_at)}
        )
