import re

VALID_ID = "11010519491231002X"  # GB 11643 example number with a correct check digit


def captcha_answer(html: str) -> tuple[str, str]:
    """The CAPTCHA's key on the page and the text its picture shows (read from the store,
    as a person reads the picture)."""
    from captcha.models import CaptchaStore

    key = re.search(r'name="captcha_0" value="([^"]+)"', html).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).challenge


def application_data(agency, html: str, **overrides) -> dict:
    key, answer = captcha_answer(html)
    data = {
        "agency": str(agency.pk), "applicant_type": "natural", "applicant_name": "张三", "id_type": "resident_id",
        "id_number": VALID_ID, "phone": "13800138000", "email": "zhangsan@example.com", "address": "石龙区龙兴街2号",
        "postcode": "467045", "form_wanted": "electronic", "delivery_wanted": "online",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "20",
        "items-0-title": "2025年石龙区财政预算执行情况报告", "items-0-document_number": "", "items-0-description": "全文",
        "captcha_0": key, "captcha_1": answer,
    }
    data.update(overrides)
    return data
