"""The remedy sentence (救济途径告知) — its one home.

Every reply that decides something tells the applicant where and within which period
to challenge it: administrative reconsideration within 60 days of receipt
(《中华人民共和国行政复议法》2023, Art. 20) or an administrative lawsuit within
6 months (《中华人民共和国行政诉讼法》Art. 46). The body and the court are agency
settings (行政复议法 Art. 24/27), never hard-coded. Omitting the sentence lets the
period run for up to a year, so every deciding document must carry it.
"""
from __future__ import annotations

RECONSIDERATION_DAYS = 60  # 行政复议法 (2023) Art. 20
LAWSUIT_MONTHS = 6  # 行政诉讼法 Art. 46
ARTICLES = "《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条"


def remedy_sentence(agency, *, party: str = "申请人", decision: str = "本答复") -> str:
    return (
        f"{party}如对{decision}不服，可以自收到{decision}之日起{RECONSIDERATION_DAYS}日内向{agency.reconsideration_body}"
        f"申请行政复议，或者自收到{decision}之日起{LAWSUIT_MONTHS}个月内向{agency.court}提起行政诉讼。"
    )
