"""The catalogue, targets and their cascade, statuses of stored values through the whole chain."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mamnon.calc import indicators as calc
from mamnon.indicators import selectors, services
from mamnon.indicators.catalogue import CATALOGUE
from mamnon.indicators.models import DeclaredValue, Indicator

pytestmark = pytest.mark.django_db

# Every code of shared/domain/targets-from-seeds.md (copied here so the test does not read outside the repo).
SEED_CODES = """ENR_CRECHE ENR_KINDER ENR_5Y ENR_PUBLIC_SHARE FULLDAY FULLDAY_5Y SEMI_BOARDING CLASS_SIZE SCHOOL_SIZE
PCGD_COMMUNES NEW_SCHOOLS EQUIP_MIN KITCHEN_ONEWAY TOILET_STD INTERNET_SW ONLINE_MEETING WEBSITE LIBRARY COMPUTER_ROOM
E_SCHOOL GRASS_YARD SELF_ASSESS ACCRED_L1 NATSTD SAFE_SCHOOL INCIDENTS ILLEGAL_GROUPS FOREIGN_INSPECTED
GROWTH_MONITORED SELF_SERVICE UNDERWEIGHT STUNTING OVERWEIGHT MEAL_NORMS MEAL_FEE INCLUSION ENGLISH DOMAIN_ASSESS
MODELS TOI_YEU_VN T_PER_CRECHE T_PER_KINDER T_QUAL_STD T_UNIV M_UNIV T_PROF_STD M_PRINCIPAL_STD COMPETENCY TRAINED
PARTY STAFF_RATING ETHICS PARENT_ENGAGE NEWS RESOURCES PARENT_KNOWLEDGE REPORT_TIMELY""".split()


def test_catalogue_holds_every_seed_code_with_its_description(db):
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert set(SEED_CODES) <= codes
    for entry in CATALOGUE:
        assert entry["name_vi"] and entry["name_en"] and entry["regulation"], entry["code"]
        assert entry["definition_vi"] and entry["definition_en"], entry["code"]
        assert entry["kind"] in ("computed", "census", "declared", "rule")
        assert entry["measure"] != "ratio" or entry["denominator_en"], entry["code"]
    assert Indicator.objects.get(code="ENR_5Y").kind == "census"
    assert Indicator.objects.get(code="E_SCHOOL").kind == "declared"


def test_target_validation_and_rights(world):
    w = world
    fullday = Indicator.objects.get(code="FULLDAY")
    with pytest.raises(PermissionDenied):
        services.target_set(actor=w.user("district2"), unit=w.units["D1"], indicator=fullday, period="2023-2024",
                            comparison=calc.AT_LEAST, value=Decimal(90))
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=w.user("district1"), unit=w.units["D1"], indicator=fullday, period="2023-10",
                            comparison=calc.AT_LEAST, value=Decimal(90))
    assert "period" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=w.user("district1"), unit=w.units["D1"], indicator=fullday, period="2023-2024",
                            comparison=calc.REDUCE_PER_YEAR, value=Decimal("0.3"), baseline_period="2020-2021")
    assert "comparison" in exc.value.message_dict
    t = services.target_set(actor=w.user("district1"), unit=w.units["D1"], indicator=fullday, period="2023-2024",
                            comparison=calc.ZERO, value=Decimal(5))
    assert t.value is None  # "= 0" keeps no value


def test_reduce_by_1_2_points_through_the_rounds(world):
    """A school keeping no growth records in mamnon declares its rounds: 8.0% underweight in round 1 (40 of 500),
    7.3% in round 2 (36.5 -> 73 of 1000): on track in January (the line reaches 6.608% by 31/03)."""
    w = world
    under = Indicator.objects.get(code="UNDERWEIGHT")
    s = w.units["S1a"]
    services.target_set(actor=w.user("principal1a"), unit=s, indicator=under, period="2023-2024",
                        comparison=calc.REDUCE_VS_BASELINE, value=Decimal("1.2"), baseline_period="2023-2024/R1")
    for period, num, den in (("2023-2024/R1", 40, 500), ("2023-2024/R2", 73, 1000)):
        DeclaredValue.objects.create(unit=s, indicator=under, period=period, numerator=num, denominator=den,
                                     status=DeclaredValue.Status.APPROVED)
        services.values_refresh(period=period)
    (line,) = selectors.scorecard(s, "2023-2024", today=dt.date(2024, 1, 10))
    assert line.baseline == pytest.approx(8.0) and line.latest == pytest.approx(7.3)
    assert line.latest_period == "2023-2024/R2"
    assert line.status == calc.ON_TRACK
    # The district above sees the school's declared rounds in its own sums (D1 has only S1a's figures).
    assert selectors.trend(w.units["D1"], under, ["2023-2024/R1"]) == [("2023-2024/R1", pytest.approx(8.0))]
    # After round 3 at 6.9%: the period is over and 6.9 > 6.8: not achieved.
    DeclaredValue.objects.create(unit=s, indicator=under, period="2023-2024/R3", numerator=69, denominator=1000,
                                 status=DeclaredValue.Status.APPROVED)
    services.values_refresh(period="2023-2024/R3")
    (line,) = selectors.scorecard(s, "2023-2024", today=dt.date(2024, 4, 15))
    assert line.status == calc.NOT_ACHIEVED


def test_cascade_offers_the_nearest_target_and_flags_weaker_ones(world):
    w = world
    fullday = Indicator.objects.get(code="FULLDAY")
    english = Indicator.objects.get(code="ENGLISH")
    p = services.target_set(actor=w.user("province"), unit=w.units["P"], indicator=fullday, period="2023-2024",
                            comparison=calc.AT_LEAST, value=Decimal(95))
    services.target_set(actor=w.user("province"), unit=w.units["P"], indicator=english, period="2023-2024",
                        comparison=calc.AT_LEAST, value=Decimal(11))
    d1 = services.target_set(actor=w.user("district1"), unit=w.units["D1"], indicator=fullday, period="2023-2024",
                             comparison=calc.AT_LEAST, value=Decimal(98))  # stricter: allowed
    own, offered = selectors.targets_for(w.units["S1a"], "2023-2024")
    assert own == [] and {(t.indicator.code, t.unit_id) for t in offered} == {
        ("FULLDAY", w.units["D1"].pk), ("ENGLISH", w.units["P"].pk)}
    services.targets_adopt(actor=w.user("principal1a"), unit=w.units["S1a"], period="2023-2024")
    weaker = services.target_set(actor=w.user("principal2"), unit=w.units["S2"], indicator=fullday,
                                 period="2023-2024", comparison=calc.AT_LEAST, value=Decimal(90))
    assert selectors.weaker_below(w.units["P"], [p]) == {p.pk: [weaker]}
    assert selectors.weaker_below(w.units["D1"], [d1]) == {}
