"""Workbooks (openpyxl) of the yearly evaluation and of the bureau's table of all centers."""

from __future__ import annotations

import io

from flask_babel import gettext as _

from ..labels import label
from ..services.evaluation import BureauRow, Evaluation, state_label, task5_lines, task_rows, year_met


def _safe(value):
    """Text that a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def evaluation_report(ev: Evaluation) -> bytes:
    """The yearly evaluation as a workbook: tasks, targets, task 5, deals, pools, services, exits."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font, PatternFill

    fills = {"green": PatternFill("solid", fgColor="C6EFCE"), "amber": PatternFill("solid", fgColor="FFEB9C"),
             "red": PatternFill("solid", fgColor="FFC7CE")}
    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "tasks"
    ws.append([_safe(ev.center.name), _("Yearly evaluation"), _("Project year"), ev.year or None,
               _("As of"), ev.as_of])
    ws.append([_("Overall"), label("light", ev.overall.light), _("Mandatory tasks met"), ev.overall.mandatory_met,
               _("Optional tasks met"), ev.overall.optional_met])
    ws.append([])
    ws.append([_("Task"), _("Name"), _("Kind"), _("Rule"), _("Figure"), _("Value"), _("Required"), _("Met"),
               _("Status")])
    for cell in ws[4]:
        cell.font = bold
    for row in task_rows(ev):
        ws.append([row["number"] if row["first"] else None, row["task"], row["kind"], row["rule"], row["check"],
                   row["value"], row["required"], None if row["ok"] is None else (_("yes") if row["ok"] else _("no")),
                   row["light"]])
        if row["first"]:
            ws.cell(ws.max_row, 9).fill = fills[row["light_key"]]
    for column, width in zip("ABCDEFGHI", (6, 26, 10, 50, 36, 8, 9, 6, 12)):
        ws.column_dimensions[column].width = width

    years = wb.create_sheet("targets")
    years.append([_("Project year"), _("From"), _("Until (inclusive)"), _("Target (guidance)"), _("Count"),
                  _("Target reached")])
    rows = (ev.progress or {}).get("years", [])
    for y in rows:
        years.append([y["year"], y["start"], y["last"], y["target"], y["count"], year_met(y)])
    years.append([_("Total"), None, None, sum(y["target"] for y in rows), sum(y["count"] for y in rows), None])
    if rows:
        chart = BarChart()
        chart.title = _("Target and count per project year")
        data = Reference(years, min_col=4, max_col=5, min_row=1, max_row=len(rows) + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(years, min_col=1, min_row=2, max_row=len(rows) + 1))
        years.add_chart(chart, "H2")
    verdict = wb.create_sheet("task5")
    verdict.append([_("Task 5 by the notice's rule")])
    for line in task5_lines(ev):
        verdict.append([_safe(line)])
    verdict.column_dimensions["A"].width = 100

    deals = wb.create_sheet("deals")
    deals.append([_("Deal"), _("Origin"), _("Seller"), _("Buyer"), _("Kind"), _("Patents"), _("Counted"),
                  _("Price (yuan)"), _("Completed on"), _("Recordal number")])
    for deal, counted in ev.deals:
        deals.append([deal.id, label("deal_origin", deal.origin), _safe(deal.seller_name), _safe(deal.buyer_name),
                      label("deal_kind", deal.kind), len(deal.patents), counted, deal.price_fen / 100,
                      deal.completed_on, _safe(deal.recordal_number)])
    deals.append([_("Total"), None, None, None, None, sum(len(d.patents) for d, _n in ev.deals),
                  sum(n for _d, n in ev.deals), sum(d.price_fen for d, _n in ev.deals) / 100, None, None])

    pools = wb.create_sheet("pools")
    pools.append([_("Pool"), _("Valid patents"), _("Valid inventions"), _("Organisations"), _("Complies")])
    for name, c in ev.pools:
        pools.append([_safe(name), c.valid_patents, c.valid_inventions, c.organisations, _("yes") if c.compliant else _("no")])

    services = wb.create_sheet("services")
    services.append([_("Service"), _("Figure")])
    for key, value in ev.services.items():
        services.append([label("service_figure", key), value / 100 if key.endswith("_fen") else value])

    exits = wb.create_sheet("exit")
    exits.append([_("Exit case"), _("Due"), _("Status")])
    for w in ev.warnings:
        exits.append([label("exit_reason", w.reason), w.due, _("overdue") if w.overdue else _("pending")])

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def bureau_table(rows: list[BureauRow]) -> bytes:
    """The bureau's table of all centers, one row each."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "centers"
    header = [_("Center"), _("Industry"), _("Approval date"), _("Current year"), _("Overall"),
              _("Mandatory tasks met"), _("Optional tasks met")]
    header += [f"{n}. {label('program_task', n)}" for n in range(1, 11)]
    header += [f"{_('Year')} {n} {_('count')} / {_('target')}" for n in range(1, 6)]
    header += [_("Total counted"), _("Exit warnings overdue")]
    ws.append(header)
    for row in rows:
        years = (row.progress or {}).get("years", [])
        ws.append([_safe(row.center.name), label("industry", row.center.industry), row.center.approval_date,
                   (row.progress or {}).get("current_year"), label("light", row.overall.light),
                   row.overall.mandatory_met, row.overall.optional_met]
                  + [state_label(t) for t in row.tasks]
                  + [f"{y['count']} / {y['target']}" for y in years] + [""] * (5 - len(years))
                  + [(row.progress or {}).get("total", 0), sum(1 for w in row.warnings if w.overdue)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
