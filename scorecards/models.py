"""The scorecards' tables: the daily rollups they read (teams, citizen segments), the
weights, and the stored scores every scorecard page reads."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcrm.lib.periods import Period


class TeamDay(models.Model):
    """A team's handling on one day (Asia/Seoul), kept by a scheduled job so that the
    scorecards sum a few hundred rows instead of scanning the complaints."""

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    same_day_eligible = models.PositiveIntegerField(default=0)
    same_day_met = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_on_time = models.PositiveIntegerField(default=0)
    processing_minutes = models.PositiveBigIntegerField(default=0)
    repeated = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("팀 일별 집계")
        verbose_name_plural = _("팀 일별 집계")
        constraints = [models.UniqueConstraint(fields=["team", "day"], name="teamday_once")]
        indexes = [models.Index(fields=["day", "team"], name="teamday_by_day")]

    def __str__(self):
        return f"{self.team_id} {self.day}"


class ScorecardWeight(models.Model):
    """How much each indicator counts in the composite score (the weights sum to 100)."""

    indicator = models.CharField(_("지표"), max_length=30, unique=True)
    weight = models.DecimalField(
        _("가중치"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("성과지표 가중치")
        verbose_name_plural = _("성과지표 가중치")
        ordering = ["indicator"]

    def __str__(self):
        return f"{self.indicator}: {self.weight}"


class PeriodScore(models.Model):
    """A team's scorecard for one period (``team`` empty: the organisation's figures), as
    the scheduled job last computed it. Pages read these rows, never the raw tables."""

    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=10)  # 2026-11, 2026-Q4, 2026-H2, or a week's Monday
    kind = models.CharField(max_length=8)  # month, quarter, half, week
    start = models.DateField()
    values = models.JSONField(default=dict)
    composite = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    complete = models.BooleanField(default=False)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    grade = models.CharField(max_length=1, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("팀 성과 점수")
        verbose_name_plural = _("팀 성과 점수")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "period"],
                condition=Q(team__isnull=False),
                name="periodscore_team_once",
            ),
            models.UniqueConstraint(
                fields=["period"], condition=Q(team__isnull=True), name="periodscore_org_once"
            ),
        ]
        indexes = [models.Index(fields=["kind", "start"], name="periodscore_by_period")]

    def __str__(self):
        return f"{self.team_id or 'org'} {self.period}"

    @property
    def period_label(self) -> str:
        """2026년 11월, 2026년 4분기, 2026년 하반기 (a week: its Monday's date)."""
        try:
            return Period.parse(self.period).label
        except ValueError:
            return self.period


class SegmentDay(models.Model):
    """Handling and satisfaction per citizen segment and day, for the equity analysis."""

    day = models.DateField()
    dimension = models.CharField(max_length=12)  # age, district, channel, vulnerable, language
    segment = models.CharField(max_length=40)
    answered = models.PositiveIntegerField(default=0)
    answered_on_time = models.PositiveIntegerField(default=0)
    processing_minutes = models.PositiveBigIntegerField(default=0)
    processing_squares = models.FloatField(default=0)  # Σ hours², for the interval
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.FloatField(default=0)  # on the 100-point scale
    rating_squares = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "dimension", "segment"], name="segmentday_once")
        ]

    def __str__(self):
        return f"{self.day} {self.dimension}={self.segment}"
