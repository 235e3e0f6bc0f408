"""The annual report's tables as a PDF in the national layout (表二, 表三, 表四 and the fee
figure), rendered with the documents app's fonts and WeasyPrint set-up."""
from __future__ import annotations

from django.template.loader import render_to_string

from documents.rendering import BODY_FONTS, NUMBER_FONTS, TITLE_FONTS, font_face_css, html_to_pdf

from . import exports
from .table2 import TITLE as TABLE2_TITLE
from .table2 import layout as table2_layout
from .table3 import COLUMNS, LEGAL_PERSON_HEADER, Table3


def annual_report_html(*, scope_label: str, year: int, table: Table3, table2_values: dict, fees, today,
                       table4=None) -> str:
    from . import table4 as t4

    rows = [{"key": row, "labels": labels, "values": values}
            for (row, labels), (_row, values) in zip(exports.layout_rows(), table.rows(), strict=True)]
    return render_to_string("reports/pdf/annual.html", {
        "scope_label": scope_label, "year": year, "table": table, "rows": rows, "fees": fees, "today": today,
        "table2_title": TABLE2_TITLE, "sections": table2_layout(table2_values), "table3_title": exports.TITLE,
        "natural_label": COLUMNS[0][1], "legal_person_label": LEGAL_PERSON_HEADER,
        "legal_person_columns": [label for _c, label in COLUMNS[1:]], "n_legal_person": len(COLUMNS) - 1,
        "font_face": font_face_css(), "body_fonts": BODY_FONTS, "title_fonts": TITLE_FONTS,
        "number_fonts": NUMBER_FONTS,
        "table4": table4, "table4_title": t4.TITLE, "t4_columns": [label for _c, label in t4.COLUMNS],
        "t4_n": len(t4.COLUMNS), "t4_groups": t4.GROUP_LABELS, "litigation_header": t4.LITIGATION_HEADER,
    })


def annual_report_pdf(**kwargs) -> bytes:
    return html_to_pdf(annual_report_html(**kwargs))
