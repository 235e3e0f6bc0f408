"""表四 of the annual report (条例 Art. 50; format of 国办公开办函〔2021〕30号; regulation §6):
the reconsiderations and lawsuits about the agency's information disclosure, in three
groups — 行政复议; 行政诉讼 未经复议直接起诉; 行政诉讼 复议后起诉 — of five columns each:
结果维持, 结果纠正, 其他结果, 尚未审结, 总计.

Which proceeding counts where, for year Y:
- a result column: concluded (审结, `result_on`) in Y, by its result (legal/remedy.py groups
  the results as the format does);
- 尚未审结: received by 31 December of Y and not concluded by then — a matter carried over
  from an earlier year counts again while it is pending;
- 总计: every matter received by the end of Y and not concluded before Y, counted on its
  own (never as the sum), so "the four add up to 总计" is a real check;
- a lawsuit in which the agency is a co-defendant only as the reconsideration body is not
  counted at all; the original agency counts it (国办公开办函〔2016〕201号).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from documents.spreadsheets import spreadsheet_text
from legal import remedy as remedy_rules
from workflows.models import RemedyProceeding

from .table3 import year_bounds

TITLE = "四、政府信息公开行政复议、行政诉讼情况"

RECONSIDERATION, LITIGATION_DIRECT, LITIGATION_AFTER = "reconsideration", "litigation_direct", "litigation_after"
GROUPS: list[tuple[str, str]] = [
    (RECONSIDERATION, "行政复议"),
    (LITIGATION_DIRECT, "未经复议直接起诉"),
    (LITIGATION_AFTER, "复议后起诉"),
]
GROUP_LABELS = dict(GROUPS)
GROUP_TITLES = {RECONSIDERATION: "行政复议", LITIGATION_DIRECT: "行政诉讼（未经复议直接起诉）",
                LITIGATION_AFTER: "行政诉讼（复议后起诉）"}
LITIGATION_HEADER = "行政诉讼"

UPHELD, CORRECTED, OTHER, PENDING, TOTAL = remedy_rules.UPHELD, remedy_rules.CORRECTED, remedy_rules.OTHER, "pending", "total"
COLUMNS: list[tuple[str, str]] = [
    (UPHELD, "结果维持"), (CORRECTED, "结果纠正"), (OTHER, "其他结果"), (PENDING, "尚未审结"), (TOTAL, "总计"),
]
COLUMN_LABELS = dict(COLUMNS)
RESULT_COLUMNS = [UPHELD, CORRECTED, OTHER, PENDING]
RULE_GROUP_TOTAL = "维持＋纠正＋其他结果＋尚未审结＝总计"
OFFENDERS_SHOWN = 50


def group_filter(group: str) -> Q:
    if group == RECONSIDERATION:
        return Q(kind=remedy_rules.RECONSIDERATION)
    if group == LITIGATION_DIRECT:
        return Q(kind=remedy_rules.LITIGATION, after_reconsideration=False)
    if group == LITIGATION_AFTER:
        return Q(kind=remedy_rules.LITIGATION, after_reconsideration=True)
    raise KeyError(group)


def column_filter(column: str, year: int) -> Q:
    """The proceedings one column counts in `year`: the one definition behind the table
    and the list of each cell."""
    start, end = year_bounds(year)
    if column in (UPHELD, CORRECTED, OTHER):
        return Q(result=column, result_on__gte=start, result_on__lte=end)
    if column == PENDING:
        return Q(received_on__lte=end) & (Q(result_on__isnull=True) | Q(result_on__gt=end))
    if column == TOTAL:
        return Q(received_on__lte=end) & (Q(result_on__isnull=True) | Q(result_on__gte=start))
    raise KeyError(column)


def counted(proceedings: QuerySet) -> QuerySet:
    """The proceedings 表四 counts: not those where the agency is only the co-defendant
    reconsideration body."""
    return proceedings.filter(co_defendant=False)


def proceedings_of(cases: QuerySet) -> QuerySet:
    """The proceedings about the cases of a report's scope."""
    return RemedyProceeding.objects.filter(case__in=cases.values("pk"))


def cell_proceedings(proceedings: QuerySet, *, year: int, group: str, column: str) -> QuerySet:
    return counted(proceedings).filter(group_filter(group), column_filter(column, year))


@dataclass
class GroupCheck:
    group: str
    parts: int
    total: int

    @property
    def ok(self) -> bool:
        return self.parts == self.total

    @property
    def where(self) -> str:
        return GROUP_TITLES[self.group]


@dataclass
class Table4:
    year: int
    cells: dict[str, dict[str, int]]  # group -> column -> count
    checks: list[GroupCheck]
    offenders: list = field(default_factory=list)  # proceedings that break a failed check

    @property
    def balanced(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> list[GroupCheck]:
        return [c for c in self.checks if not c.ok]

    def value(self, group: str, column: str) -> int:
        return self.cells[group][column]

    def values(self) -> list[int]:
        """The 15 numbers, in the order of the format."""
        return [self.cells[g][c] for g, _l in GROUPS for c, _cl in COLUMNS]


def table4(proceedings: QuerySet, *, year: int) -> Table4:
    """表四 of `year` for `proceedings` (an agency's, or all for 汇总): one grouped query."""
    start, end = year_bounds(year)
    aggregates = {}
    for g, _l in GROUPS:
        for c, _cl in COLUMNS:
            aggregates[f"{g}__{c}"] = Count("pk", filter=group_filter(g) & column_filter(c, year))
    touching = counted(proceedings).filter(
        Q(result_on__gte=start, result_on__lte=end)
        | (Q(received_on__lte=end) & (Q(result_on__isnull=True) | Q(result_on__gte=start))))
    got = touching.aggregate(**aggregates)
    cells = {g: {c: got[f"{g}__{c}"] or 0 for c, _cl in COLUMNS} for g, _l in GROUPS}
    checks = [GroupCheck(g, sum(cells[g][c] for c in RESULT_COLUMNS), cells[g][TOTAL]) for g, _l in GROUPS]
    offenders = []
    if not all(c.ok for c in checks):
        # only a matter concluded before it was received, or concluded without a result, falls out
        offenders = list(touching.filter(Q(result_on__lt=F("received_on")) | Q(result="", result_on__isnull=False))
                         .select_related("case").order_by("received_on", "pk")[:OFFENDERS_SHOWN])
    return Table4(year=year, cells=cells, checks=checks, offenders=offenders)


# --- as a file --------------------------------------------------------------------------

def header_rows() -> list[list[str]]:
    """The two header lines of the published table, flattened (merged cells repeated)."""
    top = [GROUP_LABELS[RECONSIDERATION]] * len(COLUMNS) + [LITIGATION_HEADER] * (2 * len(COLUMNS))
    second = [""] * len(COLUMNS) + [GROUP_LABELS[LITIGATION_DIRECT]] * len(COLUMNS) + \
        [GROUP_LABELS[LITIGATION_AFTER]] * len(COLUMNS)
    third = [label for _g in GROUPS for _c, label in COLUMNS]
    return [top, second, third]


def flat_rows(table: Table4) -> list[list]:
    """One line per group, for the CSV: (group, five numbers)."""
    return [[GROUP_TITLES[g], *[table.cells[g][c] for c, _cl in COLUMNS]] for g, _l in GROUPS]


def as_dict(table: Table4) -> dict:
    return {
        "表": TITLE,
        "列": [label for _c, label in COLUMNS],
        "行": [{"项目": GROUP_TITLES[g], "数值": [table.cells[g][c] for c, _cl in COLUMNS]} for g, _l in GROUPS],
        "勾稽关系": {"全部相符": table.balanced,
                     "不相符": [{"规则": RULE_GROUP_TOTAL, "位置": c.where, "左": c.parts, "右": c.total}
                                for c in table.failures]},
    }


def xlsx_sheet(wb, table: Table4, *, scope_label: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    ws = wb.create_sheet(f"{table.year}年表四")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    n = len(COLUMNS)
    ws.cell(1, 1, spreadsheet_text(f"{scope_label}{table.year}年政府信息公开工作年度报告")).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3 * n)
    ws.cell(2, 1, TITLE).font = Font(bold=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=3 * n)
    ws.cell(3, 1, GROUP_LABELS[RECONSIDERATION])
    ws.merge_cells(start_row=3, start_column=1, end_row=4, end_column=n)
    ws.cell(3, n + 1, LITIGATION_HEADER)
    ws.merge_cells(start_row=3, start_column=n + 1, end_row=3, end_column=3 * n)
    ws.cell(4, n + 1, GROUP_LABELS[LITIGATION_DIRECT])
    ws.merge_cells(start_row=4, start_column=n + 1, end_row=4, end_column=2 * n)
    ws.cell(4, 2 * n + 1, GROUP_LABELS[LITIGATION_AFTER])
    ws.merge_cells(start_row=4, start_column=2 * n + 1, end_row=4, end_column=3 * n)
    for i, label in enumerate(header_rows()[2]):
        ws.cell(5, 1 + i, label)
    for i, value in enumerate(table.values()):
        ws.cell(6, 1 + i, value)
    for row in ws.iter_rows(min_row=3, max_row=6, max_col=3 * n):
        for cell in row:
            cell.border, cell.alignment = border, center
    for i in range(3 * n):
        ws.column_dimensions[chr(ord("A") + i)].width = 9
