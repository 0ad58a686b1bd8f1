"""`mamnon demo-data --scale small`: facilities for every school, Sao Sáng in detail, seed-like shares."""

import datetime as dt

import pytest
from django.core.management import call_command

from mamnon.calc.periods import school_year_code
from mamnon.children import demo as children_demo
from mamnon.facilities import selectors
from mamnon.facilities.indicators import equipment_family, facility_family
from mamnon.facilities.models import EquipmentItem, FacilityProfile, GroupEquipment, PurchasePlan, Room, Stocktake
from mamnon.indicators.registry import Window
from mamnon.org.demo import SAO_SANG_CODE
from mamnon.org.models import School, SchoolYear


def pinned_today() -> dt.date:
    start = int(school_year_code(dt.date.today())[:4])
    return dt.date(start, 9, 5) + dt.timedelta(days=46)


@pytest.fixture
def demo(db, capsys, monkeypatch):
    monkeypatch.setattr(children_demo, "demo_today", pinned_today)
    call_command("demo_data", scale="small", seed=7, verbosity=0)
    capsys.readouterr()
    return School.objects.get(unit__code=SAO_SANG_CODE)


def test_every_school_has_facilities_and_sao_sang_its_detail(demo):
    schools = School.objects.filter(sites__isnull=False).distinct()
    assert FacilityProfile.objects.count() == schools.count()
    assert set(Room.objects.values_list("school_id", flat=True).distinct()) == set(schools.values_list("pk",
                                                                                                     flat=True))
    assert EquipmentItem.objects.count() == 72  # the shipped starter list (data/equipment_starter.csv)
    # Sao Sáng: a group room per group (16), 2 kitchens, 8 toilets (7 standard), the named rooms.
    rooms = Room.objects.filter(school=demo)
    assert rooms.filter(kind="group_room").count() == 16
    assert rooms.filter(kind="kitchen", one_way=True).count() == 1
    assert (rooms.filter(kind="toilet").count(), rooms.filter(kind="toilet", meets_standard=True).count()) == (8, 7)
    assert rooms.filter(kind="online_meeting").exists() and demo.facility_profile.management_software == "SMAS"
    assert GroupEquipment.objects.filter(school=demo).count() == 2 * 11 + 14 * 12  # creche lists 11 items, others 12
    assert Stocktake.objects.filter(school=demo, closed_at__isnull=False).count() == 1
    assert PurchasePlan.objects.filter(school=demo).count() <= 1


def test_demo_indicators_are_near_the_seed_figures(demo):
    year = SchoolYear.objects.get(is_current=True)
    window = Window(code=year.code, kind="school_year", start=year.start_date, end=year.end_date,
                    school_year=year.code)
    out = facility_family(window, None)
    share = {code: v.numerator.sum() / v.denominator.sum() for code, v in out.items() if v.denominator.sum()}
    # The small demo has a few dozen schools: wide bands around seed 000's 80% / 77% / 35%.
    assert 0.5 <= share["KITCHEN_ONEWAY"] <= 1.0
    assert 0.5 <= share["TOILET_STD"] <= 1.0
    assert share["INTERNET_SW"] >= 0.8
    assert 0.05 <= share["ONLINE_MEETING"] <= 0.7
    equip = equipment_family(window, None)["EQUIP_MIN"]
    assert equip.denominator.sum() > 0 and equip.numerator.sum() / equip.denominator.sum() >= 0.85
    rows = selectors.school_rows([demo], day=pinned_today(), year=year)
    assert rows[0].children == 475
