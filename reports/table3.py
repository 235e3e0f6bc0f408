"""表三 of the annual report (条例 Art. 50; format of 国办公开办函〔2021〕30号; regulation §6),
computed from the cases with one grouped query.

Which case counts where, for year Y (each case's own dates):
- 一 new: received (收到申请之日, Art. 31) in Y;
- 二 carried in: received before Y and not closed before 1 January of Y;
- 三 answered: closed (办结) in Y, in the one row of its outcome (the case outcome was
  decided once by `legal.outcomes.case_outcome`: 部分公开 wins when split), so each
  case is counted once. `closed_on` is the day the reply counts as made (the delivery,
  送达) or the day the case ended by lapse (其他处理 1, 2) or withdrawal (其他处理 3);
  a reply issued but not yet delivered at the end of Y is carried over;
- 四 carried out: received by 31 December of Y and not closed by then.
A case whose receipt was never confirmed (no receipt date) is not an application yet
and counts nowhere. Each figure is counted on its own, never derived from the others,
so the balance rules below are real checks: a failure is reported with the cases that
cause it, never hidden or forced.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from legal import outcomes as outcome_rules
from workflows.models import DisclosureRequest

# --- columns: the one place where the stored applicant type meets the report ----------
# The six columns of 表三 (regulation §1: 自然人, and 法人或其他组织 split into five) map
# one-to-one onto `DisclosureRequest.applicant_type`. A stored type outside this map is
# counted only in 总计, and the column rule (six columns = 总计) reports those cases.
COLUMNS: list[tuple[str, str]] = [
    (DisclosureRequest.NATURAL, "自然人"),
    (DisclosureRequest.COMMERCIAL, "商业企业"),
    (DisclosureRequest.RESEARCH, "科研机构"),
    (DisclosureRequest.PUBLIC_WELFARE, "社会公益组织"),
    (DisclosureRequest.LEGAL_SERVICE, "法律服务机构"),
    (DisclosureRequest.OTHER, "其他"),
]
TOTAL = "total"
ALL_COLUMNS: list[tuple[str, str]] = [*COLUMNS, (TOTAL, "总计")]
COLUMN_LABELS = dict(ALL_COLUMNS)
LEGAL_PERSON_HEADER = "法人或其他组织"

# --- rows, in the order of the format ----------------------------------------------------
NEW, CARRIED_IN, ANSWERED, CARRIED_OUT = "new", "carried_in", "answered", "carried_out"
LEAF_ROWS: list[str] = [row for row, _label in outcome_rules.REPORT_ROWS]
ROW_ORDER: list[str] = [NEW, CARRIED_IN, *LEAF_ROWS, ANSWERED, CARRIED_OUT]

# (key, label) of the groups of part 三 whose leaves are numbered 1., 2., …
GROUPS: list[tuple[str, str]] = [
    ("3", "（三）不予公开"), ("4", "（四）无法提供"), ("5", "（五）不予处理"), ("6", "（六）其他处理"),
]
GROUP_LABELS = dict(GROUPS)
PART_THREE = "三、本年度办理结果"
_LEAF_LABELS = dict(outcome_rules.REPORT_ROWS)
ROW_LABELS: dict[str, str] = {
    NEW: "一、本年新收政府信息公开申请数量",
    CARRIED_IN: "二、上年结转政府信息公开申请数量",
    **_LEAF_LABELS,
    ANSWERED: "（七）总计",
    CARRIED_OUT: "四、结转下年度继续办理",
}

# Outcome codes counted in each leaf row (several codes share a row, see legal.outcomes).
CODES_BY_ROW: dict[str, list[str]] = {row: [] for row in LEAF_ROWS}
for _outcome in outcome_rules.OUTCOMES.values():
    CODES_BY_ROW[_outcome.row].append(_outcome.code)
COUNTED_CODES = [code for codes in CODES_BY_ROW.values() for code in codes]


def row_title(row: str) -> str:
    """The full name of a row, as a reader of the report says it."""
    if row in LEAF_ROWS:
        group = row.split(".")[0]
        prefix = GROUP_LABELS.get(group)
        return f"{PART_THREE}{prefix}{_LEAF_LABELS[row]}" if prefix else f"{PART_THREE}{_LEAF_LABELS[row]}"
    if row == ANSWERED:
        return f"{PART_THREE}（七）总计"
    return ROW_LABELS[row]


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def row_filter(row: str, year: int) -> Q:
    """The cases a row counts: the one definition used by the table and by the list of
    cases behind each cell."""
    start, end = year_bounds(year)
    answered = Q(closed_on__gte=start, closed_on__lte=end)
    if row == NEW:
        return Q(received_on__gte=start, received_on__lte=end)
    if row == CARRIED_IN:
        return Q(received_on__lt=start) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    if row == ANSWERED:
        return answered
    if row == CARRIED_OUT:
        return Q(received_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    if row in CODES_BY_ROW:
        return answered & Q(outcome__in=CODES_BY_ROW[row])
    raise KeyError(row)


def column_filter(column: str) -> Q:
    if column == TOTAL:
        return Q()
    if column in dict(COLUMNS):
        return Q(applicant_type=column)
    raise KeyError(column)


def applications(cases: QuerySet) -> QuerySet:
    """Cases that are applications for the report: their receipt was confirmed."""
    return cases.filter(received_on__isnull=False)


def _touching_year(cases: QuerySet, year: int) -> QuerySet:
    """Every case that can appear in some row of year `year` (keeps the query to the year)."""
    start, end = year_bounds(year)
    return applications(cases).filter(
        Q(received_on__lte=end) | Q(closed_on__lte=end)).filter(
        Q(received_on__gte=start) | Q(closed_on__isnull=True) | Q(closed_on__gte=start))


def cell_cases(cases: QuerySet, *, year: int, row: str, column: str) -> QuerySet:
    """The cases one cell counts (its list page links here)."""
    return applications(cases).filter(row_filter(row, year), column_filter(column))


# --- the balance rules ------------------------------------------------------------------
RULE_BALANCE = "一＋二＝三（七）＋四"
RULE_LEAVES = "三（一）至（六）各项之和＝三（七）总计"
RULE_COLUMNS = "六类申请人之和＝总计"
OFFENDERS_SHOWN = 50  # the first cases listed under a failed rule


@dataclass
class Check:
    rule: str
    where: str  # the column (or row) the rule was checked on
    left: int
    right: int

    @property
    def ok(self) -> bool:
        return self.left == self.right


@dataclass
class Failure:
    """A rule that does not hold, with what breaks it and the cases that cause it."""

    rule: str
    checks: list[Check]
    explanation: str
    cases: list = field(default_factory=list)
    more: int = 0  # cases beyond those listed


@dataclass
class Table3:
    year: int
    cells: dict[str, dict[str, int]]  # row -> column -> count
    checks: list[Check]
    failures: list[Failure]

    @property
    def balanced(self) -> bool:
        return not self.failures

    def value(self, row: str, column: str) -> int:
        return self.cells[row][column]

    def rows(self) -> list[tuple[str, list[int]]]:
        """(row, values in column order), rows in the order of the format."""
        return [(row, [self.cells[row][c] for c, _l in ALL_COLUMNS]) for row in ROW_ORDER]


def table3(cases: QuerySet, *, year: int) -> Table3:
    """表三 of `year` for the cases of `cases` (an agency, or all agencies for 汇总).

    One grouped query (per applicant type, one count per row); a failed rule adds one
    query for the cases behind it. No loop over the cases."""
    counts = {row: Count("pk", filter=row_filter(row, year)) for row in ROW_ORDER}
    grouped = (_touching_year(cases, year).order_by().values("applicant_type")
               .annotate(**{f"n_{i}": agg for i, agg in enumerate(counts.values())}))
    cells = {row: {c: 0 for c, _l in ALL_COLUMNS} for row in ROW_ORDER}
    known = dict(COLUMNS)
    for group in grouped:
        column = group["applicant_type"]
        for i, row in enumerate(ROW_ORDER):
            n = group[f"n_{i}"]
            cells[row][TOTAL] += n
            if column in known:
                cells[row][column] += n
    checks, failures = _check(cells, cases, year)
    return Table3(year=year, cells=cells, checks=checks, failures=failures)


def _check(cells, cases: QuerySet, year: int) -> tuple[list[Check], list[Failure]]:
    balance = [Check(RULE_BALANCE, COLUMN_LABELS[c], cells[NEW][c] + cells[CARRIED_IN][c],
                     cells[ANSWERED][c] + cells[CARRIED_OUT][c]) for c, _l in ALL_COLUMNS]
    leaves = [Check(RULE_LEAVES, COLUMN_LABELS[c], sum(cells[r][c] for r in LEAF_ROWS), cells[ANSWERED][c])
              for c, _l in ALL_COLUMNS]
    columns = [Check(RULE_COLUMNS, row_title(r), sum(cells[r][c] for c, _l in COLUMNS), cells[r][TOTAL])
               for r in ROW_ORDER]
    start, end = year_bounds(year)
    in_year = _touching_year(cases, year)
    failures = []
    if not all(c.ok for c in balance):
        # Only a case closed before it was received can sit on one side alone.
        failures.append(_failure(
            RULE_BALANCE, balance, in_year.filter(closed_on__lt=F("received_on")),
            "办结日期早于收到申请之日的案件：它只计入等式的一边。请核对这些案件的收到日期和办结日期。"))
    if not all(c.ok for c in leaves):
        failures.append(_failure(
            RULE_LEAVES, leaves,
            in_year.filter(closed_on__gte=start, closed_on__lte=end).exclude(outcome__in=COUNTED_CODES),
            "本年办结但没有可计入表三的办理结果的案件：计入（七）总计，却不属于任何一项。请补录办理结果。"))
    if not all(c.ok for c in columns):
        failures.append(_failure(
            RULE_COLUMNS, columns, in_year.exclude(applicant_type__in=[c for c, _l in COLUMNS]),
            "申请人类型不属于六类之一的案件：只计入总计。请核对申请人类型。"))
    return balance + leaves + columns, failures


def _failure(rule: str, checks: list[Check], offenders: QuerySet, explanation: str) -> Failure:
    listed = list(offenders.order_by("received_on", "pk")[: OFFENDERS_SHOWN + 1])
    more = max(0, len(listed) - OFFENDERS_SHOWN)
    if more:
        more = offenders.count() - OFFENDERS_SHOWN
    return Failure(rule=rule, checks=[c for c in checks if not c.ok], explanation=explanation,
                   cases=listed[:OFFENDERS_SHOWN], more=more)
