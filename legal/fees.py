"""Information-processing fees (信息处理费): 条例 Art. 42 and 国办函〔2020〕109号
《政府信息公开信息处理费管理办法》. Normally free; charged only for a volume clearly
beyond reason, by ONE of two progressive methods (never both):

- 按量计收, by volume (纸张、光盘、电子邮件等提供的页数): 1–30 free; 31–100 at 10
  yuan/page; 101–200 at 20 yuan/page; 201 and above at 40 yuan/page;
- 按件计收, per application (same applicant, one natural month): the 1st–10th free; the
  11th–30th 100 yuan each; from the 31st, each further band of 10 costs 100 yuan more per
  application than the band before (31st–40th 200, 41st–50th 300, …).
The notice is sent within the answer period (regulation §2).
The fee notice states the basis, the standard and the amount; the applicant pays within
20 working days (legal.clock.FEE_PAYMENT_DAYS).
"""
from __future__ import annotations

from decimal import Decimal

PER_PAGE, PER_APPLICATION = "per_page", "per_application"
# 按件 = per application, 按量 = by volume (pages): the names the 办法 gives them.
METHODS = [(PER_APPLICATION, "按件计收（同一申请人当月申请件数）"), (PER_PAGE, "按量计收（提供信息的页数）")]
METHOD_NAMES = {PER_APPLICATION: "按件计收", PER_PAGE: "按量计收"}
RULE_TITLE = "《政府信息公开信息处理费管理办法》"
METHOD_BASIS = f"《政府信息公开条例》第四十二条；{RULE_TITLE}（国办函〔2020〕109号）"

_PAGE_BANDS = [(30, 0), (100, 10), (200, 20), (None, 40)]  # (upper page, yuan per page)


def fee_per_page(pages: int) -> Decimal:
    """Progressive page fee for one application of `pages` pages."""
    if pages < 0:
        raise ValueError("pages must be >= 0")
    total, lower = 0, 0
    for upper, rate in _PAGE_BANDS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            total += (top - lower) * rate
        if upper is None or pages <= upper:
            break
        lower = upper
    return Decimal(total)


def fee_for_nth_application(n: int) -> Decimal:
    """Fee for the applicant's n-th application in the same natural month."""
    if n < 1:
        raise ValueError("n starts at 1")
    if n <= 10:
        return Decimal(0)
    if n <= 30:
        return Decimal(100)
    return Decimal(100 + 100 * ((n - 31) // 10 + 1))


def fee_standard_text(method: str) -> str:
    if method == PER_PAGE:
        return "按量计收：30页以下（含）免费；31至100页每页10元；101至200页每页20元；201页以上每页40元。"
    return ("按件计收：同一申请人一个自然月内累计申请10件以下（含）免费；11至30件每件100元；"
            "31件以上每增加10件，每件收费标准提高100元。")


def quantity_text(method: str, quantity: int) -> str:
    """What the notice prints as the quantity charged for."""
    return f"{quantity}页" if method == PER_PAGE else f"本月第{quantity}件申请"


def fee_for(method: str, quantity: int) -> Decimal:
    return fee_per_page(quantity) if method == PER_PAGE else fee_for_nth_application(quantity)
