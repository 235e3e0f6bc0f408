"""表三 as a file: CSV, JSON and a spreadsheet in the layout of the published report.
Rows and columns in the order of the format; every cell a number (0 for none)."""
from __future__ import annotations

import csv
import io
import json

from documents.spreadsheets import spreadsheet_text

from .table3 import (
    ALL_COLUMNS,
    ANSWERED,
    COLUMNS,
    GROUPS,
    LEAF_ROWS,
    LEGAL_PERSON_HEADER,
    PART_THREE,
    ROW_LABELS,
    ROW_ORDER,
    Table3,
    row_title,
)

TITLE = "三、收到和处理政府信息公开申请情况"


def safe_text(value: str) -> str:
    """A spreadsheet must never read a name as a formula (CSV/formula injection)."""
    return spreadsheet_text(value)


def header() -> list[str]:
    return ["项目", *[label for _c, label in ALL_COLUMNS]]


def flat_rows(table: Table3) -> list[list]:
    return [[row_title(row), *values] for row, values in table.rows()]


def as_csv(table: Table3, *, scope_label: str, table4=None) -> str:
    """表三, then (when given) 表四 after a blank line, each under its title."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_text(f"{scope_label} {table.year}年 {TITLE}")])
    writer.writerow(header())
    writer.writerows(flat_rows(table))
    if table4 is not None:
        from . import table4 as t4

        writer.writerow([])
        writer.writerow([safe_text(f"{scope_label} {table4.year}年 {t4.TITLE}")])
        writer.writerow(["项目", *[label for _c, label in t4.COLUMNS]])
        writer.writerows(t4.flat_rows(table4))
    return out.getvalue()


def as_dict(table: Table3, *, scope_label: str, fees=None, table4=None) -> dict:
    data = {
        "机关": scope_label,
        "年度": table.year,
        "表": TITLE,
        "列": [label for _c, label in ALL_COLUMNS],
        "行": [{"项目": row_title(row), "数值": values} for row, values in table.rows()],
        "勾稽关系": {"全部相符": table.balanced,
                     "不相符": [{"规则": f.rule, "说明": f.explanation,
                                 "位置": [{"列或行": c.where, "左": c.left, "右": c.right} for c in f.checks],
                                 "案件": [c.registration_number or c.tracking_number for c in f.cases]}
                                for f in table.failures]},
    }
    if table4 is not None:
        from . import table4 as t4

        data["表四"] = t4.as_dict(table4)
    if fees is not None:
        data["信息处理费"] = {"件数": fees.count, "金额（元）": str(fees.amount)}
    return data


def as_json(table: Table3, *, scope_label: str, fees=None, table4=None) -> str:
    return json.dumps(as_dict(table, scope_label=scope_label, fees=fees, table4=table4), ensure_ascii=False, indent=2)


def layout_rows() -> list[tuple[str, list[tuple[str, int, int, int]]]]:
    """The label cells of each row as (text, rowspan, colspan, first column) over the
    three label columns of the published table (一/二/三/四 | （一）…（七） | 1. 2. …)."""
    group_sizes = {g: sum(1 for r in LEAF_ROWS if r.startswith(f"{g}.")) for g, _l in GROUPS}
    out = []
    for row in ROW_ORDER:
        if row not in LEAF_ROWS and row != ANSWERED:
            labels = [(ROW_LABELS[row], 1, 3, 1)]
        else:
            labels = [(PART_THREE, len(LEAF_ROWS) + 1, 1, 1)] if row == LEAF_ROWS[0] else []
            if "." in row:
                group = row.split(".")[0]
                if row == f"{group}.1":
                    labels.append((dict(GROUPS)[group], group_sizes[group], 1, 2))
                labels.append((ROW_LABELS[row], 1, 1, 3))
            else:
                labels.append((ROW_LABELS[row], 1, 2, 2))
        out.append((row, labels))
    return out


def as_xlsx(table: Table3, *, scope_label: str, fees=None, table2_values: dict | None = None, table4=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = f"{table.year}年表三"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    n_cols = 3 + len(ALL_COLUMNS)
    ws.cell(1, 1, safe_text(f"{scope_label}{table.year}年政府信息公开工作年度报告")).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_cols)
    ws.cell(2, 1, TITLE).font = Font(bold=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n_cols)
    # header: 申请人情况 over 自然人 | 法人或其他组织 (five) | 总计
    top = 3
    ws.cell(top, 1, "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和")
    ws.merge_cells(start_row=top, start_column=1, end_row=top + 2, end_column=3)
    ws.cell(top, 4, "申请人情况")
    ws.merge_cells(start_row=top, start_column=4, end_row=top, end_column=n_cols)
    ws.cell(top + 1, 4, COLUMNS[0][1])
    ws.merge_cells(start_row=top + 1, start_column=4, end_row=top + 2, end_column=4)
    ws.cell(top + 1, 5, LEGAL_PERSON_HEADER)
    ws.merge_cells(start_row=top + 1, start_column=5, end_row=top + 1, end_column=n_cols - 1)
    for i, (_c, label) in enumerate(COLUMNS[1:]):
        ws.cell(top + 2, 5 + i, label)
    ws.cell(top + 1, n_cols, "总计")
    ws.merge_cells(start_row=top + 1, start_column=n_cols, end_row=top + 2, end_column=n_cols)
    r = top + 3
    values = dict(table.rows())
    for row, labels in layout_rows():
        for text, rowspan, colspan, col in labels:
            ws.cell(r, col, text).alignment = left
            if rowspan > 1 or colspan > 1:
                ws.merge_cells(start_row=r, start_column=col, end_row=r + rowspan - 1, end_column=col + colspan - 1)
        for i, v in enumerate(values[row]):
            ws.cell(r, 4 + i, v).alignment = center
        r += 1
    if fees is not None:
        r += 1
        ws.cell(r, 1, f"本年度收取信息处理费：{fees.count}件，共{fees.amount}元")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n_cols)
    for row in ws.iter_rows(min_row=top, max_row=top + 2 + len(ROW_ORDER), max_col=n_cols):
        for cell in row:
            cell.border = border
            if cell.alignment.horizontal is None:
                cell.alignment = center
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 40
    for i in range(len(ALL_COLUMNS)):
        ws.column_dimensions[chr(ord("D") + i)].width = 11
    if table2_values is not None:
        _table2_sheet(wb, table.year, scope_label, table2_values, border, center)
    if table4 is not None:
        from .table4 import xlsx_sheet

        xlsx_sheet(wb, table4, scope_label=scope_label)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _table2_sheet(wb, year: int, scope_label: str, values: dict, border, center) -> None:
    from openpyxl.styles import Font

    from .table2 import TITLE as TABLE2_TITLE
    from .table2 import layout

    ws = wb.create_sheet(f"{year}年表二", 0)
    ws.cell(1, 1, safe_text(f"{scope_label}{year}年政府信息公开工作年度报告")).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    ws.cell(2, 1, TABLE2_TITLE).font = Font(bold=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=4)
    r = 3
    for section in layout(values):
        ws.cell(r, 1, section["article"])
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        r += 1
        lines = [("信息内容", section["headings"])] + [
            (row["label"], [c["value"] for c in row["cells"]]) for row in section["rows"]]
        for label, cells in lines:
            ws.cell(r, 1, label)
            for i, v in enumerate(cells):
                ws.cell(r, 2 + i, float(v) if not isinstance(v, (int, str)) else v)
            if len(cells) == 1:
                ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
            r += 1
    for row in ws.iter_rows(min_row=3, max_row=r - 1, max_col=4):
        for cell in row:
            cell.border, cell.alignment = border, center
    ws.column_dimensions["A"].width = 18
    for col in "BCD":
        ws.column_dimensions[col].width = 16
