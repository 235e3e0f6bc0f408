"""The reply reads like a letter: each reason its own sentence, no doubled punctuation."""
from types import SimpleNamespace

import pytest

from documents import kinds
from documents.content import compose

AGENCY = SimpleNamespace(reconsideration_body="平顶山市石龙区人民政府", court="平顶山市湛河区人民法院",
                         ogi_office="石龙区人民政府办公室政务公开科", address="河南省平顶山市石龙区龙兴街1号",
                         postcode="467045", phone="0375-1234567")


def reply_text(**item) -> str:
    facts = {"applicant_name": "张三", "received_on": "2026-11-20", "registration_number": "2026-0008",
             "items": [{"position": 1, "title": "2025年耕地保护目标责任书", **item}]}
    composed = compose(kinds.REPLY, {"case": facts}, AGENCY)
    return "".join(text if isinstance(text, str) else "".join(text) for _kind, text in composed.blocks)


@pytest.mark.parametrize("code,extra", [
    ("3.4", {}), ("3.6", {}), ("4.2", {}), ("5.4", {}), ("6.3", {}),
    ("2", {"withheld_parts": "第三页所列个人身份证号码。"}),
])
def test_a_reason_typed_with_its_own_full_stop_is_not_doubled(code, extra):
    text = reply_text(outcome=code, reasoning="涉及第三方个人隐私。", **extra)
    assert "。。" not in text and "；。" not in text
    assert "涉及第三方个人隐私。" in text


@pytest.mark.parametrize("code", ["3.4", "4.2", "5.4", "6.3"])
def test_a_reason_typed_without_a_full_stop_still_ends_its_sentence(code):
    assert "涉及第三方个人隐私。" in reply_text(outcome=code, reasoning="涉及第三方个人隐私")
