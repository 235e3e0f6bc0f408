"""The fee bands of 国办函〔2020〕109号 (regulation §2 Fees)."""
from decimal import Decimal

import pytest

from legal.fees import fee_for_nth_application, fee_per_page


@pytest.mark.parametrize("pages, fee", [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (150, 1700),
                                        (200, 2700), (201, 2740), (250, 4700)])
def test_page_fee_is_progressive(pages, fee):
    assert fee_per_page(pages) == Decimal(fee)


@pytest.mark.parametrize("n, fee", [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300),
                                    (50, 300), (51, 400)])
def test_application_fee_rises_by_100_per_band_of_10(n, fee):
    assert fee_for_nth_application(n) == Decimal(fee)
