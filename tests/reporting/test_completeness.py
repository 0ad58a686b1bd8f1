"""Completeness and timeliness when schools open, merge and move during the period (worked by hand)."""

import datetime as dt

import pytest
from django.utils import timezone

from mamnon.org import services as org
from mamnon.org.models import OrgLevel, School
from mamnon.reporting import selectors, services
from mamnon.reporting.models import Report

pytestmark = pytest.mark.django_db
PERIOD = "2023-2024/R1"  # September 2023, due 20/09/2023


def at(day):
    return timezone.make_aware(dt.datetime(2023, 9, day, 10, 0))


def submit(report, user, day):
    services.report_save(report=report, values={"enrolled": 4, "measured": 4, "underweight": 0, "stunting": 0,
                                                "wasting": 0, "overweight": 0, "obese": 0}, actor=user)
    services.report_submit(report=report, actor=user, now=at(day))


def test_units_opening_merging_and_moving(round_form, world):
    w = world
    services.reports_issue(form=round_form, period=PERIOD)
    reports = {r.unit.code: r for r in Report.objects.filter(form=round_form).select_related("unit")}
    # S1b submits on 12/09, then merges into S1a on 15/09.
    submit(reports["S1b"], w.user("principal1b"), 12)
    org.units_merge(sources=[w.units["S1b"]], target=w.units["S1a"], effective=dt.date(2023, 9, 15))
    # S3 opens under D1 on 10/09.
    unit = org.unit_create(code="S3", name="ZZ-S3", level=OrgLevel.objects.get(is_school=True),
                           parent=w.units["D1"], valid_from=dt.date(2023, 9, 10))
    School.objects.create(unit=unit, ownership=School.Ownership.PUBLIC)
    # S2 moves from D2 to D1 on 20/09; it submits late, on 25/09.
    org.unit_move(unit=w.units["S2"], new_parent=w.units["D1"], effective=dt.date(2023, 9, 20))
    services.reports_issue(form=round_form, period=PERIOD)
    assert Report.objects.filter(form=round_form, unit=unit).exists()
    submit(reports["S1a"], w.user("principal1a"), 20)  # on the due day: on time
    submit(reports["S2"], w.user("principal2"), 25)

    total, rows, units = selectors.completeness(round_form, PERIOD, w.units["P"])
    # Expected at 30/09 in P: S1a, S2 (now in D1), S3 (new), and S1b (merged away, but it did submit).
    assert (total.expected, total.submitted, total.on_time) == (4, 3, 2)
    assert (total.submitted_rate, total.on_time_rate) == (75.0, 50.0)
    by_code = {r.unit_id: r for r in rows}
    d1 = by_code[w.units["D1"].pk]
    assert (d1.expected, d1.submitted, d1.on_time) == (4, 3, 2)
    assert w.units["D2"].pk not in by_code  # nothing expected from D2 at the end of September
    # The district's own view matches the province's row for it.
    total_d1, _rows, _units = selectors.completeness(round_form, PERIOD, w.units["D1"])
    assert (total_d1.expected, total_d1.submitted, total_d1.on_time) == (4, 3, 2)
    total_d2, _rows, _units = selectors.completeness(round_form, PERIOD, w.units["D2"])
    assert total_d2.expected == 0 and total_d2.submitted_rate is None


def test_a_merged_school_that_did_not_submit_is_not_expected(round_form, world):
    w = world
    services.reports_issue(form=round_form, period=PERIOD)
    org.units_merge(sources=[w.units["S1b"]], target=w.units["S1a"], effective=dt.date(2023, 9, 15))
    total, _rows, _units = selectors.completeness(round_form, PERIOD, w.units["P"])
    assert total.expected == 2 and total.submitted == 0 and total.on_time_rate == 0.0


def test_earlier_period_uses_the_tree_of_that_time(round_form, world):
    """R1 of 2023-2024 ended before S2 moved in 2024: it stays in D2 for R1, moves to D1 for R2."""
    w = world
    org.unit_move(unit=w.units["S2"], new_parent=w.units["D1"], effective=dt.date(2023, 11, 1))
    r1, _rows, _u = selectors.completeness(round_form, PERIOD, w.units["D1"])
    r2, _rows, _u = selectors.completeness(round_form, "2023-2024/R2", w.units["D1"])
    assert (r1.expected, r2.expected) == (2, 3)
