"""Demo targets and values: seed 000's targets on the city, seed 002's on Sao Sáng, seed 001's 2021-2025 plan on
Vĩnh Bảo with one (declared) value per school year; then the values of the current school year are computed.

The demo's current school year is the one the org demo marks current: the school year of the application's
today (``mamnon.core.clock``). ``make demo`` pins today to 16/05/2024 (``MAMNON_TODAY``), so the current year is
2023-2024, the year of seed 002's plan, and every generator makes its records in it; the targets are set on it,
so that they meet the children and attendance records the other generators made. Without the pin the demo is
built, the same way, in the school year of the real date.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection

from mamnon.calc import indicators as calc
from mamnon.core import clock
from mamnon.core.demo import DemoContext, register
from mamnon.indicators import services
from mamnon.indicators.catalogue import load_catalogue
from mamnon.indicators.models import DeclaredValue, Indicator, Target
from mamnon.org.models import OrgUnit

L, M, Z, N = calc.AT_LEAST, calc.AT_MOST, calc.ZERO, calc.COUNT_AT_LEAST
RV, RY, NA = calc.REDUCE_VS_BASELINE, calc.REDUCE_PER_YEAR, calc.NOT_ABOVE_BASELINE

# Seed 000 (Sở GD&ĐT Hải Phòng, guidance 2022-2023): (code, comparison, value)
CITY_TARGETS = [
    ("ENR_CRECHE", L, 42.5), ("ENR_KINDER", L, 97), ("ENR_5Y", L, 100), ("FULLDAY", L, 100), ("FULLDAY_5Y", L, 100),
    ("SCHOOL_SIZE", M, 20), ("PCGD_COMMUNES", L, 100), ("EQUIP_MIN", L, 97), ("KITCHEN_ONEWAY", L, 80),
    ("TOILET_STD", L, 77), ("INTERNET_SW", L, 100), ("ONLINE_MEETING", L, 35), ("WEBSITE", L, 100),
    ("SELF_ASSESS", L, 98), ("ACCRED_L1", L, 60), ("SAFE_SCHOOL", L, 100), ("INCIDENTS", Z, None),
    ("ILLEGAL_GROUPS", Z, None), ("FOREIGN_INSPECTED", L, 100), ("GROWTH_MONITORED", L, 100),
    ("SELF_SERVICE", L, 95), ("UNDERWEIGHT", RV, 1.2), ("STUNTING", RV, 1.2), ("OVERWEIGHT", NA, None),
    ("INCLUSION", L, 75), ("ENGLISH", L, 11), ("T_PER_CRECHE", L, 2.5), ("T_PER_KINDER", L, 2.2),
    ("T_QUAL_STD", L, 84), ("PARENT_ENGAGE", L, 100), ("PARENT_KNOWLEDGE", L, 100), ("REPORT_TIMELY", L, 100),
    ("TOI_YEU_VN", L, 80), ("ATTENDANCE", L, 85), ("ATTENDANCE_5Y", L, 90),
]
# Seed 002 (Trường MN Sao Sáng, plan 2023-2024).
SAO_SANG_TARGETS = [
    ("ENR_CRECHE", L, 45), ("ENR_KINDER", L, 98), ("ENR_5Y", L, 100), ("FULLDAY", L, 100), ("CLASS_SIZE", M, 30),
    ("EQUIP_MIN", L, 100), ("INCIDENTS", Z, None), ("GROWTH_MONITORED", L, 100), ("SELF_SERVICE", L, 95),
    ("UNDERWEIGHT", RV, 1.2), ("STUNTING", RV, 1.2), ("OVERWEIGHT", NA, None), ("MEAL_FEE", M, 28000),
    ("DOMAIN_ASSESS", L, 85), ("TRAINED", L, 100), ("STAFF_RATING", Z, None), ("ETHICS", Z, None),
    ("NEWS", N, 5), ("RESOURCES", N, 3), ("PARENT_ENGAGE", L, 100), ("PARENT_KNOWLEDGE", L, 100),
    ("REPORT_TIMELY", L, 100),
]
# Seed 001 (Long Biên, plan 2021-2025), set on Vĩnh Bảo; the reductions run from the 2020-2021 values.
PLAN = "2021-2025"
BASE = "2020-2021"
PLAN_TARGETS = [
    ("ENR_CRECHE", L, 65), ("ENR_KINDER", L, 100), ("ENR_PUBLIC_SHARE", L, 60), ("FULLDAY", L, 100),
    ("SEMI_BOARDING", L, 100), ("NEW_SCHOOLS", N, 11), ("WEBSITE", L, 100), ("LIBRARY", L, 100),
    ("COMPUTER_ROOM", L, 100), ("E_SCHOOL", N, 11), ("GRASS_YARD", L, 50), ("NATSTD", L, 95),
    ("SAFE_SCHOOL", L, 100), ("GROWTH_MONITORED", L, 100), ("UNDERWEIGHT", RY, 0.3), ("STUNTING", RY, 0.2),
    ("OVERWEIGHT", NA, None), ("INCLUSION", L, 75), ("MODELS", N, 3), ("T_QUAL_STD", L, 100), ("T_UNIV", L, 70),
    ("M_UNIV", L, 100), ("T_PROF_STD", L, 100), ("M_PRINCIPAL_STD", L, 100), ("COMPETENCY", L, 95),
    ("TRAINED", L, 100), ("PARTY", L, 40),
]
# One value a school year for the plan's district (declared: the district's own yearly statistics).
# (code, numerator per year from 2020-2021, denominator per year or None for counts)
PLAN_VALUES = {
    "UNDERWEIGHT": ([620, 585, 560, 530, 505], [10000, 10100, 10300, 10400, 10500]),
    "STUNTING": ([710, 690, 675, 655, 640], [10000, 10100, 10300, 10400, 10500]),
    "OVERWEIGHT": ([450, 452, 440, 437, 430], [10000, 10100, 10300, 10400, 10500]),
    "NEW_SCHOOLS": ([0, 2, 4, 7, 9], None),
    "E_SCHOOL": ([1, 3, 5, 8, 10], None),
    "T_UNIV": ([380, 420, 455, 490, 520], [760, 770, 780, 790, 800]),
}


def _targets(unit: OrgUnit, period: str, rows, indicators, actor, baseline: str) -> list[Target]:
    out = []
    for code, comparison, value in rows:
        out.append(Target(
            unit=unit, indicator=indicators[code], period=period, comparison=comparison,
            value=None if value is None else Decimal(str(value)),
            baseline_period=baseline if calc.needs_baseline(comparison) else "", created_by=actor))
    return out


@register("indicators", 90)
def generate(ctx: DemoContext) -> None:
    load_catalogue(Indicator)  # --replace flushes every table, the migration's rows too
    indicators = {i.code: i for i in Indicator.objects.all()}
    year = services.current_school_year()
    admin = get_user_model().objects.filter(username="admin").first()
    org = ctx.data.get("org", {})
    rows: list[Target] = []
    city = OrgUnit.objects.filter(code="SGD-HP").first()
    if city is not None:
        rows += _targets(city, year, CITY_TARGETS, indicators, admin, f"{year}/R1")
    sao_sang = OrgUnit.objects.filter(pk=org.get("sao_sang_id")).first()
    if sao_sang is not None:
        rows += _targets(sao_sang, year, SAO_SANG_TARGETS, indicators, admin, f"{year}/R1")
    district = OrgUnit.objects.filter(code="PGD-VINHBAO").first()
    Target.objects.bulk_create(rows)
    if district is not None:
        Target.objects.bulk_create(_targets(district, PLAN, PLAN_TARGETS, indicators, admin, BASE))
        _plan_values(district, indicators, admin, year)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the generators before bulk-loaded their tables: fresh planner statistics
    tick = ctx.progress("indicator values", 15)
    services.values_refresh(school_year=year, progress=lambda done, of, code: tick(1))


def _plan_values(district: OrgUnit, indicators, admin, current: str) -> None:
    """The district's yearly figures 2020-2021 .. 2024-2025 (those begun by now), approved by the city."""
    first = int(current[:4])
    years = [f"{y}-{y + 1}" for y in range(2020, 2025) if y <= first]
    now = clock.now()
    rows = []
    for code, (nums, dens) in PLAN_VALUES.items():
        for i, y in enumerate(years):
            rows.append(DeclaredValue(
                unit=district, indicator=indicators[code], period=y, numerator=Decimal(nums[i]),
                denominator=None if dens is None else Decimal(dens[i]), status=DeclaredValue.Status.APPROVED,
                declared_by=admin, reviewed_by=admin, reviewed_at=now,
                note="Số liệu thống kê cuối năm học (dữ liệu minh họa)"))
    DeclaredValue.objects.bulk_create(rows)
    for y in years:
        if y != current:
            services.values_refresh(period=y)
