"""`mamnon demo-data --scale small`: fee tables for every school, Sao Sáng's statements and payments."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import F

from mamnon.children import demo as children_demo
from mamnon.fees import selectors
from mamnon.fees.models import FeeTable, Payment, Statement
from mamnon.org.demo import SAO_SANG_CODE
from mamnon.org.models import School
from tests.children.test_demo_children import pinned_today


@pytest.fixture
def demo(db, capsys, monkeypatch):
    monkeypatch.setattr(children_demo, "demo_today", pinned_today)
    call_command("demo_data", scale="small", seed=7, verbosity=0)
    capsys.readouterr()
    return School.objects.get(unit__code=SAO_SANG_CODE)


def test_demo_fees(demo):
    assert FeeTable.objects.count() == School.objects.count()
    table = FeeTable.objects.get(school=demo)
    assert (table.food_per_day, table.fuel_per_day, table.daily_rate) == (25000, 3000, 28000)
    today = pinned_today()
    months = {s for s in Statement.objects.filter(school=demo).values_list("month", flat=True).distinct()}
    assert months == {dt.date(today.year, 9, 1), dt.date(today.year, 10, 1)}
    september = Statement.objects.filter(school=demo, month=dt.date(today.year, 9, 1))
    assert september.count() == 475
    # Every statement adds up: meal + fees - support + balance; the meal money is days charged x 28,000.
    assert not september.exclude(total=F("meal_amount") + F("fees_amount") - F("support_amount")
                                 + F("previous_balance")).exists()
    assert not september.exclude(meal_amount=F("days_eaten") * 28000).exists()
    assert Payment.objects.filter(school=demo).count() > 400
    october = Statement.objects.filter(school=demo, month=dt.date(today.year, 10, 1))
    assert october.filter(previous_balance__gt=0).exists()
    assert selectors.qr_payload(october.first()).startswith("000201")
