"""The scorecards as a spreadsheet: the stored cards of a period."""

from django.utils.translation import gettext as _

from pcrm.lib.spreadsheet import xlsx_bytes
from scorecards.indicators import INDICATORS


def scorecard_xlsx(period: str, cards, organisation) -> bytes:
    """All teams' stored cards for the period: composite, rank, grade and each indicator."""
    rows = [
        [_("기간"), period],
        [],
        [_("팀"), _("부서"), _("종합 점수"), _("순위"), _("등급")]
        + [str(indicator.label) for indicator in INDICATORS],
    ]
    for card in [*cards, organisation] if organisation else cards:
        rows.append(
            [
                card.team.name if card.team_id else _("기관 전체"),
                card.team.department.name if card.team_id else "",
                None if card.composite is None else float(card.composite),
                card.rank,
                card.grade,
            ]
            + [(card.values.get(indicator.code) or {}).get("value") for indicator in INDICATORS]
        )
    return xlsx_bytes(_("팀 성과"), rows)
