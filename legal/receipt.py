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
