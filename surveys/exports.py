"""The campaign results and the scorecards as spreadsheets: the same aggregates the pages
show, nothing per respondent."""

from django.utils.translation import gettext as _

from pcrm.lib.spreadsheet import xlsx_bytes
from surveys.selectors import Results


def results_xlsx(campaign, results: Results) -> bytes:
    header = [_("팀")]
    for _code, label in results.dimensions:
        header += [
            f"{label} n",
            f"{label} {_('평균')}",
            f"{label} 95% {_('하한')}",
            f"{label} 95% {_('상한')}",
        ]
    rows = [[campaign.name, campaign.period, campaign.get_kind_display()], [], header]
    for row in results.rows:
        line = [row.label]
        for code, _label in results.dimensions:
            cell = row.cells.get(code)
            if cell is None or not cell.shown:
                line += [cell.n if cell else 0, _("응답 5건 미만"), None, None]
                continue
            summary = cell.summary
            line += [
                cell.n,
                round(summary.mean, 1),
                None if summary.low is None else round(summary.low, 1),
                None if summary.high is None else round(summary.high, 1),
            ]
        rows.append(line)
    return xlsx_bytes(_("결과"), rows)


def scorecard_xlsx(period: str, cards, organisation) -> bytes:
    """All teams' stored cards for the period: composite, rank, grade and each indicator."""
    from surveys.scorecards import INDICATORS

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
