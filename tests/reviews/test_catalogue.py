"""The standard catalogue: 26 domains seeded per agency, spreadsheet export and import."""
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from agencies import roles
from reviews import catalogue as cat
from reviews import services
from reviews.models import CatalogueItem

pytestmark = pytest.mark.django_db


def test_seed_gives_each_agency_its_own_26_domain_catalogue(make_staff, agency, other_agency):
    admin = make_staff(roles.ADMINISTRATOR)
    assert services.catalogue_seed(actor=admin, agency=agency) > 26
    assert services.catalogue_seed(actor=admin, agency=agency) == 0  # idempotent
    items = CatalogueItem.objects.filter(agency=agency)
    assert set(items.values_list("domain", flat=True)) == set(cat.DOMAINS) and len(cat.DOMAINS) == 26
    for item in items:
        assert all([item.item_level1, item.content, item.basis, item.time_limit, item.responsible_body,
                    item.channels, item.audience, item.mode, item.level])
    assert not CatalogueItem.objects.filter(agency=other_agency).exists()


def test_export_then_import_round_trips_and_updates(make_staff, agency, other_agency):
    admin = make_staff(roles.ADMINISTRATOR)
    services.catalogue_seed(actor=admin, agency=agency)
    from reviews.selectors import catalogue_export

    data = catalogue_export(agency)
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == [h for h, _ in cat.COLUMNS]
    assert ws.max_row == CatalogueItem.objects.filter(agency=agency).count() + 1
    # edit one row and add one, then import
    ws.cell(row=2, column=4, value="修改后的公开内容")
    ws.append(["救灾", "灾情信息", "灾情通报", "灾害损失情况", "《自然灾害救助条例》", "灾情发生后及时", "应急管理部门",
               "政府网站", "全社会", "主动", "县级、乡级"])
    buf = io.BytesIO()
    ws.parent.save(buf)
    before = CatalogueItem.objects.filter(agency=agency).count()
    assert services.catalogue_import(actor=admin, agency=agency, data=buf.getvalue()) == 2
    assert CatalogueItem.objects.filter(agency=agency).count() == before + 1
    assert CatalogueItem.objects.filter(agency=agency, content="修改后的公开内容").exists()


def test_import_rejects_the_whole_file_naming_each_bad_row(make_staff, agency):
    admin = make_staff(roles.ADMINISTRATOR)
    wb = Workbook()
    ws = wb.active
    ws.append([h for h, _ in cat.COLUMNS])
    ws.append(["火星开发", "事项", "", "内容", "", "", "", "", "全社会", "主动", "县级"])
    ws.append(["就业", "事项", "", "内容", "", "", "", "", "所有人", "主动", "省级"])
    ws.append(["就业", "好的事项", "", "内容", "", "", "", "", "全社会", "主动", "县级"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ValidationError) as exc:
        services.catalogue_import(actor=admin, agency=agency, data=buf.getvalue())
    text = str(exc.value)
    assert "第 2 行" in text and cat.ERR_UNKNOWN_DOMAIN.format(value="火星开发") in text and "第 3 行" in text
    assert not CatalogueItem.objects.exists()
