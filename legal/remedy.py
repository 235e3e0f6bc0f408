"""The remedy sentence (救济途径告知) — its one home.

Every reply that decides something tells the applicant where and within which period
to challenge it: administrative reconsideration within 60 days of receipt
(《中华人民共和国行政复议法》2023, Art. 20) or an administrative lawsuit within
6 months (《中华人民共和国行政诉讼法》Art. 46). The body and the court are agency
settings (行政复议法 Art. 24/27), never hard-coded. Omitting the sentence lets the
period run for up to a year, so every deciding document must carry it.
"""
from __future__ import annotations

import datetime as dt

RECONSIDERATION_DAYS = 60  # 行政复议法 (2023) Art. 20
LAWSUIT_MONTHS = 6  # 行政诉讼法 Art. 46
ARTICLES = "《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条"


def remedy_sentence(agency, *, party: str = "申请人", decision: str = "本答复") -> str:
    return (
        f"{party}如对{decision}不服，可以自收到{decision}之日起{RECONSIDERATION_DAYS}日内向{agency.reconsideration_body}"
        f"申请行政复议，或者自收到{decision}之日起{LAWSUIT_MONTHS}个月内向{agency.court}提起行政诉讼。"
    )


# --- the agency's answer when its decision is challenged -----------------------------------
# Reconsideration: the respondent answers (书面答复) within 十日 of receiving the copy of
# the application (行政复议法 2023 Art. 48); the law's periods of 十日 and under are
# working days (Art. 88). Litigation: the defendant answers (提出答辩状) within 15 days of
# receiving the copy of the complaint (行政诉讼法 Art. 67) — calendar days, counted from
# the next day, and a last day on a statutory holiday or rest day moves to the first
# working day after it (行政诉讼法 Art. 101 → 民事诉讼法 Art. 85).
RECONSIDERATION, LITIGATION = "reconsideration", "litigation"
KINDS = [(RECONSIDERATION, "行政复议"), (LITIGATION, "行政诉讼")]
KIND_LABELS = dict(KINDS)
RECONSIDERATION_ANSWER_WORKDAYS = 10  # 行政复议法 (2023) Art. 48 with Art. 88
COURT_ANSWER_DAYS = 15  # 行政诉讼法 Art. 67; moved by Art. 101 with 民事诉讼法 Art. 85
ANSWER_BASIS = {
    RECONSIDERATION: "《中华人民共和国行政复议法》第四十八条、第八十八条：自收到行政复议申请书副本之日起十日（工作日）内提出书面答复",
    LITIGATION: "《中华人民共和国行政诉讼法》第六十七条、第一百零一条，《中华人民共和国民事诉讼法》第八十五条："
                "自收到起诉状副本之日起十五日内提交答辩状，期间届满的最后一日是法定休假日的，顺延至其后的第一个工作日",
}
RECEIVED_WHAT = {RECONSIDERATION: "收到行政复议申请书副本之日", LITIGATION: "收到起诉状副本之日"}
BODY_LABELS = {RECONSIDERATION: "行政复议机关", LITIGATION: "人民法院"}
APPLICANT_LABELS = {RECONSIDERATION: "申请人", LITIGATION: "原告"}
ANSWER_LABELS = {RECONSIDERATION: "书面答复", LITIGATION: "答辩状"}

# Results as the annual report's 表四 groups them (国办公开办函〔2021〕30号): 维持
# (决定维持、驳回复议请求；判决驳回诉讼请求), 纠正 (撤销、变更、确认违法、责令履行),
# 其他 (终止、撤回、不予受理、驳回起诉、调解和解…); no result yet is 尚未审结.
UPHELD, CORRECTED, OTHER = "upheld", "corrected", "other"
RESULTS = [(UPHELD, "维持"), (CORRECTED, "纠正"), (OTHER, "其他结果")]
RESULT_LABELS = {**dict(RESULTS), "": "尚未审结"}
RESULT_HINT = "维持：复议维持、驳回复议请求、判决驳回诉讼请求；纠正：撤销、变更、确认违法、责令履行；其他结果：终止、撤回、不予受理、驳回起诉、调解等"


def next_working_day(day, calendar):
    """`day`, or the first working day after it when it is a holiday or rest day
    (民事诉讼法 Art. 85: a period ending on a 法定休假日 ends on the day after)."""

    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def reconsideration_answer_due(received_on, calendar):
    """The 10th working day after receiving the copy of the application (Art. 48, Art. 88)."""
    return calendar.add_workdays(received_on, RECONSIDERATION_ANSWER_WORKDAYS)


def court_answer_due(received_on, calendar):
    """15 calendar days from receiving the complaint (Art. 67), the receipt day not
    counted; a last day off work moves to the next working day (Art. 101; 民诉法 Art. 85)."""

    return next_working_day(received_on + dt.timedelta(days=COURT_ANSWER_DAYS), calendar)


def answer_due(kind: str, received_on, calendar):
    """The last day of the agency's answer in a proceeding of `kind`."""
    if kind == RECONSIDERATION:
        return reconsideration_answer_due(received_on, calendar)
    if kind == LITIGATION:
        return court_answer_due(received_on, calendar)
    raise ValueError(kind)
