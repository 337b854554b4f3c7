"""Customer-group profiles (고객집단별 프로파일): computed attributes of a citizen,
each a dimension with buckets defined as query filters, so that counting every bucket
is one aggregate query and filtering a list by a bucket is one ``WHERE``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizens.models import Channel


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    condition: Q


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    buckets: tuple[Bucket, ...]
    needs_flag_access: bool = False

    def bucket(self, key: str) -> Bucket | None:
        return next((b for b in self.buckets if b.key == key), None)


def _age_buckets(year: int) -> tuple[Bucket, ...]:
    buckets = [Bucket("under20", _("20세 미만"), Q(birth_year__gt=year - 20))]
    for decade in (20, 30, 40, 50, 60):
        buckets.append(
            Bucket(
                f"{decade}s",
                _("%(decade)d대") % {"decade": decade},
                Q(birth_year__lte=year - decade, birth_year__gte=year - decade - 9),
            )
        )
    buckets.append(Bucket("70plus", _("70세 이상"), Q(birth_year__lte=year - 70)))
    buckets.append(Bucket("unknown", _("알 수 없음"), Q(birth_year__isnull=True)))
    return tuple(buckets)


def age_key(birth_year: int | None, year: int) -> str:
    """The age bucket's key for one citizen in ``year`` (the same bands as the filters)."""
    if birth_year is None:
        return "unknown"
    age = year - birth_year
    if age < 20:
        return "under20"
    if age >= 70:
        return "70plus"
    return f"{age // 10 * 10}s"


def age_labels() -> dict[str, str]:
    return {b.key: str(b.label) for b in _age_buckets(timezone.localdate().year)}


def dimensions(now=None) -> tuple[Dimension, ...]:
    now = now or timezone.now()
    year = timezone.localtime(now).year

    def since(days: int):
        return now - timedelta(days=days)

    return (
        Dimension("age", _("연령대"), _age_buckets(year)),
        Dimension(
            "channel",
            _("선호 연락 수단"),
            tuple(Bucket(c.value, c.label, Q(preferred_channel=c.value)) for c in Channel),
        ),
        Dimension(
            "frequency",
            _("접촉 빈도"),
            (
                Bucket("none", _("없음"), Q(contact_count=0)),
                Bucket("once", _("1회"), Q(contact_count=1)),
                Bucket("some", _("2~4회"), Q(contact_count__range=(2, 4))),
                Bucket("frequent", _("5회 이상"), Q(contact_count__gte=5)),
            ),
        ),
        Dimension(
            "recency",
            _("최근 접촉"),
            (
                Bucket("30d", _("30일 이내"), Q(last_contact_at__gte=since(30))),
                Bucket(
                    "90d",
                    _("31~90일"),
                    Q(last_contact_at__lt=since(30), last_contact_at__gte=since(90)),
                ),
                Bucket(
                    "1y",
                    _("91일~1년"),
                    Q(last_contact_at__lt=since(90), last_contact_at__gte=since(365)),
                ),
                Bucket("older", _("1년 초과"), Q(last_contact_at__lt=since(365))),
                Bucket("never", _("접촉 없음"), Q(last_contact_at__isnull=True)),
            ),
        ),
        Dimension(
            "vulnerability",
            _("취약고객 여부"),
            (
                Bucket("yes", _("취약고객"), Q(vulnerable=True)),
                Bucket("no", _("일반"), Q(vulnerable=False)),
            ),
            needs_flag_access=True,
        ),
    )


def visible_dimensions(*, sees_flags: bool, now=None) -> tuple[Dimension, ...]:
    return tuple(d for d in dimensions(now) if sees_flags or not d.needs_flag_access)


def filter_by_segments(queryset, params, *, sees_flags: bool, now=None):
    """Narrow ``queryset`` by ``?age=30s&recency=90d``-style parameters; unknown keys or
    buckets are ignored. Returns the queryset and the (dimension, bucket) pairs applied."""
    applied = []
    for dimension in visible_dimensions(sees_flags=sees_flags, now=now):
        bucket = dimension.bucket(params.get(dimension.key, ""))
        if bucket is not None:
            queryset = queryset.filter(bucket.condition)
            applied.append((dimension, bucket))
    return queryset, applied


def segment_counts(queryset, *, sees_flags: bool, now=None) -> list[tuple[Dimension, list]]:
    """Every bucket of every visible dimension counted in one aggregate query."""
    dims = visible_dimensions(sees_flags=sees_flags, now=now)
    aggregates = {
        f"{d.key}__{b.key}": Count("pk", filter=b.condition) for d in dims for b in d.buckets
    }
    totals = queryset.aggregate(**aggregates)
    return [(d, [(b, totals[f"{d.key}__{b.key}"]) for b in d.buckets]) for d in dims]
