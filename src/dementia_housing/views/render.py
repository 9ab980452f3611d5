"""Small HTML builders shared by the tools' views. Every piece of text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import quote


def html_table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[object]], numeric_from: int = 1) -> str:
    """An accessible HTML table: caption, column headers, row headers in the first column."""
    head = "".join(f'<th scope="col">{escape(str(h))}</th>' for h in headers)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{escape(str(row[0]))}</th>']
        for index, cell in enumerate(row[1:], start=1):
            align = ' style="text-align:right"' if index >= numeric_from else ""
            cells.append(f"<td{align}>{escape(str(cell))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<table class="dh-table">'
        f"<caption>{escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody>"
        "</table>"
    )


def paragraph(text: str, css_class: str = "") -> str:
    cls = f' class="{escape(css_class)}"' if css_class else ""
    return f"<p{cls}>{escape(text)}</p>"


PRINT_NOTE = "For a printable copy, use your browser's Print."


def csv_link(filename: str, text: str, csv_text: str) -> str:
    """A link that saves ``csv_text`` as ``filename``, with nothing sent anywhere (a data: URL)."""
    href = "data:text/csv;charset=utf-8," + quote(csv_text)
    return f'<a download="{escape(filename)}" href="{escape(href)}">{escape(text)}</a>'


def download_html(filename: str, text: str, csv_text: str, note: str = PRINT_NOTE, css_class: str = "") -> str:
    """The CSV link and how to print, as every tool offers them under its results."""
    cls = f' class="{escape(css_class)}"' if css_class else ""
    return f"<p{cls}>{csv_link(filename, text, csv_text)}. {escape(note)}</p>"
