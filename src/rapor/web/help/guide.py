"""The "Panduan Pengguna" PDF, made from the guide's own Markdown (`guide/<language>.md`) and the
indicator catalogue, so it describes the product as built and cannot drift from the indicators
the pipeline computes.

The PDF uses the standard PDF fonts (Helvetica), which every reader has, in the Windows-1252
encoding: the guide may use the typographic quotes and dashes of that encoding but no other
non-Latin characters (a test renders both languages, so one would fail there). Both the sources
and the catalogue are fixed for the life of a process, so each language is made once.
"""

from __future__ import annotations

import functools
from html import escape
from importlib.metadata import version
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF, TextStyle
from fpdf.outline import OutlineSection
from markdown_it import MarkdownIt

from rapor.catalogue import load_catalogue
from rapor.catalogue.model import Indicator
from rapor.web.dashboard.figures import bands_text

SOURCES = Path(__file__).parent / "guide"
LANGUAGES = ("id", "en")
BULLET = "\u2022"
TOC_DEPTH = 1  # chapters and the catalogue's dimensions; not every indicator
BRAND = "#0b4a8b"  # the web app's --brand colour
HEADINGS = {
    "h1": TextStyle(font_style="B", font_size_pt=18, color=BRAND, t_margin=8, b_margin=0.4),
    "h2": TextStyle(font_style="B", font_size_pt=14, color=BRAND, t_margin=6, b_margin=0.4),
    "h3": TextStyle(font_style="B", font_size_pt=11.5, color="#1d2939", t_margin=4, b_margin=0.4),
}


class GuidePDF(FPDF):
    """A4 pages numbered in the footer, Helvetica in Windows-1252 (see the module docstring)."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = "windows-1252"
        self.footer_text = footer_text
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("Helvetica", size=8)
        self.set_text_color(110)
        self.cell(0, 6, f"{self.footer_text} \u2013 {self.page_no()}", align="C")


def source_path(language: str) -> Path:
    return SOURCES / f"{language}.md"


def filename(language: str) -> str:
    with translation.override(language):
        return _("panduan-pengguna-rapor-pendidikan.pdf")


@functools.cache
def guide_pdf(language: str) -> bytes:
    """The user guide in `language` ("id" or "en") as PDF bytes."""
    with translation.override(language):
        title = _("Panduan Pengguna Rapor Pendidikan")
        body = MarkdownIt("commonmark").render(source_path(language).read_text(encoding="utf-8"))
        pdf = GuidePDF(footer_text=title)
        pdf.set_title(title)
        pdf.set_author("Rapor Pendidikan")
        pdf.set_lang(language)
        pdf.set_creator(f"rapor {version('rapor')}")
        _title_page(pdf, title)
        pdf.add_page()
        pdf.insert_toc_placeholder(_table_of_contents)
        pdf.set_font("Helvetica", size=10.5)
        html = body + _indicator_chapter(language)
        pdf.write_html(html, ul_bullet_char=BULLET, tag_styles=HEADINGS)
        return bytes(pdf.output())


def _title_page(pdf: GuidePDF, title: str) -> None:
    catalogue = load_catalogue()
    pdf.add_page()
    pdf.set_y(90)
    pdf.set_font("Helvetica", style="B", size=24)
    pdf.multi_cell(0, 12, title, align="C")
    pdf.ln(6)
    pdf.set_font("Helvetica", size=11)
    edition = _("Aplikasi Rapor versi %(app)s · katalog indikator versi %(catalogue)s") % {
        "app": version("rapor"),
        "catalogue": catalogue.version,
    }
    pdf.multi_cell(0, 7, edition, align="C")


def _table_of_contents(pdf: FPDF, outline: list[OutlineSection]) -> None:
    pdf.set_x(pdf.l_margin)
    pdf.set_font("Helvetica", style="B", size=18)
    pdf.set_text_color(BRAND)
    pdf.cell(0, 12, _("Daftar Isi"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.set_font("Helvetica", size=11)
    for section in outline:
        if section.level > TOC_DEPTH:
            continue
        link = pdf.add_link(page=section.page_number)
        pdf.set_x(pdf.l_margin + 8 * section.level)
        width = pdf.epw - 8 * section.level - 12
        pdf.cell(width, 7, section.name, link=link)
        pdf.cell(
            12, 7, str(section.page_number), align="R", link=link, new_x="LMARGIN", new_y="NEXT"
        )


def _indicator_chapter(language: str) -> str:
    """The catalogue's indicators as HTML: by dimension, each with definition, calculation,
    source and label bands, in `language` (the active translation)."""
    catalogue = load_catalogue()
    # Not inside the f-string: makemessages does not find a `_()` there, and the English guide
    # printed this heading in Indonesian.
    heading = _("Daftar Indikator")
    parts = [
        f"<h1>{escape(heading)}</h1>",
        "<p>{}</p>".format(
            escape(
                _(
                    "Bagian ini dibuat dari katalog indikator yang juga dipakai untuk menghitung "
                    "nilai, sehingga definisinya selalu sama dengan perhitungan."
                )
            )
        ),
    ]
    for dimension in catalogue.dimensions:
        indicators = [i for i in catalogue.indicators if i.dimension == dimension.code]
        if not indicators:
            continue
        parts.append(f"<h2>{escape(dimension.code)}. {escape(dimension.name.get(language))}</h2>")
        for indicator in indicators:
            parts.extend(_indicator_html(catalogue, item, language) for item in indicator.walk())
    return "".join(parts)


def _indicator_html(catalogue, indicator: Indicator, language: str) -> str:
    source = catalogue.source(indicator.source)
    lines = [
        f"<h3>{escape(indicator.code)} {escape(indicator.name.get(language))}</h3>",
        f"<p>{escape(indicator.definition.get(language))}</p>",
    ]
    if indicator.calculation:
        lines.append(_labelled(_("Cara menghitung"), indicator.calculation.get(language)))
    lines.append(_labelled(_("Sumber data"), source.name.get(language)))
    lines.append(_labelled(_("Label capaian"), bands_text(indicator)))
    return "".join(lines)


def _labelled(label: str, text: str) -> str:
    return f"<p><b>{escape(label)}:</b> {escape(text)}</p>"
