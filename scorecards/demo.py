"""Demo scorecards for ``manage.py seed_demo``: the rollups over the demo's year and the
stored scores of every period the pages offer, so ranking, trend and equity have shapes."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from scorecards import services
from scorecards.models import PeriodScore


def seed() -> str:
    if PeriodScore.objects.exists():
        return _("데모 성과: 이미 있습니다.")
    today = timezone.localdate()
    days = services.rollup_refresh(start=today - timedelta(days=400), end=today + timedelta(days=1))
    stored = services.scores_refresh()
    services.snapshot_week()
    return _("데모 성과: 팀 일별 집계 %(days)d건, 저장한 성과 %(stored)d건") % {
        "days": days,
        "stored": stored,
    }
