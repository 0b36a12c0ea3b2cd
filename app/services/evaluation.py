"""The yearly evaluation of a center (PDF with an embedded Chinese font, and XLSX), and the
bureau's side-by-side table of all centers.

The evaluation of project year n is taken as of the last day of that year, or today while the
year is running: every task's figures against its rule, deals against targets, pools, services
and the exit monitor."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import gettext as _

from ..domain import program as rules
from ..domain import targets as target_rules
from ..extensions import db
from ..labels import label, reason_text
from ..models import Center, Deal
from . import applications as application_service
from . import clock, member_support
from . import pools as pool_service
from . import program as program_service
from . import targets as target_service

# ---- gathering ------------------------------------------------------------------------------


@dataclass
class Evaluation:
    center: Center
    year: int  # project year evaluated (0 when the center has no approval date)
    start: date | None
    end: date | None  # exclusive
    as_of: date
    tasks: list[rules.TaskStatus]
    overall: rules.Overall
    progress: dict | None
    task5: target_service.Task5
    corrections: list[target_service.Correction]  # dated corrections to the year since it ended
    deals: list[tuple[Deal, int]]  # deals counted in the year, with their count
    pools: list[tuple[str, object]]  # (name, Compliance)
    services: dict[str, int]
    warnings: list[rules.ExitWarning] = field(default_factory=list)
    generated_at: datetime | None = None

    @property
    def last_day(self) -> date | None:
        """The year's last day (``end`` is the day after it)."""
        return self.end - timedelta(days=1) if self.end else None


def years_available(center: Center, today: date) -> list[int]:
    if center.approval_date is None:
        return []
    current = target_rules.project_year(center.approval_date, today)
    return list(range(1, max(1, min(current, target_rules.YEARS)) + 1))


def evaluate(center: Center, year: int, today: date | None = None) -> Evaluation:
    today = today or clock.today()
    start = end = None
    as_of = today
    if center.approval_date is not None and year >= 1:
        start, end = target_rules.project_year_span(center.approval_date, year)
        as_of = min(today, end - timedelta(days=1))
    task5, corrections = target_service.year_record(center, year, today)
    tasks, overall = rules.board(program_service.facts(center, as_of, task5), as_of=as_of)
    deals = target_service.deals_in_year(center, year, as_of) if year >= 1 else []
    pools = [(p.name, pool_service.compliance(p)) for p in program_service.center_pools(center)]
    return Evaluation(center=center, year=year, start=start, end=end, as_of=as_of, tasks=tasks, overall=overall,
                      progress=task5.progress, task5=task5, corrections=corrections, deals=deals, pools=pools,
                      services=member_support.service_counts(center),
                      warnings=application_service.exit_warnings(center, as_of),
                      generated_at=clock.local_now().replace(microsecond=0, tzinfo=None))


def _met(year: dict) -> str:
    """Whether a year reached its per-year target (guidance; the verdict is the rule's)."""
    if year["met"]:
        return _("yes")
    return _("no") if year["finished"] else (_("under way") if year["current"] else "")


def _check_label(check: rules.Check) -> str:
    return label("program_check", check.name)


def _state_label(task: rules.TaskStatus) -> str:
    """Task 5 says its state in the rule's words; the other tasks in the light's."""
    if task.number == 5:
        return label("task5_state", task.figures["state"])
    return label("light", task.light)


def task5_lines(ev: Evaluation) -> list[str]:
    """The verdict, its reasons, where the targets come from and the year's corrections, as text."""
    t5 = ev.task5
    lines = [_("Task 5 by the notice's rule: %(state)s", state=label("task5_state", t5.state))]
    lines += [reason_text(r) for r in t5.verdict.reasons]
    source = t5.source
    series = ", ".join(str(n) for n in source.targets)
    if source.own:
        lines.append(_("Per-year targets %(series)s: the center's own series, higher than the notice's 20, 26, 34, 44, 58.",
                       series=series))
    else:
        lines.append(_("Per-year targets %(series)s: the notice's rule, ⌈20 × 1.3^(n−1)⌉.", series=series))
    for c in ev.corrections:
        lines.append(_("Correction on %(day)s: deal #%(deal)s, patent %(number)s, project year %(year)s: %(delta)s",
                       day=c.on, deal=c.deal_id, number=c.application_number, year=c.year, delta=f"{c.delta:+d}"))
    return lines


def task_rows(ev: Evaluation) -> list[dict]:
    """One row per measurable check, labelled, for both files."""
    rows = []
    for task in ev.tasks:
        for i, check in enumerate(task.checks or (None,)):
            rows.append({
                "number": task.number,
                "task": label("program_task", task.number) if i == 0 else "",
                "kind": (_("mandatory") if task.mandatory else _("optional")) if i == 0 else "",
                "rule": label("program_rule", task.number) if i == 0 else "",
                "check": _check_label(check) if check else "",
                "value": check.value if check else None,
                "required": check.required if check else None,
                "ok": check.ok if check else None,
                "light": _state_label(task) if i == 0 else "",
                "light_key": task.light.value,
                "first": i == 0,
            })
    return rows


# ---- XLSX -----------------------------------------------------------------------------------


def _safe(value):
    """Text that a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_xlsx(ev: Evaluation) -> bytes:
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
        years.append([y["year"], y["start"], y["last"], y["target"], y["count"], _met(y)])
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


# ---- PDF ------------------------------------------------------------------------------------

FONT_NAME = "ProgramCJK"
# Where a CJK TrueType font is looked for, in order: PDF_CJK_FONT (config or environment), the
# WenQuanYi Micro Hei shipped in app/fonts/ (Apache-2.0 or GPL-3+ with the font exception, see its
# README), then Debian's fonts-wqy-microhei / fonts-wqy-zenhei.
SHIPPED_FONT = Path(__file__).resolve().parent.parent / "fonts" / "wqy-microhei.ttc"
DEBIAN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


class FontMissing(RuntimeError):
    """No CJK TrueType font was found; the PDF cannot show Chinese."""


def font_candidates() -> list[Path]:
    paths = []
    configured = (current_app.config.get("PDF_CJK_FONT") if has_app_context() else None) or os.environ.get("PDF_CJK_FONT")
    if configured:
        paths.append(Path(configured))
    paths.append(SHIPPED_FONT)
    paths.extend(Path(p) for p in DEBIAN_FONTS)
    return paths


def find_cjk_font() -> Path:
    for path in font_candidates():
        if path.is_file():
            return path
    raise FontMissing(
        "no CJK TrueType font found for the PDF report (app/fonts/wqy-microhei.ttc is missing); "
        "`apt-get install fonts-wqy-microhei`, or set PDF_CJK_FONT to a .ttf/.ttc file. Looked in: "
        + ", ".join(str(p) for p in font_candidates())
    )


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        path = find_cjk_font()
        # subfontIndex picks the first face of a .ttc collection; the font is embedded as a subset
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    return FONT_NAME


def to_pdf(ev: Evaluation) -> bytes:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", parent=body, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=body, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
    light_colours = {"green": colors.HexColor("#C6EFCE"), "amber": colors.HexColor("#FFEB9C"),
                     "red": colors.HexColor("#FFC7CE")}

    def p(text, style=body):
        from xml.sax.saxutils import escape

        return Paragraph(escape("" if text is None else str(text)), style)

    def table(rows, widths, header=True, extra=()):
        t = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
        style = [("FONT", (0, 0), (-1, -1), font, 8), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                 ("VALIGN", (0, 0), (-1, -1), "TOP")]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E7E6E6")))
        t.setStyle(TableStyle(style + list(extra)))
        return t

    center = ev.center
    story = [
        p(_("Yearly evaluation report"), h1),
        p(f"{center.name} · {label('industry', center.industry)}", h2),
        p(_("Project year %(n)s (%(start)s – %(end)s), figures as of %(as_of)s", n=ev.year or "—",
            start=ev.start or "—", end=ev.last_day or "—", as_of=ev.as_of)),
        p(_("Approval date: %(day)s. Generated %(at)s (Beijing time).", day=center.approval_date or "—",
            at=ev.generated_at)),
        Spacer(1, 4 * mm),
        p(_("Overall: %(light)s — mandatory tasks met %(m)s of 7, optional tasks met %(o)s of 3 (at least 2 needed).",
            light=label("light", ev.overall.light), m=ev.overall.mandatory_met, o=ev.overall.optional_met), h2),
    ]

    rows = [[p(_("Task")), p(_("Rule")), p(_("Figure")), p(_("Value / rule")), p(_("Status"))]]
    extra = []
    for row in task_rows(ev):
        rows.append([p(f"{row['number']}. {row['task']}" if row["first"] else "", small), p(row["rule"], small),
                     p(row["check"], small),
                     p("" if row["value"] is None else f"{row['value']} / {row['required']}", small),
                     p(row["light"], small)])
        if row["first"]:
            extra.append(("BACKGROUND", (4, len(rows) - 1), (4, len(rows) - 1), light_colours[row["light_key"]]))
    story += [p(_("The ten tasks against their rules"), h2), table(rows, [32 * mm, 52 * mm, 44 * mm, 24 * mm, 28 * mm],
                                                                 extra=extra)]

    years = (ev.progress or {}).get("years", [])
    story.append(p(_("Transfers and licences against the targets"), h2))
    if years:
        rows = [[_("Project year"), _("From"), _("Until (inclusive)"), _("Target (guidance)"), _("Count"),
                 _("Target reached")]]
        rows += [[y["year"], y["start"], y["last"], y["target"], y["count"], _met(y)]
                 for y in years]
        rows.append([_("Total"), "", "", sum(y["target"] for y in years), sum(y["count"] for y in years), ""])
        story.append(table(rows, [22 * mm, 28 * mm, 28 * mm, 20 * mm, 20 * mm, 16 * mm]))
        for line in task5_lines(ev):
            story.append(p(line))
        drawing = Drawing(170 * mm, 60 * mm)
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 140 * mm, 42 * mm
        chart.data = [[y["target"] for y in years], [y["count"] for y in years]]
        chart.categoryAxis.categoryNames = [str(y["year"]) for y in years]
        chart.categoryAxis.labels.fontName = font
        chart.valueAxis.labels.fontName = font
        chart.valueAxis.valueMin = 0
        chart.bars[0].fillColor = colors.HexColor("#9DC3E6")
        chart.bars[1].fillColor = colors.HexColor("#70AD47")
        drawing.add(chart)
        drawing.add(String(12 * mm, 55 * mm, _("Target (blue) and count (green) per project year"), fontName=font,
                           fontSize=8))
        story.append(drawing)
    else:
        story.append(p(_("The center has no approval date yet, so its project years have not started.")))

    story.append(p(_("Deals counted in project year %(n)s", n=ev.year or "—"), h2))
    rows = [[p(_("Deal")), p(_("Seller")), p(_("Buyer")), p(_("Kind")), p(_("Counted")), p(_("Price (yuan)")),
             p(_("Completed on"))]]
    for deal, counted in ev.deals:
        rows.append([f"#{deal.id}", p(deal.seller_name, small), p(deal.buyer_name, small),
                     p(label("deal_kind", deal.kind), small), counted, f"{deal.price_fen / 100:,.2f}", deal.completed_on])
    rows.append([_("Total"), "", "", "", sum(n for _d, n in ev.deals),
                 f"{sum(d.price_fen for d, _n in ev.deals) / 100:,.2f}", ""])
    story.append(table(rows, [14 * mm, 36 * mm, 36 * mm, 24 * mm, 18 * mm, 26 * mm, 24 * mm]))

    story.append(p(_("Patent pools"), h2))
    if ev.pools:
        rows = [[_("Pool"), _("Valid patents"), _("Valid inventions"), _("Organisations"), _("Complies")]]
        rows += [[p(name, small), c.valid_patents, c.valid_inventions, c.organisations,
                  _("yes") if c.compliant else _("no")] for name, c in ev.pools]
        story.append(table(rows, [70 * mm, 26 * mm, 26 * mm, 26 * mm, 20 * mm]))
    else:
        story.append(p(_("The center has no patent pool yet.")))

    story.append(p(_("Services to members"), h2))
    rows = [[_("Service"), _("Figure")]]
    rows += [[p(label("service_figure", k), small), f"{v / 100:,.2f}" if k.endswith("_fen") else v]
             for k, v in ev.services.items()]
    story.append(table(rows, [90 * mm, 40 * mm]))

    story.append(p(_("Exit monitor"), h2))
    if ev.warnings:
        rows = [[_("Exit case"), _("Due"), _("Status")]]
        rows += [[p(label("exit_reason", w.reason), small), w.due, _("overdue") if w.overdue else _("pending")]
                 for w in ev.warnings]
        story.append(table(rows, [110 * mm, 26 * mm, 24 * mm]))
    else:
        story.append(p(_("No exit warnings.")))

    # Signed and sealed by the center: the lines a printed report is signed on.
    story.append(p(_("Signatures"), h2))
    sign = [[p(_("Prepared by (signature)")), "", p(_("Date")), ""],
            [p(_("Reviewed by (signature)")), "", p(_("Date")), ""],
            [p(_("Center (seal)")), "", p(_("Date")), ""]]
    story.append(KeepTogether([table(sign, [40 * mm, 62 * mm, 18 * mm, 40 * mm], header=False,
                                     extra=[("ROWPADDING", (0, 0), (-1, -1), 10),
                                            ("BOTTOMPADDING", (0, 2), (-1, 2), 24 * mm)])]))

    header = f"{center.name} · {_('Yearly evaluation report')} · {_('Project year %(n)s', n=ev.year or '—')}"

    def decorate(canvas, page, pages):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        width, height = A4
        canvas.drawString(15 * mm, height - 10 * mm, header)
        canvas.line(15 * mm, height - 11.5 * mm, width - 15 * mm, height - 11.5 * mm)
        canvas.drawRightString(width - 15 * mm, 8 * mm, _("Page %(page)s of %(pages)s", page=page, pages=pages))
        canvas.drawString(15 * mm, 8 * mm, _("IP Alliance Exchange"))
        canvas.restoreState()

    class NumberedCanvas(Canvas):
        """Holds the pages back until the end, so that each can say 'page n of N'."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, len(self._pages))
                super().showPage()
            super().save()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=18 * mm,
                            bottomMargin=16 * mm, title=f"{center.name} {_('Yearly evaluation report')}",
                            author=_("IP Alliance Exchange"))
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


# ---- the bureau's table ---------------------------------------------------------------------


@dataclass
class BureauRow:
    center: Center
    tasks: list[rules.TaskStatus]
    overall: rules.Overall
    progress: dict | None
    warnings: list[rules.ExitWarning]
    task5: target_service.Task5


def bureau_rows(today: date | None = None) -> list[BureauRow]:
    today = today or clock.today()
    rows = []
    for center in db.session.scalars(sa.select(Center).order_by(Center.id)):
        task5 = target_service.task5(center, today)
        tasks, overall = rules.board(program_service.facts(center, today, task5), as_of=today)
        rows.append(BureauRow(center, tasks, overall, task5.progress, application_service.exit_warnings(center, today),
                              task5))
    return rows


def bureau_xlsx(rows: list[BureauRow]) -> bytes:
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
                  + [_state_label(t) for t in row.tasks]
                  + [f"{y['count']} / {y['target']}" for y in years] + [""] * (5 - len(years))
                  + [(row.progress or {}).get("total", 0), sum(1 for w in row.warnings if w.overdue)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

