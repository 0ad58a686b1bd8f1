"""The demo's targets and values (small scale): seed 000 on the city, 002 on Sao Sáng, 001 on Vĩnh Bảo."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from mamnon.attendance.models import Attendance
from mamnon.calc import indicators as calc
from mamnon.children import demo as children_demo
from mamnon.children.models import Enrolment
from mamnon.indicators import selectors, services
from mamnon.indicators.models import IndicatorValue, Target
from mamnon.org.models import OrgUnit
from tests.children.test_demo_children import pinned_today


@pytest.fixture
def demo(db, capsys, monkeypatch):
    monkeypatch.setattr(children_demo, "demo_today", pinned_today)
    call_command("demo_data", scale="small", seed=7, verbosity=0)
    capsys.readouterr()
    return services.current_school_year()


def test_demo_targets_and_computed_values(demo):
    year = demo
    city = OrgUnit.objects.get(code="SGD-HP")
    sao_sang = OrgUnit.objects.get(code="MN-SAOSANG")
    assert Target.objects.filter(unit=city, period=year).count() == 35
    assert Target.objects.filter(unit=sao_sang, period=year).count() == 22
    assert Target.objects.filter(unit__code="PGD-VINHBAO", period="2021-2025").count() == 27
    # Sao Sáng: every enrolled child counted, computed from the records (475 children, 16 groups).
    row = IndicatorValue.objects.get(unit=sao_sang, indicator__code="CLASS_SIZE", period=year)
    open_now = Enrolment.objects.filter(school_id=sao_sang.pk, end_date__isnull=True).count()
    assert (row.numerator, row.denominator) == (open_now, 16) and row.source == "computed"
    # The city's value is the sum of its schools'.
    city_full = IndicatorValue.objects.get(unit=city, indicator__code="FULLDAY", period=year)
    schools = IndicatorValue.objects.filter(unit__level__is_school=True, indicator__code="FULLDAY", period=year)
    assert city_full.numerator == sum(v.numerator for v in schools)
    # The district officer of An Lão sees the city's targets offered, with values and statuses.
    anlao = OrgUnit.objects.get(code="PGD-ANLAO")
    lines = selectors.scorecard(anlao, year)
    assert {ln.target.indicator.code for ln in lines} >= {"FULLDAY", "ENGLISH", "UNDERWEIGHT"}
    assert next(ln for ln in lines if ln.target.indicator.code == "FULLDAY").latest is not None
    c = Client()
    c.force_login(get_user_model().objects.get(username="pgd.anlao"))
    assert c.get(reverse("indicators:unit", args=[anlao.pk])).status_code == 200
    assert c.get(reverse("indicators:export", args=[anlao.pk])).status_code == 200


def test_demo_plan_has_one_value_per_school_year(demo):
    district = OrgUnit.objects.get(code="PGD-VINHBAO")
    first = int(demo[:4])
    years = [f"{y}-{y + 1}" for y in range(2020, min(first, 2024) + 1)]
    got = dict(IndicatorValue.objects.filter(unit=district, indicator__code="UNDERWEIGHT", period__in=years)
               .values_list("period", "value"))
    assert got["2020-2021"] == pytest.approx(6.2)
    assert len(got) == len(years)
    lines = {ln.target.indicator.code: ln for ln in selectors.scorecard(district, "2022-2023")}
    assert lines["UNDERWEIGHT"].baseline == pytest.approx(6.2)
    assert lines["UNDERWEIGHT"].status in (calc.ACHIEVED, calc.NOT_ACHIEVED, calc.ON_TRACK, calc.AT_RISK)


def test_make_demo_runs_in_seed_002s_year(db, capsys, settings):
    """`make demo` pins the clock to 16/05/2024: the current year is 2023-2024 (seed 002's plan), the targets sit on
    it, and the values are computed from records dated in it, up to that day and not after."""
    settings.MAMNON_TODAY = "2024-05-16"
    call_command("demo_data", scale="small", seed=7, verbosity=0)
    capsys.readouterr()
    assert services.current_school_year() == "2023-2024"
    sao_sang = OrgUnit.objects.get(code="MN-SAOSANG")
    assert Target.objects.filter(unit=sao_sang, period="2023-2024").count() == 22
    assert not Target.objects.filter(period__startswith="2024-2025").exists()
    months = set(IndicatorValue.objects.filter(unit=sao_sang, indicator__code="ATTENDANCE")
                 .values_list("period", flat=True))
    assert "2024-05" in months and "2023-09" in months and "2024-06" not in months
    days = Attendance.objects.filter(school_id=sao_sang.pk).values_list("date", flat=True)
    assert max(days).isoformat() <= "2024-05-16" and min(days).isoformat() >= "2023-09-01"
    plan = set(IndicatorValue.objects.filter(unit__code="PGD-VINHBAO", indicator__code="UNDERWEIGHT")
               .values_list("period", flat=True))
    assert {"2020-2021", "2021-2022", "2022-2023", "2023-2024"} <= plan and "2024-2025" not in plan
