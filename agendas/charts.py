"""The agenda's budget as a picture: stacked columns per year, one segment per source group (``core.charts``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agendas import budget as budget_figures
from core import charts
from core.formatting import euro

# Labels of the source groups of ``agendas.budget.GROUPS``, in that order.
GROUP_LABELS = {
    "rijk": gettext_lazy("Rijk"),
    "region": gettext_lazy("Regio"),
    "eu": gettext_lazy("EU"),
    "private": gettext_lazy("Privaat"),
    "other": gettext_lazy("Overig"),
}

# The colours of core's chart classes (core/static/css/app.css), for the PDF: WeasyPrint draws an
# SVG without the page's stylesheet.
PDF_FILLS = {
    "ka-chart__s0": "#154273",
    "ka-chart__s1": "#b3541e",
    "ka-chart__s2": "#256029",
    "ka-chart__s3": "#5b7fa8",
    "ka-chart__s4": "#7a5c00",
    "ka-chart__s5": "#6b7785",
}


def budget_chart(summary: budget_figures.BudgetSummary) -> charts.ColumnChart:
    """The budget per year and source group; five groups rather than ten sources keep the colours apart."""
    rows = summary.group_rows()
    groups = budget_figures.GROUPS
    return charts.columns(
        title=_("Begroting per jaar en brongroep"),
        categories=[str(year) for year, _amounts, _total in rows],
        series=[
            charts.Series(group, str(GROUP_LABELS[group]), [amounts[n] for _year, amounts, _total in rows])
            for n, group in enumerate(groups)
        ],
        format_value=lambda value: euro(round(value)),
        category_header=_("Jaar"),
    )
