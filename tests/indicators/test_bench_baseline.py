"""The benchmark's hand-written baseline (bench/indicators.py) against the engine on the hand-built scenario.

PostgreSQL only (the baseline is PostgreSQL SQL). Every code of every family, numerator and denominator, for
every unit and period of 2023-2024 must agree, also after a merge and a move (schools placed on each
period's last day); a few figures are the hand-worked ones of test_engine.py.
"""

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest
from django.db import connection

from mamnon.indicators import periods
from mamnon.indicators.models import Indicator
from mamnon.org import services as org_services
from mamnon.org.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench():
    if connection.vendor != "postgresql":
        pytest.skip("the baseline is PostgreSQL SQL")
    path = Path(__file__).resolve().parents[2] / "bench" / "indicators.py"
    spec = importlib.util.spec_from_file_location("bench_indicators", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def both(bench):
    windows = periods.windows_of("2023-2024")
    indicators = {i.code: i for i in Indicator.objects.all()}
    engine = bench.engine_pass(windows, indicators)
    baseline = bench.baseline_pass(windows)
    return engine, baseline


def test_baseline_equals_the_engine_and_the_hand_figures(bench, scenario):
    u = scenario.world.units
    engine, baseline = both(bench)
    assert bench.check_same(engine, baseline) > 0
    assert baseline["2023-2024/R2"]["FULLDAY"][u["P"].pk] == (5, 8)
    assert baseline["2023-2024/R2"]["FULLDAY"][u["S2"].pk] == (1, 3)
    assert baseline["2023-10"]["ATTENDANCE"][u["S1a"].pk] == (3, 4)
    assert baseline["2023-10"]["ATTENDANCE"][u["P"].pk] == (4, 6)
    assert baseline["2023-2024/HK1"]["ATTENDANCE"][u["P"].pk] == (4, 6)  # the parts of the half year summed
    assert u["P"].pk not in baseline["2023-11"]["ATTENDANCE"]


def test_baseline_places_merged_and_moved_schools_as_the_engine(bench, scenario):
    u = scenario.world.units
    org_services.units_merge(sources=[u["S1b"]], target=u["S1a"], effective=dt.date(2024, 1, 1))
    org_services.unit_move(unit=OrgUnit.objects.get(pk=u["S2"].pk), new_parent=OrgUnit.objects.get(pk=u["D1"].pk),
                           effective=dt.date(2024, 1, 1))
    engine, baseline = both(bench)
    assert bench.check_same(engine, baseline) > 0
    assert baseline["2023-2024/R2"]["FULLDAY"][u["S1b"].pk] == (1, 1)  # December: S1b on its own
    assert baseline["2024-01"]["FULLDAY"][u["S1a"].pk] == (4, 5)  # January: S1b's child under S1a
    assert baseline["2024-01"]["FULLDAY"][u["D1"].pk] == (5, 7)  # and S2 moved into D1
    assert u["D2"].pk not in baseline["2024-01"]["FULLDAY"]


def test_a_difference_fails_loudly(bench, scenario):
    u = scenario.world.units
    engine, baseline = both(bench)
    n, d = baseline["2023-10"]["ATTENDANCE"][u["P"].pk]
    baseline["2023-10"]["ATTENDANCE"][u["P"].pk] = (n, d + 1)
    with pytest.raises(AssertionError, match="2023-10 ATTENDANCE"):
        bench.check_same(engine, baseline, report=lambda s: None)
