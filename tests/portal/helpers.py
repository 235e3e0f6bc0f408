import re

from django.core import signing

VALID_ID = "11010519491231002X"  # GB 11643 example number with a correct check digit


def challenge_answer(html: str) -> tuple[str, str]:
    token = re.search(r'name="challenge_token" value="([^"]+)"', html).group(1)
    return token, str(signing.loads(token, salt="portal.human-check")["answer"])


def application_data(agency, html: str, **overrides) -> dict:
    token, answer = challenge_answer(html)
    data = {
        "agency": str(agency.pk), "applicant_type": "natural", "applicant_name": "张三", "id_type": "resident_id",
        "id_number": VALID_ID, "phone": "13800138000", "email": "zhangsan@example.com", "address": "石龙区龙兴街2号",
        "postcode": "467045", "form_wanted": "electronic", "delivery_wanted": "online",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "20",
        "items-0-title": "2025年石龙区财政预算执行情况报告", "items-0-document_number": "", "items-0-description": "全文",
        "challenge_token": token, "challenge_answer": answer,
    }
    data.update(overrides)
    return data
