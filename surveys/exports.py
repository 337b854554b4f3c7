"""The campaign results as a spreadsheet: the same aggregates the page shows."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from surveys.selectors import Results


def results_xlsx(campaign, results: Results) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("결과")[:31])
    sheet.append([campaign.name, campaign.period, campaign.get_kind_display()])
    sheet.append([])
    header = [_("팀")]
    for _code, label in results.dimensions:
        header += [
            f"{label} n",
            f"{label} {_('평균')}",
            f"{label} 95% {_('하한')}",
            f"{label} 95% {_('상한')}",
        ]
    sheet.append(header)
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
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def scorecard_xlsx(period: str, rows, organisation) -> bytes:
    """All teams' stored cards for the period: composite, rank, grade and each indicator."""
    from surveys.scorecards import INDICATORS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("팀 성과")[:31])
    sheet.append([_("기간"), period])
    sheet.append([])
    sheet.append(
        [_("팀"), _("부서"), _("종합 점수"), _("순위"), _("등급")]
        + [str(indicator.label) for indicator in INDICATORS]
    )
    for row in [*rows, organisation] if organisation else rows:
        values = row.values
        sheet.append(
            [
                row.team.name if row.team_id else _("기관 전체"),
                row.team.department.name if row.team_id else "",
                None if row.composite is None else float(row.composite),
                row.rank,
                row.grade,
            ]
            + [(values.get(indicator.code) or {}).get("value") for indicator in INDICATORS]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
