"""The receipt date (收到申请之日, 条例 Art. 31): the clock starts from it."""
from __future__ import annotations

import datetime as dt

IN_PERSON, POST, ORDINARY_MAIL, ONLINE, FAX, EMAIL = "in_person", "post", "ordinary_mail", "online", "fax", "email"

CHANNELS = [
    (IN_PERSON, "当面提交"),
    (POST, "邮寄（需签收）"),
    (ORDINARY_MAIL, "平常信函"),
    (ONLINE, "互联网在线申请"),
    (FAX, "传真"),
    (EMAIL, "电子邮件"),
]

RULES = {
    IN_PERSON: "当面提交的，以提交之日为收到申请之日（第三十一条第（一）项）。",
    POST: "以邮寄方式提交的，以行政机关签收之日为收到申请之日（第三十一条第（二）项）。",
    ORDINARY_MAIL: "以平常信函等无需签收的邮寄方式提交的，以行政机关与申请人确认之日为收到申请之日（第三十一条第（二）项）。",
    ONLINE: "通过互联网渠道提交的，以双方确认之日为收到申请之日（第三十一条第（三）项）。",
    FAX: "通过行政机关传真提交的，以双方确认之日为收到申请之日（第三十一条第（三）项）。",
    EMAIL: "通过电子邮件提交的，以双方确认之日为收到申请之日（第三十一条第（三）项）。",
}


def receipt_date(channel: str, *, submitted_at: dt.datetime | None, signed_for_on: dt.date | None = None,
                 confirmed_on: dt.date | None = None) -> dt.date:
    """Art. 31: in person -> the day handed in; post -> the day the agency signs for it;
    ordinary mail, online, fax, e-mail -> the day receipt is confirmed."""
    if channel == IN_PERSON:
        if submitted_at is None:
            raise ValueError("当面提交需要提交时间")
        from django.utils import timezone

        return timezone.localtime(submitted_at).date() if timezone.is_aware(submitted_at) else submitted_at.date()
    if channel == POST:
        if signed_for_on is None:
            raise ValueError("邮寄申请需要签收日期")
        return signed_for_on
    if channel in (ORDINARY_MAIL, ONLINE, FAX, EMAIL):
        if confirmed_on is None:
            raise ValueError("需要确认收到的日期")
        return confirmed_on
    raise ValueError(f"unknown channel {channel}")


# --- Receipt of the agency's own notices --------------------------------------------
# Several periods run from the day somebody RECEIVES a letter of the agency, not from the
# day it is sent: the third party's and the other agency's 15 working days (Art. 32,
# Art. 34: 自收到征求意见书之日起), the applicant's 20 working days to pay (国办函〔2020〕109号:
# 自收到收费通知的次日起), the period to supplement (Art. 30). Each notice records how it was
# sent, when, and when it was received. Delivered in person or by post, it is received on
# the day the addressee signs (送达回证, 邮件签收); sent through the portal or by e-mail, on
# the day it reaches the addressee's system, which is the sending day (cf. 民事诉讼法
# Art. 90). Until the receipt is known the period is provisional: it is shown counted from
# the sending day, marked as such, and nothing lapses on it.

BY_HAND, BY_POST, BY_AGENCY, BY_EMAIL, BY_PORTAL = "direct", "post", "via_agency", "email", "online"
NOTICE_METHODS = [
    (BY_HAND, "直接送达"),
    (BY_POST, "邮政寄送"),
    (BY_AGENCY, "委托其他机关送达"),
    (BY_EMAIL, "电子邮件"),
    (BY_PORTAL, "网上送达"),
]
RECEIVED_WHEN_SENT = {BY_EMAIL, BY_PORTAL}
NOTICE_RECEIPT_RULES = {
    BY_HAND: "直接送达的，以受送达人在送达回证上签收之日为收到之日。",
    BY_POST: "邮政寄送的，以受送达人签收邮件之日为收到之日；签收前期限为暂计。",
    BY_AGENCY: "委托其他机关送达的，以受送达人签收之日为收到之日。",
    BY_EMAIL: "通过电子邮件送达的，以到达受送达人电子邮箱之日（即发送之日）为收到之日。",
    BY_PORTAL: "网上送达的，以送达至申请人网上账户之日（即发送之日）为收到之日。",
}


def notice_received_on(method: str, *, sent_on: dt.date, signed_on: dt.date | None = None) -> dt.date | None:
    """The day a notice of the agency counts as received, or None while unknown."""
    if method not in dict(NOTICE_METHODS):
        raise ValueError(f"unknown notice method {method}")
    if method in RECEIVED_WHEN_SENT:
        return sent_on
    return signed_on


def period_from_notice(add_workdays, *, method: str, sent_on: dt.date, days: int,
                       signed_on: dt.date | None = None) -> tuple[dt.date, bool]:
    """The last day of a period of `days` working days that runs from the notice's receipt
    (the day of receipt not counted). Returns (last day, provisional): while the receipt is
    unknown the period is counted from the sending day and marked provisional."""
    received = notice_received_on(method, sent_on=sent_on, signed_on=signed_on)
    return add_workdays(received or sent_on, days), received is None
