"""Input checks for applicants: identity documents (Art. 29) and uploads."""
from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

ERR_ID_FORMAT = "居民身份证号码应为18位（最后一位可以是X）。"
ERR_ID_CHECK = "居民身份证号码校验位不正确，请核对。"
ERR_ID_DATE = "居民身份证号码中的出生日期不正确，请核对。"
ERR_UPLOAD_TYPE = "附件只接受 PDF、JPG 或 PNG 文件。"
ERR_UPLOAD_SIZE = "每个附件不得超过 5 MB。"
ERR_UPLOAD_COUNT = "最多上传 3 个附件。"

ERR_PHONE = "请填写11位手机号码（如 13812345678）或带区号的固定电话（如 0375-2881234）。"

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOADS = 3
MAX_UPLOAD_PAGES = 50


_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def validate_phone(value: str) -> str:
    """A mainland mobile number (11 digits, 1[3-9]…) or a landline with its area code."""
    compact = re.sub(r"[\s()（）]", "", value or "")
    if not (_MOBILE.match(compact.replace("-", "")) or _LANDLINE.match(compact)):
        raise ValidationError(ERR_PHONE)
    return compact


def validate_resident_id(value: str) -> str:
    """Mainland resident ID (GB 11643-1999): 17 digits + check digit."""
    from reviews.checks import is_valid_id_number

    value = value.strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValidationError(ERR_ID_FORMAT)
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(ERR_ID_DATE)
    if not is_valid_id_number(value):
        raise ValidationError(ERR_ID_CHECK)
    return value


def validate_upload(f) -> str:
    """Check the real content by opening it (a PDF parses and has at most MAX_UPLOAD_PAGES
    pages, an image decodes), not the name, the first bytes or the browser's claim."""
    from documents.uploads import JPEG, PDF, PNG, inspect_upload

    return inspect_upload(f, allowed=(PDF, JPEG, PNG), max_bytes=MAX_UPLOAD_BYTES, max_pages=MAX_UPLOAD_PAGES,
                          err_type=ERR_UPLOAD_TYPE, err_size=ERR_UPLOAD_SIZE)
