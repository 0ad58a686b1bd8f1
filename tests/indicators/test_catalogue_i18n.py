"""The catalogue's texts in Vietnamese and English: the catalogue data, the rows, the pages, the export and the API."""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook
from rest_framework.test import APIClient

from mamnon.indicators.catalogue import CATALOGUE, TEXTS, load_catalogue
from mamnon.indicators.models import Indicator

pytestmark = pytest.mark.django_db
Y = "2023-2024"
# Words that give away an English sentence; none belongs in a Vietnamese text.
ENGLISH = re.compile(r"\b(the|of|and|children|per|with|among|schools?|staff|teachers?|rate|share|least|by)\b", re.I)

# The ATTENDANCE entry worked out by hand (what a district officer reads on its page).
ATT_VI = ("Tổng số lượt trẻ có mặt (đúng giờ hoặc đến muộn) trên tổng số lượt trẻ theo danh sách lớp trong các "
          "ngày học.")
ATT_EN = "Child-days present (on time or late) among the child-days registered on school days."


@pytest.mark.parametrize("entry", CATALOGUE, ids=[e["code"] for e in CATALOGUE])
def test_every_entry_has_vietnamese_texts_unlike_the_english(entry):
    assert entry["name_vi"] and entry["name_vi"] != entry["name_en"]
    for field in TEXTS:
        vi, en = entry[f"{field}_vi"], entry[f"{field}_en"]
        if field == "denominator" and not en:  # a count has no denominator, in either language
            assert vi == "", entry["code"]
            continue
        assert vi.strip() and en.strip(), (entry["code"], field)
        assert vi != en, (entry["code"], field)
        assert not ENGLISH.search(vi), (entry["code"], field, vi)
    assert entry["measure"] != "ratio" or entry["denominator_vi"], entry["code"]


def test_rows_hold_both_languages_and_the_property_follows_the_active_language():
    assert Indicator.objects.count() == len(CATALOGUE)
    by_code = {e["code"]: e for e in CATALOGUE}
    for row in Indicator.objects.all():
        for field in ("name", *TEXTS):
            assert getattr(row, f"{field}_vi") == by_code[row.code][f"{field}_vi"], (row.code, field)
            assert getattr(row, f"{field}_en") == by_code[row.code][f"{field}_en"], (row.code, field)
    att = Indicator.objects.get(code="ATTENDANCE")
    with translation.override("vi"):
        assert (att.name, att.definition, att.numerator, att.denominator, att.covers) == (
            "Tỷ lệ chuyên cần", ATT_VI, "lượt trẻ có mặt", "lượt trẻ theo danh sách", "toàn bộ trẻ")
        assert att.seeds == "chuẩn quốc gia: ít nhất 85% (trẻ 5 tuổi: 90%)"
    with translation.override("en"):
        assert (att.name, att.definition, att.numerator, att.denominator, att.covers) == (
            "Attendance rate", ATT_EN, "child-days present", "child-days registered", "all children")
        assert att.seeds == "national standard: at least 85% (90% for 5-year-olds)"


def test_load_catalogue_updates_existing_rows():
    Indicator.objects.filter(code="UNDERWEIGHT").update(definition_vi="cũ", numerator_vi="cũ", seeds_en="old")
    assert load_catalogue(Indicator) == 0  # nothing new: rows updated in place
    row = Indicator.objects.get(code="UNDERWEIGHT")
    assert row.definition_vi == "Trẻ có cân nặng theo tuổi dưới -2SD trên tổng số trẻ được cân đo."
    assert row.numerator_vi == "trẻ suy dinh dưỡng thể nhẹ cân"
    assert row.seeds_en.startswith("000, 002: reduce by 1.2 points")


def _indicator_page(client, world, code, english=False):
    client.force_login(world.user("district1"))
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.get(reverse("indicators:indicator", args=[world.units["D1"].pk, code]), {"year": Y})
    assert r.status_code == 200
    return r.content.decode()


def test_indicator_page_in_vietnamese_then_english(client, scenario):
    w = scenario.world
    html = _indicator_page(client, w, "ATTENDANCE")
    assert escape(ATT_VI) in html
    assert "Tử số: lượt trẻ có mặt · Mẫu số: lượt trẻ theo danh sách" in html
    assert "Đối tượng: toàn bộ trẻ" in html
    assert ATT_EN not in html and "child-days" not in html
    html = _indicator_page(client, w, "ATTENDANCE", english=True)
    assert escape(ATT_EN) in html and "Numerator: child-days present · Denominator: child-days registered" in html
    assert escape(ATT_VI) not in html


def test_language_switch_changes_the_texts(client, scenario):
    """Through the switch itself (django.views.i18n.set_language), as a person does."""
    w = scenario.world
    client.force_login(w.user("district1"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    r = client.get(reverse("indicators:indicator", args=[w.units["D1"].pk, "FULLDAY"]), {"year": Y})
    assert escape("Children enrolled in full-day (2-session) groups among all children enrolled.") in r.content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    r = client.get(reverse("indicators:indicator", args=[w.units["D1"].pk, "FULLDAY"]), {"year": Y})
    assert "Trẻ học ở các nhóm, lớp tổ chức học 2 buổi/ngày trên tổng số trẻ đang học." in r.content.decode()


def test_catalogue_page_speaks_the_active_language(client, scenario):
    client.force_login(scenario.world.user("teacher1a"))
    html = client.get(reverse("indicators:catalogue")).content.decode()
    for entry in CATALOGUE:
        assert escape(entry["definition_vi"]) in html, entry["code"]
        assert escape(entry["seeds_vi"]) in html, entry["code"]
        assert escape(entry["definition_en"]) not in html, entry["code"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("indicators:catalogue")).content.decode()
    assert escape(ATT_EN) in html and escape("national standard: at least 85% (90% for 5-year-olds)") in html
    assert escape(ATT_VI) not in html


def test_children_page_names_the_numerator_in_vietnamese(client, scenario):
    w = scenario.world
    client.force_login(w.user("district1"))
    r = client.get(reverse("indicators:children", args=[w.units["S1a"].pk, "FULLDAY"]), {"year": Y})
    assert r.status_code == 200
    assert "trẻ học 2 buổi/ngày" in r.content.decode()


def _export(client, world, english=False):
    from mamnon.calc import indicators as calc
    from mamnon.indicators import services

    services.target_set(actor=world.user("district1"), unit=world.units["D1"],
                        indicator=Indicator.objects.get(code="ATTENDANCE"), period=Y, comparison=calc.AT_LEAST,
                        value=85)
    client.force_login(world.user("district1"))
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.get(reverse("indicators:export", args=[world.units["D1"].pk]), {"year": Y})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    sheet = wb.worksheets[2]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    return sheet.title, rows


def test_export_carries_the_texts_of_the_active_language(client, scenario):
    title, rows = _export(client, scenario.world)
    assert title == "Chỉ số"
    assert rows[0] == ["Mã", "Chỉ số", "Định nghĩa", "Tử số", "Mẫu số", "Đơn vị tính", "Văn bản quy định"]
    assert rows[1][:5] == ["ATTENDANCE", "Tỷ lệ chuyên cần", ATT_VI, "lượt trẻ có mặt", "lượt trẻ theo danh sách"]
    client.logout()
    title, rows = _export(client, scenario.world, english=True)
    assert title == "Indicators"
    assert rows[1][:5] == ["ATTENDANCE", "Attendance rate", ATT_EN, "child-days present", "child-days registered"]


def test_api_carries_both_languages(scenario):
    c = APIClient()
    c.force_authenticate(scenario.world.user("teacher1a"))
    data = c.get("/api/indicators/ATTENDANCE/").json()
    assert (data["definition_vi"], data["definition_en"]) == (ATT_VI, ATT_EN)
    assert (data["numerator_vi"], data["numerator_en"]) == ("lượt trẻ có mặt", "child-days present")
    assert (data["denominator_vi"], data["denominator_en"]) == ("lượt trẻ theo danh sách", "child-days registered")
    assert (data["covers_vi"], data["covers_en"]) == ("toàn bộ trẻ", "all children")
    assert data["seeds_vi"] == "chuẩn quốc gia: ít nhất 85% (trẻ 5 tuổi: 90%)"
    assert (data["name"], data["definition"]) == ("Tỷ lệ chuyên cần", ATT_VI)  # Vietnamese by default
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = c.get("/api/indicators/ATTENDANCE/").json()
    assert (data["name"], data["definition"], data["numerator"]) == ("Attendance rate", ATT_EN, "child-days present")
    listed = c.get("/api/indicators/", {"page_size": 100}).json()
    results = listed["results"] if isinstance(listed, dict) else listed
    assert all(r["definition_vi"] and r["definition_en"] for r in results)
