"""Round statistics against counts worked out by hand from the rows the test writes (statuses set directly,
so the figures do not depend on the z-score engine)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from mamnon.health import exports, stats
from mamnon.health.indicators import growth_family
from mamnon.health.models import Measurement
from mamnon.indicators.registry import Window, source_of

N, M, S, OW, OB = 1, 2, 3, 4, 5  # normal, moderate, severe, overweight, obese

# child: {round: (wfa, hfa, wfh)}; K1-K3 in G1 and K4 in G2 (school S1a), K5 in G3 (S1b), K6 in G4 (S2).
PLAN = {
    "K1": {1: (M, N, N), 2: (N, N, N)},
    "K2": {1: (N, N, N), 2: (S, N, N), 3: (N, N, N)},
    "K3": {2: (N, N, OW)},
    "K4": {1: (N, S, N), 2: (N, M, 0)},  # round 2: weight-for-height not assessed (flagged)
    "K5": {1: (N, N, OW), 2: (N, N, N)},
    "K6": {1: (N, N, OB), 2: (N, N, OB)},
}


@pytest.fixture
def measured(classroom, rounds):
    for key, by_round in PLAN.items():
        child = classroom.children[key]
        enrolment = child.enrolments.get()
        for n, (wfa, hfa, wfh) in by_round.items():
            day = rounds[n].start_date + dt.timedelta(days=4)
            Measurement.objects.create(school=child.school, child=child, group=enrolment.group, round=rounds[n],
                                       date=day, age_days=(day - child.birth_date).days, weight_kg=15, height_cm=100,
                                       wfa_status=wfa, hfa_status=hfa, wfh_status=wfh)
    return classroom


def test_province_round_2_by_district(measured):
    w = measured.world
    t = stats.unit_table(w.units["P"], "2023-2024", 2, today=dt.date(2024, 6, 1))
    by = {r.name: r for r in t.rows}
    d1, d2 = by[w.marker("D1")], by[w.marker("D2")]
    # D1 = S1a (K1-K4) + S1b (K5): 5 enrolled, 5 measured in round 2.
    assert (d1.values["enrolled"], d1.values["measured"]) == (5, 5)
    assert d1.values["underweight"] == 1 and d1.values["underweight_severe"] == 1  # K2
    assert d1.values["stunting"] == 1 and d1.values["stunting_severe"] == 0  # K4 moderate
    assert d1.values["wfh_assessed"] == 4 and d1.values["overweight"] == 1 and d1.values["obese"] == 0  # K3
    assert d1.shares["underweight"] == 20.0 and d1.shares["overweight"] == 25.0
    # Round 1 in D1: K1, K2, K4, K5 measured (4/5 = 80%), underweight K1 (1/4 = 25%), overweight K5 (25%),
    # stunted K4 (25%).
    assert d1.change["measured"] == pytest.approx(100 - 80)
    assert d1.change["underweight"] == pytest.approx(20 - 25)
    assert d1.change["stunting"] == pytest.approx(20 - 25)
    assert d1.change["overweight"] == pytest.approx(0)
    assert (d2.values["measured"], d2.values["obese"], d2.values["overweight"], d2.shares["obese"]) == (1, 1, 1, 100)
    assert t.total.values["measured"] == 6 and t.total.values["enrolled"] == 6
    assert t.total.values["overweight"] == 2 and t.total.shares["overweight"] == pytest.approx(200 / 5)


def test_school_by_group_and_round_3(measured):
    w = measured.world
    t = stats.group_table(w.schools["S1a"], "2023-2024", 2, today=dt.date(2024, 6, 1))
    g1 = next(r for r in t.rows if r.name == w.marker("group-G1"))
    assert (g1.values["enrolled"], g1.values["measured"], g1.values["underweight"]) == (3, 3, 1)
    assert g1.shares["underweight"] == pytest.approx(100 / 3, abs=0.01)
    assert g1.change["underweight"] == pytest.approx(100 / 3 - 100 / 2, abs=0.01)  # round 1: K1 of K1, K2
    t3 = stats.unit_table(w.units["D1"], "2023-2024", 3, today=dt.date(2024, 6, 1))
    assert t3.total.values["measured"] == 1 and t3.total.shares["measured"] == pytest.approx(20)


def test_enrolled_counts_the_reference_day(measured):
    # K3 leaves on 31/10: enrolled in round 1 (September), not in round 2 (December).
    enrolment = measured.children["K3"].enrolments.get()
    enrolment.end_date = dt.date(2023, 10, 31)
    enrolment.save()
    t1 = stats.group_table(measured.world.schools["S1a"], "2023-2024", 1, today=dt.date(2024, 6, 1))
    t2 = stats.group_table(measured.world.schools["S1a"], "2023-2024", 2, today=dt.date(2024, 6, 1))
    assert (t1.total.values["enrolled"], t2.total.values["enrolled"]) == (4, 3)


def test_indicator_family_serves_the_same_numbers(measured):
    assert source_of("UNDERWEIGHT") is growth_family
    w = measured.world
    window = Window("2023-2024/R2", "round", dt.date(2023, 12, 1), dt.date(2023, 12, 31), "2023-2024", 2)
    out = growth_family(window, None)
    s1a, s1b, s2 = w.schools["S1a"].pk, w.schools["S1b"].pk, w.schools["S2"].pk
    def per(code):
        v = out[code]
        return {int(i): (n, d) for i, n, d in zip(v.school_ids, v.numerator, v.denominator, strict=True)}
    assert per("GROWTH_MONITORED") == {s1a: (4, 4), s1b: (1, 1), s2: (1, 1)}
    assert per("UNDERWEIGHT")[s1a] == (1, 4)
    assert per("STUNTING")[s1a] == (1, 4)
    assert per("OVERWEIGHT") == {s1a: (1, 3), s1b: (0, 1), s2: (1, 1)}
    assert per("OBESE")[s2] == (1, 1) and per("WASTING")[s1a] == (0, 3)
    month = Window("2023-12", "month", dt.date(2023, 12, 1), dt.date(2023, 12, 31))
    assert all(len(v.school_ids) == 0 for v in growth_family(month, None).values())


def test_follow_up_list(measured):
    rows = {r.full_name: r for r in stats.follow_up(measured.world.schools["S1a"], "2023-2024")}
    w = measured.world
    assert set(rows) == {w.marker("child-K1"), w.marker("child-K2"), w.marker("child-K3"), w.marker("child-K4")}
    assert rows[w.marker("child-K1")].trend == "better"
    assert rows[w.marker("child-K2")].became and rows[w.marker("child-K2")].trend == "same"  # normal again in R3
    assert rows[w.marker("child-K4")].trend == "better"  # severe to moderate stunting
    assert rows[w.marker("child-K3")].points[0] is None and not rows[w.marker("child-K3")].became


def test_round_report_xlsx(measured):
    w = measured.world
    t = stats.unit_table(w.units["D1"], "2023-2024", 2, today=dt.date(2024, 6, 1))
    data = exports.round_report(t, unit=w.units["D1"], year="2023-2024", number=2)
    ws = load_workbook(io.BytesIO(data)).active
    keys = [(kind, key) for _h, _s, kind, key in exports.columns()]
    names = [ws.cell(row=r, column=2).value for r in range(exports.FIRST_ROW, exports.FIRST_ROW + 3)]
    assert names == [w.marker("S1a"), w.marker("S1b"), "Total"]
    s1a = {k: ws.cell(row=exports.FIRST_ROW, column=3 + i).value for i, k in enumerate(keys)}
    assert s1a[("n", "enrolled")] == 4 and s1a[("n", "measured")] == 4 and s1a[("p", "underweight")] == 25.0
    total = {k: ws.cell(row=exports.FIRST_ROW + 2, column=3 + i).value for i, k in enumerate(keys)}
    assert total[("n", "measured")] == 5 and total[("d", "underweight")] == pytest.approx(-5.0)


def test_a_schools_own_round_counts_beside_its_offices(measured, rounds):
    """Round 3 of S1a: K2 in the province's round 3 (the PLAN) and K3 in the school's own round 3: two measured.
    Round 1 and round 3 come from the same two queries."""
    from mamnon.health.models import MeasurementRound

    w, k3 = measured.world, measured.children["K3"]
    own = MeasurementRound.objects.create(unit=w.units["S1a"], school_year=measured.year, number=3, name="own",
                                          start_date=dt.date(2024, 3, 1), end_date=dt.date(2024, 3, 31),
                                          deadline=dt.date(2024, 3, 20))
    Measurement.objects.create(school=k3.school, child=k3, group=measured.groups["G1"], round=own,
                               date=dt.date(2024, 3, 4), age_days=2000, weight_kg=15, height_cm=100,
                               wfa_status=N, hfa_status=M, wfh_status=N)
    both = stats.counts_rounds("2023-2024", (3, 1), school_ids=[w.schools["S1a"].pk], today=dt.date(2024, 6, 1))
    r3, r1 = both[3], both[1]
    assert r3.ids.tolist() == [w.schools["S1a"].pk]
    assert (r3.values["measured"][0], r3.values["stunting"][0], r3.values["enrolled"][0]) == (2, 1, 4)
    assert (r1.values["measured"][0], r1.values["underweight"][0]) == (3, 1)  # K1, K2, K4; K1 underweight
    single = stats.counts("2023-2024", 3, school_ids=[w.schools["S1a"].pk], today=dt.date(2024, 6, 1))
    assert all((single.values[k] == r3.values[k]).all() for k in stats.FIELDS)
