"""Outcomes of an application (条例 Art. 36–39) and their annual-report rows (regulation §4).

The one home of the outcome codes. Every requested item gets one code; the case
outcome follows from its items (`case_outcome`). Each code maps one-to-one onto a row
of table 三 of the annual report (国办公开办函〔2021〕30号); three reply types of Art. 36
that have no row of their own are counted where practice counts them (noted below).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    code: str  # stored on the item
    row: str  # annual-report row, e.g. "3.4"
    label: str  # what the reply and the staff see
    article: str  # legal basis the reply cites
    discloses: bool  # the applicant receives (some) information

    def __str__(self):
        return self.label


_OUTCOMES = [
    Outcome("1", "1", "予以公开", "《政府信息公开条例》第三十六条第（二）项", True),
    Outcome("2", "2", "部分公开", "《政府信息公开条例》第三十七条", True),
    Outcome("3.1", "3.1", "不予公开：属于国家秘密", "《政府信息公开条例》第十四条、第三十六条第（三）项", False),
    Outcome("3.2", "3.2", "不予公开：其他法律行政法规禁止公开", "《政府信息公开条例》第十四条、第三十六条第（三）项", False),
    Outcome("3.3", "3.3", "不予公开：危及“三安全一稳定”", "《政府信息公开条例》第十四条、第三十六条第（三）项", False),
    Outcome("3.4", "3.4", "不予公开：保护第三方合法权益", "《政府信息公开条例》第十五条、第三十六条第（三）项", False),
    Outcome("3.5", "3.5", "不予公开：属于三类内部事务信息", "《政府信息公开条例》第十六条第一款、第三十六条第（三）项", False),
    Outcome("3.6", "3.6", "不予公开：属于四类过程性信息", "《政府信息公开条例》第十六条第二款、第三十六条第（三）项", False),
    Outcome("3.7", "3.7", "不予公开：属于行政执法案卷", "《政府信息公开条例》第十六条第二款、第三十六条第（三）项", False),
    Outcome("3.8", "3.8", "不予公开：属于行政查询事项", "《政府信息公开条例》第三十六条第（七）项", False),
    Outcome("4.1", "4.1", "无法提供：本机关不掌握相关政府信息", "《政府信息公开条例》第三十六条第（四）项", False),
    Outcome("4.2", "4.2", "无法提供：没有现成信息需要另行制作", "《政府信息公开条例》第三十八条", False),
    Outcome("4.3", "4.3", "无法提供：补正后申请内容仍不明确", "《政府信息公开条例》第三十条", False),
    Outcome("5.1", "5.1", "不予处理：信访举报投诉类申请", "《政府信息公开条例》第三十九条第一款", False),
    Outcome("5.2", "5.2", "不予处理：重复申请", "《政府信息公开条例》第三十六条第（六）项", False),
    Outcome("5.3", "5.3", "不予处理：要求提供公开出版物", "《政府信息公开条例》第三十九条第二款", False),
    Outcome("5.4", "5.4", "不予处理：无正当理由大量反复申请", "《政府信息公开条例》第三十五条", False),
    # A request to confirm, or issue again, information the applicant already holds does not
    # seek to obtain government information (Art. 2 defines it, Art. 27 is the right to ask for
    # it); Art. 39(2) is about publications (5.3), not this.
    Outcome("5.5", "5.5", "不予处理：要求行政机关确认或重新出具已获取信息", "《政府信息公开条例》第二条、第二十七条", False),
    Outcome("6.1", "6.1", "其他处理：申请人无正当理由逾期不补正", "《政府信息公开条例》第三十条", False),
    Outcome("6.2", "6.2", "其他处理：申请人逾期未缴纳信息处理费", "《政府信息公开条例》第四十二条", False),
    Outcome("6.3", "6.3", "其他处理", "", False),
    # Art. 36 reply types without a row of their own:
    # already proactively disclosed: the applicant is told where to get it -> counted as 予以公开.
    Outcome("already_public", "1", "已主动公开", "《政府信息公开条例》第三十六条第（一）项", True),
    # not this agency's: the agency does not hold it as the responsible body -> 本机关不掌握.
    Outcome("not_this_agency", "4.1", "不属于本机关负责公开", "《政府信息公开条例》第三十六条第（五）项", False),
    # special rules (工商、不动产登记资料 …): an administrative query matter -> 行政查询事项.
    Outcome("special_rules", "3.8", "依照特别规定办理", "《政府信息公开条例》第三十六条第（七）项", False),
]

OUTCOMES: dict[str, Outcome] = {o.code: o for o in _OUTCOMES}
CHOICES = [(o.code, o.label) for o in _OUTCOMES]

REPORT_ROWS = [
    ("1", "（一）予以公开"),
    ("2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("3.1", "1.属于国家秘密"), ("3.2", "2.其他法律行政法规禁止公开"), ("3.3", "3.危及“三安全一稳定”"),
    ("3.4", "4.保护第三方合法权益"), ("3.5", "5.属于三类内部事务信息"), ("3.6", "6.属于四类过程性信息"),
    ("3.7", "7.属于行政执法案卷"), ("3.8", "8.属于行政查询事项"),
    ("4.1", "1.本机关不掌握相关政府信息"), ("4.2", "2.没有现成信息需要另行制作"), ("4.3", "3.补正后申请内容仍不明确"),
    ("5.1", "1.信访举报投诉类申请"), ("5.2", "2.重复申请"), ("5.3", "3.要求提供公开出版物"),
    ("5.4", "4.无正当理由大量反复申请"), ("5.5", "5.要求行政机关确认或重新出具已获取信息"),
    ("6.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("6.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("6.3", "3.其他"),
]

# Outcomes decided by the process itself, never chosen for an item by a handler.
LAPSED_SUPPLEMENT, LAPSED_FEE, OTHER = "6.1", "6.2", "6.3"
REPEAT = "5.2"
UNREASONABLE_VOLUME = "5.4"  # only after reasons were asked for and found unreasonable (Art. 35)
UNCLEAR_AFTER_SUPPLEMENT = "4.3"  # only after a supplement was asked for and received (Art. 30)
DECIDED_BY_PROCESS = {LAPSED_SUPPLEMENT, LAPSED_FEE}
# What a handler may choose for an item.
CHOOSABLE = [(code, label) for code, label in CHOICES if code not in DECIDED_BY_PROCESS]
NEEDS_AGENCY = {"not_this_agency"}  # the reply names the right agency
NEEDS_LOCATION = {"already_public"}  # the reply says where to find it
# The reply itself provides the information (Art. 36(2), Art. 37): the files go with it as
# 附件, or another form of provision is arranged (Art. 40). Already published information is
# pointed to instead (Art. 36(1)).
PROVIDED_WITH_REPLY = {"1", "2"}


def case_outcome(item_codes: list[str]) -> Outcome:
    """One outcome per case (regulation §2), whatever the order of the items: all items
    alike -> that outcome; some items disclosed and some not -> 部分公开 (report row (二):
    区分处理的只计这一情形); nothing disclosed but mixed grounds -> the ground that stands
    first in table 三 (不予公开 before 无法提供 before 不予处理 before 其他处理, and in
    their listed order within each), so each case is counted once, in one row."""
    if not item_codes:
        raise ValueError("a case needs at least one item with an outcome")
    outcomes = [OUTCOMES[c] for c in item_codes]
    if len({o.code for o in outcomes}) == 1:
        return outcomes[0]
    if any(o.discloses for o in outcomes):
        if all(o.discloses for o in outcomes):
            partial = [o for o in outcomes if o.code == "2"]
            return partial[0] if partial else OUTCOMES["1"]
        return OUTCOMES["2"]
    return min(outcomes, key=_table_order)


_ROW_ORDER = {row: n for n, (row, _label) in enumerate(REPORT_ROWS)}
_CODE_ORDER = {o.code: n for n, o in enumerate(_OUTCOMES)}


def _table_order(outcome: Outcome) -> tuple[int, int]:
    return _ROW_ORDER[outcome.row], _CODE_ORDER[outcome.code]


def label(code: str | None) -> str:
    """The outcome of an item in words (empty while undecided)."""
    outcome = OUTCOMES.get(code or "")
    return outcome.label if outcome else ""
