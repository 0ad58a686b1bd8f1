"""Class-size and school-size warnings against figures counted by hand.

TT 52/2020 Điều 15: 25/30/35 for kindergarten classes of 3-4/4-5/5-6 years; a band under half its maximum may
be mixed. TT 19/2023 Điều 5 (in force 16/12/2023): 5 places fewer per child with a disability, at most 2.
TT 13/2020 Điều 5: 9 to 20 groups per school (5 in disadvantaged areas).
"""

from __future__ import annotations

import datetime as dt

import pytest

from mamnon.children import selectors, services
from mamnon.children.models import AgeBand, Group, RuleOverride
from mamnon.core.models import Rule
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.children.test_services import make_children

D = dt.date
AFTER_TT19 = D(2024, 1, 10)
BEFORE_TT19 = D(2023, 10, 2)


def checks_of(group, on):
    counted = selectors.groups_with_counts(Group.objects.filter(pk=group.pk)).get()
    return selectors.group_checks([counted], on=on)[group.pk]


def codes(check):
    return {w.code: (w.value, w.limit) for w in check.warnings}


@pytest.fixture
def k5(classroom):
    """An empty class of 5-year-olds at S1a."""
    return Group.objects.create(school=classroom.world.schools["S1a"], school_year=classroom.year, name="Lá 9",
                                age_band=AgeBand.K5)


def test_a_k5_class_of_36_is_over_35(k5):
    make_children(k5, 35, born=D(2018, 5, 5))
    assert codes(checks_of(k5, AFTER_TT19)) == {}
    make_children(k5, 1, born=D(2018, 5, 5), prefix="Z")
    check = checks_of(k5, AFTER_TT19)
    assert codes(check) == {"group_max": (36, 35)}
    assert "52/2020" in check.warnings[0].legal_basis


def test_two_children_with_a_disability_lower_the_maximum_by_ten(k5):
    make_children(k5, 31, born=D(2018, 5, 5), disabled=2)
    # 35 - 2 x 5 = 25 < 31 once TT 19/2023 is in force; 35 before it.
    after = checks_of(k5, AFTER_TT19)
    assert (after.limit.base, after.limit.reduction, after.limit.maximum) == (35, 10, 25)
    assert codes(after) == {"group_max": (31, 25)}
    assert "19/2023" in after.warnings[0].legal_basis
    assert codes(checks_of(k5, BEFORE_TT19)) == {}


def test_the_reduction_stops_at_two_children_and_a_third_is_a_warning(k5):
    make_children(k5, 26, born=D(2018, 5, 5), disabled=3)
    check = checks_of(k5, AFTER_TT19)
    assert check.limit.maximum == 25  # 35 - 2 x 5, not 35 - 3 x 5
    assert codes(check) == {"group_max": (26, 25), "group_disability_max": (3, 2)}


def test_a_mixed_class_is_for_bands_under_half_their_maximum(classroom):
    mixed = Group.objects.create(school=classroom.world.schools["S1a"], school_year=classroom.year, name="Ghép",
                                 age_band=AgeBand.MIXED_KINDER)
    make_children(mixed, 17, born=D(2018, 5, 5), prefix="A")  # 17 five-year-olds < 35 / 2 = 17.5
    make_children(mixed, 14, born=D(2019, 5, 5), prefix="B")  # 14 four-year-olds < 30 / 2 = 15
    assert codes(checks_of(mixed, AFTER_TT19)) == {}
    make_children(mixed, 1, born=D(2019, 5, 5), prefix="C")  # 15 four-year-olds: half of 30
    assert codes(checks_of(mixed, AFTER_TT19)) == {"group_mixed": (15, 15)}


def test_mixed_creche_maximum_has_its_own_date(classroom):
    mixed = Group.objects.create(school=classroom.world.schools["S1a"], school_year=classroom.year, name="Nhà trẻ",
                                 age_band=AgeBand.MIXED_CRECHE)
    make_children(mixed, 5, born=D(2021, 11, 1), prefix="A")
    make_children(mixed, 5, born=D(2022, 3, 1), prefix="B")
    make_children(mixed, 11, born=D(2022, 10, 1), prefix="C")
    # Before TT 03/2024 the largest creche band maximum (25) holds; from 01/05/2024, 20.
    assert checks_of(mixed, AFTER_TT19).limit.maximum == 25
    assert codes(checks_of(mixed, D(2024, 5, 2)))["group_max"] == (21, 20)


def test_a_units_own_rule_applies_below_it_only(classroom):
    w = classroom.world
    Rule.objects.create(code="group_max.k5", value=30, label="x", legal_basis="QĐ huyện D1",
                        effective_from=D(2023, 1, 1), unit=w.units["D1"])
    g1 = classroom.groups["G1"]
    g4 = Group.objects.create(school=w.schools["S2"], school_year=classroom.year, name="S2 Lá", age_band=AgeBand.K5)
    groups = list(selectors.groups_with_counts(Group.objects.filter(pk__in=[g1.pk, g4.pk])))
    checks = selectors.group_checks(groups, on=AFTER_TT19)
    assert checks[g1.pk].limit.base == 30 and checks[g4.pk].limit.base == 35
    assert checks[g1.pk].limit.maximum == 25  # K1, in G1, has a disability: 30 - 5


def test_rules_for_many_schools_cost_one_query(classroom, django_assert_num_queries):
    schools = list(classroom.world.schools.values())
    for s in schools:
        s.unit  # noqa: B018  (loaded before counting)
    with django_assert_num_queries(1):
        rules = selectors.rules_for_schools(schools, on=AFTER_TT19)
    assert {int(r["group_max.k4"].value) for r in rules.values()} == {30}


def test_school_size_warnings_and_the_principals_override(classroom):
    w, year = classroom.world, classroom.year
    s1a, s1b = w.schools["S1a"], w.schools["S1b"]
    s1b.disadvantaged_area = True
    s1b.save()
    for n in range(4):  # S1b: G3 + 4 = 5 groups, the minimum in a disadvantaged area
        Group.objects.create(school=s1b, school_year=year, name=f"B{n}", age_band=AgeBand.K3)
    warnings = selectors.school_warnings([s1a, s1b], year, on=AFTER_TT19)
    assert [(x.code, x.value, x.limit) for x in warnings[s1a.pk]] == [("school_groups_min", 2, 9)]
    assert warnings[s1b.pk] == []
    for n in range(19):  # S1a: 21 groups
        Group.objects.create(school=s1a, school_year=year, name=f"A{n}", age_band=AgeBand.K3)
    [over] = selectors.school_warnings([s1a], year, on=AFTER_TT19)[s1a.pk]
    assert (over.code, over.value, over.limit, over.overridden) == ("school_groups_max", 21, 20, False)
    assert "13/2020" in over.legal_basis
    services.rule_override(actor=w.user("principal1a"), school=s1a, rule_code=over.override_code,
                           reason="Trường đông trẻ, chờ tách trường")
    [over] = selectors.school_warnings([s1a], year, on=AFTER_TT19)[s1a.pk]
    assert over.overridden and over.override.reason.startswith("Trường đông")
    # The decision is for that year only.
    assert RuleOverride.objects.get().rule_code == "school_groups_max@2023-2024"


def test_an_override_needs_the_principal_and_a_reason(classroom):
    from django.core.exceptions import PermissionDenied, ValidationError

    w, g1 = classroom.world, classroom.groups["G1"]
    with pytest.raises(PermissionDenied):
        services.rule_override(actor=w.user("vice1a"), school=g1.school, group=g1, rule_code="group_max",
                               reason="Lý do đầy đủ")
    with pytest.raises(ValidationError) as exc:
        services.rule_override(actor=w.user("principal1a"), school=g1.school, group=g1, rule_code="group_max",
                               reason="ok")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.rule_override(actor=w.user("principal2"), school=g1.school, group=g1, rule_code="group_max",
                               reason="Lý do đầy đủ")
    assert RuleOverride.objects.count() == 0
