"""Staff indicators on the hand-built scenario (tests/staff/conftest.py), per school and summed to a district."""

import datetime as dt
import importlib

import pytest

from mamnon.indicators.registry import Window, source_of
from mamnon.staff import services
from mamnon.staff.models import AnnualRating, StandardRating
from tests.staff.conftest import levels

D = dt.date
T, K, DAT, C = 3, 2, 1, 0
CODES = ["T_PER_CRECHE", "T_PER_KINDER", "T_QUAL_STD", "T_UNIV", "M_UNIV", "T_PROF_STD", "T_PROF_KHA",
         "M_PRINCIPAL_STD", "TRAINED", "TRAINED_STEAM", "PARTY", "STAFF_RATING"]


def compute(sc, code):
    window = Window(code="2023-2024", kind="school_year", start=sc.year.start_date, end=sc.year.end_date,
                    school_year="2023-2024")
    values = source_of(code)(window, None)[code]
    w = sc.world
    by_school = {}
    for sid, num, den in zip(values.school_ids, values.numerator, values.denominator, strict=True):
        by_school[int(sid)] = (num, den)
    out = {key: by_school.get(w.schools[key].pk, (0.0, 0.0)) for key in ("S1a", "S1b", "S2")}
    out["D1"] = tuple(a + b for a, b in zip(out["S1a"], out["S1b"], strict=True))  # a district sums
    return out


def test_every_staff_code_has_a_source():
    importlib.import_module("mamnon.staff.indicators")
    for code in CODES:
        assert source_of(code) is not None, code


def test_qualification_and_party(scenario):
    sc = scenario
    # S1a teachers: T0a, T1-T4 (5): T1, T2 meet; T2 university. Managers P (university SP MN), V (college).
    assert compute(sc, "T_QUAL_STD") == {"S1a": (2, 5), "S1b": (1, 2), "S2": (0, 2), "D1": (3, 7)}
    assert compute(sc, "T_UNIV") == {"S1a": (1, 5), "S1b": (1, 2), "S2": (0, 2), "D1": (2, 7)}
    assert compute(sc, "M_UNIV")["S1a"] == (1, 2)
    # Party: T1, T2, P of the 7 managers and teachers of S1a.
    assert compute(sc, "PARTY") == {"S1a": (3, 7), "S1b": (0, 2), "S2": (0, 2), "D1": (3, 9)}


def test_teachers_per_group(scenario):
    # S1a: creche group C has 3 teachers; classes A5 (2) and A4 (0). S1b: B3 has 2.
    assert compute(scenario, "T_PER_CRECHE")["S1a"] == (3, 1)
    kinder = compute(scenario, "T_PER_KINDER")
    assert kinder["S1a"] == (2, 2) and kinder["S1b"] == (2, 1) and kinder["D1"] == (4, 3)


def test_ratings(scenario, world):
    sc, s = scenario, scenario.staff
    std = StandardRating.Standard.TEACHER
    decided = {"T1": levels(T), "T2": levels(K), "T3": levels(DAT), "T0a": levels(T, c5=C), "W1": levels(T)}
    for key, given in decided.items():
        services.rating_self_assess(actor=None, staff=s[key], school_year=sc.year, standard=std, levels=given)
        services.rating_decide(actor=None, staff=s[key], school_year=sc.year, standard=std, levels=given)
    # T4 only self-assessed: not counted until decided.
    services.rating_self_assess(actor=None, staff=s["T4"], school_year=sc.year, standard=std, levels=levels(T))
    services.rating_self_assess(actor=None, staff=s["P"], school_year=sc.year,
                                standard=StandardRating.Standard.PRINCIPAL, levels=levels(K, 18))
    services.rating_decide(actor=world.user("district1"), staff=s["P"], school_year=sc.year,
                           standard=StandardRating.Standard.PRINCIPAL, levels=levels(K, 18))
    assert compute(sc, "T_PROF_STD") == {"S1a": (3, 4), "S1b": (1, 1), "S2": (0, 0), "D1": (4, 5)}
    assert compute(sc, "T_PROF_KHA") == {"S1a": (2, 4), "S1b": (1, 1), "S2": (0, 0), "D1": (3, 5)}
    assert compute(sc, "M_PRINCIPAL_STD")["S1a"] == (1, 1)
    for key, result in (("T1", "excellent"), ("T2", "completed"), ("T3", "completed"), ("W1", "completed")):
        services.annual_rating_set(actor=None, staff=s[key], school_year=sc.year, result=result)
    assert AnnualRating.objects.count() == 4
    assert compute(sc, "STAFF_RATING") == {"S1a": (2, 1), "S1b": (1, 1), "S2": (0, 0), "D1": (3, 2)}


def test_trained(scenario):
    sc, s = scenario, scenario.staff
    add = services.training_add
    add(actor=None, staff=s["T1"], course="STEAM trong trường mầm non", topic="steam", hours=30,
        start_date=D(2023, 10, 2), end_date=D(2023, 10, 6))
    add(actor=None, staff=s["T2"], course="BDTX module 1", topic="regular", hours=40, start_date=D(2024, 1, 8),
        end_date=D(2024, 1, 12))
    add(actor=None, staff=s["T2"], course="BDTX module 2", topic="regular", hours=20, start_date=D(2024, 2, 8),
        end_date=D(2024, 2, 9))
    add(actor=None, staff=s["K"], course="An toàn thực phẩm", topic="nutrition", hours=8, start_date=D(2023, 11, 1),
        end_date=D(2023, 11, 1))
    add(actor=None, staff=s["T3"], course="Khóa cũ", topic="regular", hours=8, start_date=D(2022, 11, 1),
        end_date=D(2022, 11, 2))
    # S1a: 8 staff (T0a, T1-T4, P, V, K), trained in the year: T1, T2, K. STEAM: T1 of the 7 managers and teachers.
    assert compute(sc, "TRAINED")["S1a"] == (3, 8)
    assert compute(sc, "TRAINED_STEAM")["S1a"] == (1, 7)
    # S1b: W1 and T0b, nobody trained; the district sums: 3 of 10.
    assert compute(sc, "TRAINED")["D1"] == (3, 10)


@pytest.mark.parametrize("code", ["T_QUAL_STD", "TRAINED"])
def test_restricted_to_given_schools(scenario, code):
    sc = scenario
    window = Window(code="2023-2024", kind="school_year", start=sc.year.start_date, end=sc.year.end_date,
                    school_year="2023-2024")
    values = source_of(code)(window, [sc.world.schools["S2"].pk])[code]
    assert values.school_ids.tolist() == [sc.world.schools["S2"].pk]
