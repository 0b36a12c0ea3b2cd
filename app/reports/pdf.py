"""The yearly evaluation as PDF (reportlab), with an embedded Chinese font."""

from __future__ import annotations

import io
import os
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import gettext as _

from ..labels import label
from ..services.evaluation import Evaluation, task5_lines, task_rows, year_met


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


def evaluation_report(ev: Evaluation) -> bytes:
    """The yearly evaluation as an A4 PDF with the CJK font embedded, numbered pages and signature lines."""
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
        rows += [[y["year"], y["start"], y["last"], y["target"], y["count"], year_met(y)]
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
