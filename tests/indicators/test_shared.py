"""What a refresh reads once and shares (``registry.shared``) gives the same figures as each period computed
on its own, on the hand-built scenario (tests/indicators/conftest.py) with children moving mid-year."""

import datetime as dt

import numpy as np
import pytest

from mamnon.children.models import Child, ChildStatus, Enrolment
from mamnon.indicators import periods, registry, services
from mamnon.indicators.models import Indicator

pytestmark = pytest.mark.django_db


def test_shared_computes_once_inside_a_refresh_and_afresh_outside():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert registry.shared("k", compute) == 1
    assert registry.shared("k", compute) == 2  # outside a refresh nothing is kept
    assert not registry.is_sharing()
    cache: dict = {}
    with registry.sharing(cache):
        assert registry.is_sharing()
        assert registry.shared("k", compute) == 3
        assert registry.shared("k", compute) == 3
        assert registry.shared("other", compute) == 4
    assert not registry.is_sharing()
    assert cache == {"k": 3, "other": 4}


@pytest.fixture
def moves(scenario):
    """K2 leaves G1 (S1a) on 15/01/2024; K9 joins G1 on 01/02/2024; K4 (G2) leaves on 30/09/2023 and comes
    back on 01/03/2024 (two enrolments)."""
    c = scenario
    s1a = c.world.schools["S1a"]
    Enrolment.objects.filter(child=c.children["K2"]).update(end_date=dt.date(2024, 1, 15))
    k9 = Child.objects.create(school=s1a, full_name=c.world.marker("child-K9"), birth_date=dt.date(2018, 6, 1),
                              sex="F", status=ChildStatus.ENROLLED)
    Enrolment.objects.create(child=k9, group=c.groups["G1"], school=s1a, start_date=dt.date(2024, 2, 1))
    k4 = Enrolment.objects.get(child=c.children["K4"])
    Enrolment.objects.filter(pk=k4.pk).update(end_date=dt.date(2023, 9, 30))
    Enrolment.objects.create(child=c.children["K4"], group=c.groups["G2"], school=s1a,
                             start_date=dt.date(2024, 3, 1))
    return scenario


def figures(result):
    return {code: {int(u): (float(n), float(d)) for u, n, d in zip(units, num, den, strict=True) if n or d}
            for code, (units, num, den, _schools, _src) in result.items()}


def test_a_refresh_equals_each_period_alone(moves):
    indicators = {i.code: i for i in Indicator.objects.all()}
    memo: dict = {}
    for window in periods.windows_of("2023-2024"):
        shared = figures(services.compute_period(window, indicators, declarations=[], memo=memo))
        alone = figures(services.compute_period(window, indicators, declarations=[]))
        assert shared == alone, window.code
    assert any(key[0] == "enrolled" for key in memo["shared"])  # the enrolments were read for all days at once


def test_children_counted_on_each_stock_day(moves):
    u = moves.world.units
    indicators = {i.code: i for i in Indicator.objects.all()}
    memo: dict = {}
    out = {w.code: figures(services.compute_period(w, indicators, declarations=[], memo=memo))
           for w in periods.windows_of("2023-2024")}
    s1a = u["S1a"].pk
    # 30/09: G1 K1, K2, K3 (full day), K4 still in G2 (half day) -> 3 of 4.
    assert out["2023-09"]["FULLDAY"][s1a] == (3, 4)
    # 31/10: K4 gone -> 3 of 3; 31/01: K2 gone too -> 2 of 2; 29/02: K9 in -> 3 of 3; 31/03: K4 back -> 3 of 4.
    assert out["2023-10"]["FULLDAY"][s1a] == (3, 3)
    assert out["2023-2024/HK1"]["FULLDAY"][s1a] == (3, 3)  # 15/01, K2's last day: still counted
    assert out["2024-01"]["FULLDAY"][s1a] == (2, 2)
    assert out["2024-02"]["FULLDAY"][s1a] == (3, 3)
    assert out["2024-03"]["FULLDAY"][s1a] == (3, 4)
    assert out["2023-2024"]["FULLDAY"][s1a] == (3, 4)  # the year: its last day, as March
    # children per group at S1a on 31/01: 2 children, 2 active groups
    assert out["2024-01"]["CLASS_SIZE"][s1a] == (2, 2)


def test_enrolment_spans_add_up_per_day(moves):
    """The counts read for all days at once equal one count per day."""
    from mamnon.indicators.families import enrolled
    from mamnon.org.models import SchoolYear

    year = SchoolYear.objects.get(code="2023-2024")
    days = services.stock_days("2023-2024")
    # the nine months' last days and the first semester's (15/01); the year, HK2 and R3 end on 31/05
    assert len(days) == 10 and dt.date(2024, 1, 15) in days
    with registry.sharing({}):
        together = {day: enrolled(year.pk, year.code, day, None) for day in days}
    for day in days:
        g1, s1, n1 = together[day]
        g2, s2, n2 = enrolled(year.pk, year.code, day, None)  # outside a refresh: that day alone
        a = {(int(g), int(s)): int(n) for g, s, n in zip(g1, s1, n1, strict=True) if n}
        b = {(int(g), int(s)): int(n) for g, s, n in zip(g2, s2, n2, strict=True) if n}
        assert a == b, day
        assert sum(a.values()) == Enrolment.objects.filter(
            group__school_year=year, start_date__lte=day).exclude(end_date__lt=day).count()
    assert np.all(together[days[0]][2] >= 0)
