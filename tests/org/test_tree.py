"""The organisation tree: creation rules, materialised paths, and renames / moves / mergers in business time."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from mamnon.calc.periods import parse_period
from mamnon.core import scoping
from mamnon.core.roles import Role
from mamnon.org import selectors, services
from mamnon.org.models import Membership, OrgLevel, OrgUnit, OrgUnitVersion, School, Term

D = dt.date
START = D(2020, 9, 5)  # valid_from of every unit of the world fixture


def fresh(unit):
    return OrgUnit.objects.get(pk=unit.pk)


def codes(qs):
    return {u.code for u in qs}


def tree_codes(root, day):
    return {v.code for v in selectors.tree_as_of(root, day)}


def new_user(username, unit=None, role=None):
    user = get_user_model().objects.create_user(username=username, password="x-long-password-1")
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


# --- creation ----------------------------------------------------------------------------------


def test_unit_create_sets_path_depth_and_first_version(world):
    d1 = world.units["D1"]
    c9 = services.unit_create(code="C9", name="Xã Chín", level=world.levels["commune"], parent=d1,
                              valid_from=D(2022, 1, 1))
    assert c9.path == f"{world.units['P'].pk}/{d1.pk}/{c9.pk}/"
    assert fresh(c9).path == c9.path  # stored, not only on the instance
    assert fresh(c9).depth == 2
    [version] = c9.versions.all()
    assert (version.name, version.parent_id, version.path, version.valid_from, version.valid_to, version.change) == (
        "Xã Chín", d1.pk, c9.path, D(2022, 1, 1), None, OrgUnitVersion.Change.CREATED)


def test_a_district_cannot_sit_under_a_commune(world):
    before = OrgUnit.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.unit_create(code="DX", name="Huyện X", level=world.levels["district"], parent=world.units["C1"])
    assert "parent" in exc.value.message_dict
    assert OrgUnit.objects.count() == before


def test_a_unit_cannot_sit_under_a_unit_of_the_same_level(world):
    with pytest.raises(ValidationError):
        services.unit_create(code="DX", name="Huyện X", level=world.levels["district"], parent=world.units["D1"])


@pytest.mark.parametrize("level", ["commune", "school"])
def test_nothing_can_sit_under_a_school(world, level):
    before = OrgUnit.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.unit_create(code="X", name="X", level=world.levels[level], parent=world.units["S1a"])
    assert "parent" in exc.value.message_dict
    assert OrgUnit.objects.count() == before


def test_nothing_can_be_created_under_a_closed_unit(world):
    OrgUnit.objects.filter(pk=world.units["D2"].pk).update(active=False)
    with pytest.raises(ValidationError):
        services.unit_create(code="CX", name="Xã X", level=world.levels["commune"], parent=fresh(world.units["D2"]))


def test_school_create_refuses_a_school_outside_the_tree_rules(world):
    with pytest.raises(ValidationError):
        services.school_create(code="SX", name="Trường X", parent=world.units["S1a"],
                               ownership=School.Ownership.PUBLIC)
    assert not OrgUnit.objects.filter(code="SX").exists()


# --- paths -------------------------------------------------------------------------------------


def test_everything_below_is_one_prefix_filter(world):
    u = world.units
    assert codes(selectors.units_below(u["D1"])) == {"D1", "C1", "S1a", "S1b"}
    assert codes(selectors.units_below(u["D1"], include_self=False)) == {"C1", "S1a", "S1b"}
    assert codes(selectors.units_below(u["D2"])) == {"D2", "C2", "S2"}
    assert codes(selectors.units_below(u["P"])) == {"P", "D1", "D2", "C1", "C2", "S1a", "S1b", "S2"}
    assert codes(selectors.units_below(u["S1a"])) == {"S1a"}


def test_prefix_does_not_catch_a_sibling_whose_id_starts_with_the_same_digits(world):
    """Paths end every id with '/', so unit 2's subtree never includes unit 23."""
    p, d1 = world.units["P"], world.units["D1"]
    sibling_id = int(f"{d1.pk}7")  # e.g. D1 = 2, sibling = 27: same leading digits
    sibling = OrgUnit.objects.create(id=sibling_id, code="DZ", name="Huyện Z", level=world.levels["district"],
                                     parent=p, path=f"{p.path}{sibling_id}/", depth=1)
    assert sibling.path.startswith(f"{p.path}{d1.pk}")
    assert sibling not in selectors.units_below(d1)
    assert codes(selectors.units_below(d1)) == {"D1", "C1", "S1a", "S1b"}


# --- rename --------------------------------------------------------------------------------------


def test_rename_keeps_the_old_name_for_earlier_dates(world):
    c1 = world.units["C1"]
    services.unit_rename(unit=c1, name="Phường Mới", effective=D(2025, 7, 1), actor=world.user("district1"))
    assert fresh(c1).name == "Phường Mới"
    old, new = c1.versions.order_by("valid_from")
    assert (old.name, old.valid_from, old.valid_to) == ("ZZ-C1", START, D(2025, 6, 30))
    assert (new.name, new.valid_from, new.valid_to, new.change) == (
        "Phường Mới", D(2025, 7, 1), None, OrgUnitVersion.Change.RENAMED)
    assert selectors.version_as_of(c1, D(2024, 5, 31)).name == "ZZ-C1"
    assert selectors.version_as_of(c1, D(2025, 6, 30)).name == "ZZ-C1"
    assert selectors.version_as_of(c1, D(2025, 7, 1)).name == "Phường Mới"
    assert selectors.version_as_of(c1, D(2030, 1, 1)).name == "Phường Mới"
    assert selectors.version_as_of(c1, D(2019, 1, 1)) is None  # before the unit existed


def test_rename_with_a_new_code_is_recorded_as_recoded(world):
    c1 = world.units["C1"]
    services.unit_rename(unit=c1, name="Phường Mới", code="C1-NEW", effective=D(2025, 7, 1))
    assert fresh(c1).code == "C1-NEW"
    assert selectors.version_as_of(c1, D(2025, 1, 1)).code == "C1"
    current = selectors.version_as_of(c1, D(2025, 7, 1))
    assert (current.code, current.change) == ("C1-NEW", OrgUnitVersion.Change.RECODED)


@pytest.mark.parametrize("effective", [START, D(2019, 1, 1)])
def test_rename_must_take_effect_after_the_current_state_began(world, effective):
    with pytest.raises(ValidationError) as exc:
        services.unit_rename(unit=world.units["C1"], name="X", effective=effective)
    assert "effective" in exc.value.message_dict
    assert fresh(world.units["C1"]).name == "ZZ-C1"
    assert world.units["C1"].versions.count() == 1


def test_two_renames_in_a_row(world):
    c1 = world.units["C1"]
    services.unit_rename(unit=c1, name="Tên 2", effective=D(2022, 1, 1))
    with pytest.raises(ValidationError):
        services.unit_rename(unit=c1, name="Tên 3", effective=D(2022, 1, 1))
    services.unit_rename(unit=c1, name="Tên 3", effective=D(2023, 1, 1))
    names = [selectors.version_as_of(c1, day).name for day in (D(2021, 12, 31), D(2022, 6, 1), D(2023, 1, 1))]
    assert names == ["ZZ-C1", "Tên 2", "Tên 3"]


# --- move ----------------------------------------------------------------------------------------


def test_move_takes_the_whole_subtree_and_keeps_the_old_position_in_history(world):
    p, d1, c1 = world.units["P"], world.units["D1"], world.units["C1"]
    # A school under C1, so the moved subtree has two levels.
    s9 = services.school_create(code="S9", name="Trường Chín", parent=c1, ownership=School.Ownership.PUBLIC).unit
    old_c1_path, old_s9_path = fresh(c1).path, fresh(s9).path
    assert (fresh(c1).depth, fresh(s9).depth) == (2, 3)

    services.unit_move(unit=c1, new_parent=p, effective=D(2025, 7, 1), actor=world.user("province"))

    c1n, s9n = fresh(c1), fresh(s9)
    assert c1n.parent_id == p.pk
    assert c1n.path == f"{p.pk}/{c1.pk}/"
    assert s9n.path == f"{p.pk}/{c1.pk}/{s9.pk}/"
    assert (c1n.depth, s9n.depth) == (1, 2)
    assert s9n.parent_id == c1.pk  # the school stays under its commune
    assert codes(selectors.units_below(d1)) == {"D1", "S1a", "S1b"}
    assert codes(selectors.units_below(c1n)) == {"C1", "S9"}

    # Before the move: C1 and S9 sat under D1, with their old paths.
    before = {v.code: v for v in selectors.tree_as_of(p, D(2025, 6, 30))}
    assert (before["C1"].path, before["C1"].parent_id) == (old_c1_path, d1.pk)
    assert before["S9"].path == old_s9_path
    assert tree_codes(d1, D(2025, 6, 30)) == {"D1", "C1", "S1a", "S1b", "S9"}
    # From the move on, D1's tree no longer holds them, and P's shows the new paths.
    assert tree_codes(d1, D(2025, 7, 1)) == {"D1", "S1a", "S1b"}
    after = {v.code: v for v in selectors.tree_as_of(p, D(2025, 7, 1))}
    assert (after["C1"].path, after["C1"].parent_id) == (c1n.path, p.pk)
    assert after["S9"].path == s9n.path
    assert after["S9"].change == OrgUnitVersion.Change.MOVED
    # Every unit appears exactly once on any day.
    for day in (D(2025, 6, 30), D(2025, 7, 1)):
        listed = [v.unit_id for v in selectors.tree_as_of(p, day)]
        assert len(listed) == len(set(listed)) == 9


def test_move_changes_scope_the_same_day(world):
    services.unit_move(unit=world.units["S1b"], new_parent=world.units["D2"], effective=D(2025, 7, 1))
    district1 = get_user_model().objects.get(username="district1")
    district2 = get_user_model().objects.get(username="district2")
    assert codes(OrgUnit.objects.for_user(district1)) == {"D1", "C1", "S1a"}
    assert codes(OrgUnit.objects.for_user(district2)) == {"D2", "C2", "S2", "S1b"}


@pytest.mark.parametrize("target", ["D1", "C1"])
def test_a_unit_cannot_be_moved_below_itself(world, target):
    # D1 under C1 is below itself; "under itself" is the degenerate case.
    with pytest.raises(ValidationError) as exc:
        services.unit_move(unit=world.units["D1"], new_parent=world.units[target], effective=D(2025, 7, 1))
    assert "parent" in exc.value.message_dict
    assert fresh(world.units["D1"]).parent_id == world.units["P"].pk


def test_move_must_respect_levels(world):
    with pytest.raises(ValidationError):
        services.unit_move(unit=world.units["C1"], new_parent=world.units["S2"], effective=D(2025, 7, 1))
    with pytest.raises(ValidationError):
        services.unit_move(unit=world.units["D1"], new_parent=world.units["D2"], effective=D(2025, 7, 1))


@pytest.mark.parametrize("effective", [START, D(2020, 1, 1)])
def test_move_must_take_effect_after_the_current_state_began(world, effective):
    with pytest.raises(ValidationError) as exc:
        services.unit_move(unit=world.units["C1"], new_parent=world.units["D2"], effective=effective)
    assert "effective" in exc.value.message_dict
    assert fresh(world.units["C1"]).parent_id == world.units["D1"].pk


def test_move_refuses_a_date_before_a_descendants_later_change(world):
    """A child renamed on 01/06/2024 cannot move with its parent from 01/01/2024 (no version may end before it
    began); the service answers with a ValidationError, not a database error."""
    p2 = services.unit_create(code="P2", name="Tỉnh Hai", level=world.levels["province"], parent=None)
    services.unit_rename(unit=world.units["C1"], name="Tên mới", effective=D(2024, 6, 1))
    with pytest.raises(ValidationError) as exc:
        services.unit_move(unit=world.units["D1"], new_parent=p2, effective=D(2024, 1, 1))
    assert "effective" in exc.value.message_dict
    assert fresh(world.units["D1"]).parent_id == world.units["P"].pk
    assert fresh(world.units["C1"]).path.startswith(world.units["P"].path)
    # After that date the move goes through.
    services.unit_move(unit=world.units["D1"], new_parent=p2, effective=D(2024, 6, 2))
    assert fresh(world.units["C1"]).path == f"{p2.pk}/{world.units['D1'].pk}/{world.units['C1'].pk}/"
    assert selectors.version_as_of(world.units["C1"], D(2024, 6, 1)).name == "Tên mới"
    assert selectors.version_as_of(world.units["C1"], D(2024, 6, 1)).path.startswith(world.units["P"].path)


# --- merge -------------------------------------------------------------------------------------


@pytest.fixture
def merger(world):
    """A second commune C3 in D1 with a school S3 below it, S1b standing in it, and an officer."""
    u = world.units
    c3 = services.unit_create(code="C3", name="ZZ-C3", level=world.levels["commune"], parent=u["D1"],
                              valid_from=START)
    s3 = services.school_create(code="S3", name="ZZ-S3", parent=c3, commune=c3,
                                ownership=School.Ownership.PUBLIC).unit
    School.objects.filter(pk=u["S1b"].pk).update(commune=c3)
    officer = new_user("commune3", c3, Role.COMMUNE_OFFICER)
    return c3, s3, officer


def test_merge_two_communes(world, merger):
    c3, s3, officer = merger
    c1, d1 = world.units["C1"], world.units["D1"]
    effective = D(2025, 7, 1)
    old_s3_path = fresh(s3).path

    services.units_merge(sources=[c3], target=c1, effective=effective, actor=world.user("district1"))
    services.unit_rename(unit=c1, name="Xã Hợp Nhất", effective=effective)

    # Children and the schools standing in the source now belong to the target.
    s3n = fresh(s3)
    assert s3n.parent_id == c1.pk
    assert s3n.path == f"{fresh(c1).path}{s3.pk}/"
    assert School.objects.get(pk=s3.pk).commune_id == c1.pk
    assert School.objects.get(pk=world.units["S1b"].pk).commune_id == c1.pk
    assert School.objects.get(pk=world.units["S1a"].pk).commune_id == c1.pk  # unchanged
    # The source is closed, not deleted.
    c3n = fresh(c3)
    assert (c3n.active, c3n.merged_into_id, c3n.valid_to) == (False, c1.pk, D(2025, 6, 30))
    assert not c3n.versions.filter(valid_to__isnull=True).exists()
    # Memberships follow: the officer now holds the role at the target; the old one is inactive.
    assert Membership.objects.get(user=officer, unit=c3).active is False
    assert Membership.objects.get(user=officer, unit=c1, role=Role.COMMUNE_OFFICER).active is True
    officer = get_user_model().objects.get(pk=officer.pk)
    # The commune's own subtree (S3) and the schools standing in it (S1a, S1b under D1).
    assert codes(OrgUnit.objects.for_user(officer)) == {"C1", "S3", "S1a", "S1b"}

    # As of the day before, both communes stand under D1 with their old names, S3 under C3.
    before = {v.code: v for v in selectors.tree_as_of(d1, D(2025, 6, 30))}
    assert set(before) == {"D1", "C1", "C3", "S1a", "S1b", "S3"}
    assert (before["C1"].name, before["C3"].name) == ("ZZ-C1", "ZZ-C3")
    assert (before["S3"].parent_id, before["S3"].path) == (c3.pk, old_s3_path)
    # From the merger on, only the target, under its new name, with S3 below it.
    after = {v.code: v for v in selectors.tree_as_of(d1, effective)}
    assert set(after) == {"D1", "C1", "S1a", "S1b", "S3"}
    assert after["C1"].name == "Xã Hợp Nhất"
    assert after["S3"].parent_id == c1.pk
    assert "ZZ-C1" in before["C3"].note  # the closing version names the unit it went into


def test_merge_into_itself_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.units_merge(sources=[world.units["C1"]], target=world.units["C1"], effective=D(2025, 7, 1))
    assert "sources" in exc.value.message_dict
    assert fresh(world.units["C1"]).active


def test_merge_of_different_levels_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.units_merge(sources=[world.units["C1"]], target=world.units["D2"], effective=D(2025, 7, 1))
    assert "sources" in exc.value.message_dict
    assert fresh(world.units["C1"]).active


def test_merge_into_a_closed_unit_is_refused(world, merger):
    c3, _s3, _officer = merger
    services.units_merge(sources=[c3], target=world.units["C1"], effective=D(2025, 7, 1))
    with pytest.raises(ValidationError):
        services.units_merge(sources=[world.units["C2"]], target=c3, effective=D(2025, 8, 1))


def test_merge_must_take_effect_after_the_sources_current_state(world, merger):
    c3, s3, _officer = merger
    with pytest.raises(ValidationError) as exc:
        services.units_merge(sources=[c3], target=world.units["C1"], effective=START)
    assert "effective" in exc.value.message_dict
    assert fresh(c3).active and fresh(s3).parent_id == c3.pk  # nothing half-done


# --- the two-tier shape (no district level, since 1 July 2025) ------------------------------------


def test_two_tier_tree_without_a_district_level(db):
    levels = {
        code: OrgLevel.objects.create(code=code, name=name, rank=rank, is_school=is_school, officer_role=officer)
        for code, name, rank, is_school, officer in (
            ("tinh", "Tỉnh", 1, False, Role.PROVINCE_OFFICER),
            ("xa", "Xã/Phường", 2, False, Role.COMMUNE_OFFICER),
            ("truong", "Trường", 3, True, ""),
        )
    }
    province = services.unit_create(code="T", name="Tỉnh T", level=levels["tinh"], parent=None)
    x1 = services.unit_create(code="X1", name="Xã Một", level=levels["xa"], parent=province)
    x2 = services.unit_create(code="X2", name="Phường Hai", level=levels["xa"], parent=province)
    schools = {
        code: services.school_create(code=code, name=f"Trường {code}", parent=parent, commune=parent,
                                     ownership=School.Ownership.PUBLIC).unit
        for code, parent in (("A", x1), ("B", x1), ("C", x2))
    }
    assert schools["A"].path == f"{province.pk}/{x1.pk}/{schools['A'].pk}/"
    assert schools["A"].depth == 2
    # A commune cannot go under a school, nor a province under a commune.
    with pytest.raises(ValidationError):
        services.unit_create(code="BAD", name="Bad", level=levels["tinh"], parent=x1)

    officer_t = new_user("so", province, Role.PROVINCE_OFFICER)
    officer_x1 = new_user("xa1", x1, Role.COMMUNE_OFFICER)
    assert codes(OrgUnit.objects.for_user(officer_t)) == {"T", "X1", "X2", "A", "B", "C"}
    assert {s.unit.code for s in School.objects.for_user(officer_t).select_related("unit")} == {"A", "B", "C"}
    assert codes(OrgUnit.objects.for_user(officer_x1)) == {"X1", "A", "B"}
    assert {s.unit.code for s in School.objects.for_user(officer_x1).select_related("unit")} == {"A", "B"}
    assert codes(selectors.units_below(x1, include_self=False)) == {"A", "B"}
    # Who may create accounts where, in this shape.
    assert scoping.grantable_roles(officer_x1, schools["A"]) == [Role.PRINCIPAL, Role.VICE_PRINCIPAL]
    assert scoping.grantable_roles(officer_x1, schools["C"]) == []
    assert scoping.grantable_roles(officer_t, x2) == [Role.COMMUNE_OFFICER]


# --- the 2025 reorganisation: districts dissolved ------------------------------------------------


def test_district_dissolved_in_2025_keeps_its_2024_tree(world):
    u = world.units
    p, d1 = u["P"], u["D1"]
    effective = D(2025, 7, 1)
    for key in ("C1", "S1a", "S1b"):
        services.unit_move(unit=u[key], new_parent=p, effective=effective, note="Nghị quyết 202/2025/QH15")
    # Close the district (there is no service for a plain closure: set the dates by hand).
    OrgUnit.objects.filter(pk=d1.pk).update(active=False, valid_to=effective - dt.timedelta(days=1))
    OrgUnitVersion.objects.filter(unit=d1, valid_to__isnull=True).update(valid_to=effective - dt.timedelta(days=1))

    for key in ("C1", "S1a", "S1b"):
        unit = fresh(u[key])
        assert unit.parent_id == p.pk and unit.path == f"{p.pk}/{unit.pk}/" and unit.depth == 1
    assert codes(selectors.units_below(fresh(d1))) == {"D1"}

    # A report for school year 2023-2024 still puts the schools under the district.
    report_day = parse_period("2023-2024").end
    for key in ("S1a", "S1b", "C1"):
        version = selectors.version_as_of(u[key], report_day)
        assert version.parent_id == d1.pk
        assert version.path == f"{p.pk}/{d1.pk}/{u[key].pk}/"
    assert tree_codes(d1, report_day) == {"D1", "C1", "S1a", "S1b"}
    # After the reform the province's tree has no district D1, and the schools sit right under it.
    after = {v.code: v for v in selectors.tree_as_of(p, effective)}
    assert set(after) == {"P", "D2", "C1", "C2", "S1a", "S1b", "S2"}
    assert after["S1a"].parent_id == p.pk
    assert selectors.tree_as_of(d1, effective).count() == 0
    # Access follows the tree of today: the province still sees the schools, D1's officer only D1.
    province = get_user_model().objects.get(username="province")
    district1 = get_user_model().objects.get(username="district1")
    assert {"S1a", "S1b", "C1"} <= codes(OrgUnit.objects.for_user(province))
    assert codes(OrgUnit.objects.for_user(district1)) == {"D1"}


# --- school years --------------------------------------------------------------------------------


@pytest.mark.parametrize("hk1_end", [(1, 15), (12, 31)])
def test_school_year_terms_agree_with_period_strings(db, hk1_end):
    year = services.school_year_create(start_year=2023, hk1_end=hk1_end, current=True)
    assert (year.code, year.start_date, year.end_date) == ("2023-2024", D(2023, 9, 5), D(2024, 5, 31))
    for term in Term.objects.filter(school_year=year):
        period = parse_period(term.period, hk1_end=hk1_end)
        assert (term.start_date, term.end_date) == (period.start, period.end)
    hk1, hk2 = Term.objects.filter(school_year=year).order_by("code")
    assert hk1.start_date == year.start_date and hk2.end_date == year.end_date
    assert hk2.start_date == hk1.end_date + dt.timedelta(days=1)
    assert hk1.end_date == (D(2024, 1, 15) if hk1_end == (1, 15) else D(2023, 12, 31))
