"""Proactive disclosure period (主动公开期限): 条例 Art. 26.

Information to be disclosed proactively is published within 20 working days of being
created or changed; where laws or regulations set another period, that period applies.
The period is a legal clock like an application's (`legal.clock`), opened on the day
the information was created or changed and stopped when it is published.
"""
from __future__ import annotations

from .clock import BASIS_PROACTIVE, STATUTORY_DAYS

PUBLICATION_DAYS = STATUTORY_DAYS  # Art. 26: 自该政府信息形成或者变更之日起20个工作日内
BASIS = BASIS_PROACTIVE

OPENED_REASON = "信息形成，开始计算主动公开期限"
REOPENED_REASON = "信息变更，重新计算主动公开期限"


def clock_label(title: str) -> str:
    """What the clock of a publication is called in lists and the audit record."""
    return f"主动公开：{title}"[:200]
