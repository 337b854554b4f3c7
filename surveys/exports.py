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
