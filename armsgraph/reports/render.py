"""One brief, three formats: Markdown and HTML from Jinja templates, PDF with fpdf2 — all from the same sections.

Every writer walks :attr:`Brief.sections` (fields, statements with their children, figures) and
:attr:`Brief.sources`; none re-parses another's output. Record text is untrusted: Markdown escapes
it, HTML autoescapes it, and the PDF prints it as text.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fpdf import FPDF
from jinja2 import Environment, PackageLoader, select_autoescape

if TYPE_CHECKING:
    from armsgraph.reports.brief import Brief, Statement

__all__ = ["html", "markdown", "pdf"]

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>~])")


def _md(value: Any) -> str:
    return _MD_SPECIAL.sub(r"\\\1", "" if value is None else str(value))


def _cites(statement: Statement) -> str:
    return f" [{', '.join(map(str, statement.cites))}]" if statement.cites else ""


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _environment() -> Environment:
    """The templates: ``.html`` autoescaped, ``.md.j2`` escaped by the ``md`` filter."""
    env = Environment(loader=PackageLoader("armsgraph.reports", "templates"), autoescape=select_autoescape(["html"]))
    env.filters.update(md=_md, cites=_cites, data_uri=_data_uri)
    return env


def markdown(brief: Brief, figures: bool = True) -> str:
    """The brief as Markdown: record text escaped, figures as embedded SVG images (data URIs), or left out."""
    text = _environment().get_template("brief.md.j2").render(brief=brief, figures=figures)
    return re.sub(r"\n{3,}", "\n\n", text)


def html(brief: Brief) -> str:
    """Self-contained HTML (no external resources), autoescaped; figures inline as SVG."""
    return _environment().get_template("brief.html").render(brief=brief)


class _Pdf(FPDF):
    """A PDF whose every page carries the classification (top and bottom) and "page N of M"."""

    def __init__(self, banner: str, family: str) -> None:
        super().__init__(format="A4")
        self.banner, self.family = banner, family
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_y(8)
        self.set_font(self.family, "B", 8)
        self.set_text_color(139, 0, 0)
        self.cell(0, 5, self.banner, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.set_y(20)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family, "B", 8)
        self.set_text_color(139, 0, 0)
        self.cell(0, 4, self.banner, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 4, f"page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _font(doc: FPDF) -> str:
    folder = next((d for d in FONT_DIRS if (d / "DejaVuSans.ttf").exists()), None)
    if folder is None:
        return "Helvetica"
    doc.add_font("DejaVu", "", str(folder / "DejaVuSans.ttf"))
    doc.add_font("DejaVu", "B", str(folder / "DejaVuSans-Bold.ttf"))
    return "DejaVu"


def pdf(brief: Brief) -> bytes:
    """The brief as PDF: left-aligned text, nested histories, figures, classification and page numbers."""
    doc = _Pdf(brief.classification.upper(), "Helvetica")
    doc.family = _font(doc)
    family = doc.family

    def text(value: str) -> str:
        return value if family == "DejaVu" else value.encode("latin-1", "replace").decode("latin-1")

    def line(value: str, size: float = 9.5, style: str = "", indent: float = 0, height: float = 4.6) -> None:
        doc.set_x(doc.l_margin + indent)
        doc.set_font(family, style, size)
        doc.multi_cell(doc.epw - indent, height, text(value), align="L", new_x="LMARGIN", new_y="NEXT")

    def item(statement: Statement, depth: int) -> None:
        indent = 5.0 * depth
        doc.set_font(family, "", 9.5)
        doc.set_x(doc.l_margin + indent)
        doc.cell(4, 4.6, "•" if family == "DejaVu" else "-")
        doc.multi_cell(
            doc.epw - indent - 4, 4.6, text(statement.text + _cites(statement)), align="L",
            new_x="LMARGIN", new_y="NEXT",
        )  # fmt: skip
        for child in statement.children:
            item(child, depth + 1)

    doc.add_page()
    line(f"Linked-case brief: {brief.title}", 15, "B", height=7)
    for section in brief.sections:
        doc.ln(3)
        svg = brief.figure(section.figure, font=family) if section.figure else ""
        if doc.will_page_break(doc.epw * _svg_ratio(svg) + 20 if svg else 30):
            doc.add_page()
        line(section.title, 12, "B", height=6)
        doc.ln(1)
        if section.note:
            line(section.note, 8.5)
        for key, value in section.fields:
            line(f"{key}: {value.text}{_cites(value)}")
        for statement in section.items:
            item(statement, 0)
        if section.figure:
            if svg:
                doc.image(io.BytesIO(svg.encode("utf-8")), x=doc.l_margin, w=doc.epw)
                line(section.caption, 8.5)
            else:
                line("nothing to draw")
        elif not section.fields and not section.items:
            line(section.empty or "none")
    doc.ln(3)
    line("Sources", 12, "B", height=6)
    for source in brief.sources:
        line(f"{source.number}. {source.text}", 8.5, height=4)
    return bytes(doc.output())


def _svg_ratio(svg: str) -> float:
    """Height / width of an SVG from its viewBox."""
    found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    return float(found.group(2)) / float(found.group(1)) if found else 0.75
