"""Services of children, guardians, groups and enrolment: each workflow, its errors and its overrides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mamnon.attendance.models import Attendance
from mamnon.children import services
from mamnon.children.models import (
    AgeBand,
    Child,
    ChildStatus,
    ChildSupport,
    Enrolment,
    Group,
    Guardian,
    RuleOverride,
    Transfer,
)
from mamnon.org import services as org_services
from mamnon.org.models import Staff
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)

D = dt.date


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def make_children(group, n, *, born, prefix="X", disabled=0):
    """``n`` children enrolled in ``group`` (bulk: the services are tested elsewhere), ``disabled`` of them
    with a disability."""
    kids = Child.objects.bulk_create([
        Child(school=group.school, full_name=f"{prefix} {i}", name_folded=f"{prefix.lower()} {i}", birth_date=born,
              sex="M") for i in range(n)])
    Enrolment.objects.bulk_create([
        Enrolment(child=c, group=group, school=group.school, start_date=group.school_year.start_date) for c in kids])
    ChildSupport.objects.bulk_create([
        ChildSupport(child=c, school=group.school, disability_type="hearing") for c in kids[:disabled]])
    return kids


@pytest.fixture
def w(classroom):
    return classroom.world


# --- children ---------------------------------------------------------------------------------------------


def test_child_create_records_the_actor_and_support(classroom, w):
    principal = w.user("principal1a")
    child = services.child_create(actor=principal, school=w.schools["S1a"], full_name="  Nguyễn  Văn An ",
                                  birth_date=D(2019, 4, 2), sex="M", personal_id="001219000123",
                                  support={"disability_type": "hearing", "disability_level": "mild",
                                           "poor_household": True})
    child.refresh_from_db()
    assert child.full_name == "Nguyễn Văn An" and child.name_folded == "nguyen van an"
    assert child.history.latest().history_user == principal
    support = ChildSupport.objects.get(child=child)
    assert support.school_id == w.schools["S1a"].pk and support.poor_household and support.has_disability
    assert support.history.latest().history_user == principal


def test_impossible_birth_dates_are_refused(classroom, w):
    principal, school = w.user("principal1a"), w.schools["S1a"]
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.child_create(actor=principal, school=school, full_name="A", birth_date=tomorrow, sex="F")
    assert "future" in errors_of(exc)["birth_date"][0]
    # The current year starts 05/09/2023: born 05/09/2016 is exactly 84 months (7 years) old then.
    with pytest.raises(ValidationError) as exc:
        services.child_create(actor=principal, school=school, full_name="A", birth_date=D(2016, 9, 5), sex="F")
    assert "7 years" in errors_of(exc)["birth_date"][0]
    ok = services.child_create(actor=principal, school=school, full_name="A", birth_date=D(2016, 9, 6), sex="F")
    assert ok.pk
    assert Child.objects.filter(full_name="A").count() == 1


def test_personal_id_is_validated_and_unique(classroom, w):
    principal, school = w.user("principal1a"), w.schools["S1a"]
    with pytest.raises(ValidationError) as exc:
        services.child_create(actor=principal, school=school, full_name="A", birth_date=D(2019, 1, 1), sex="F",
                              personal_id="12345")
    assert "12 digits" in errors_of(exc)["personal_id"][0]
    services.child_update(actor=principal, child=classroom.children["K1"], personal_id="031219000001")
    before = Child.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.child_create(actor=principal, school=school, full_name="B", birth_date=D(2019, 1, 1), sex="F",
                              personal_id="031219000001")
    assert "already recorded" in errors_of(exc)["personal_id"][0]
    assert Child.objects.count() == before
    # The same child keeps her own number on update; blank means none.
    services.child_update(actor=principal, child=classroom.children["K1"], personal_id="031219000001",
                          full_name="ZZ-child-K1")
    services.child_update(actor=principal, child=classroom.children["K2"], personal_id="")
    assert Child.objects.get(pk=classroom.children["K2"].pk).personal_id is None


def test_only_school_managers_write(classroom, w):
    for key in ("teacher1a", "kitchen1a", "district1", "principal2", "parent1a"):
        with pytest.raises(PermissionDenied):
            services.child_create(actor=w.user(key), school=w.schools["S1a"], full_name="A",
                                  birth_date=D(2019, 1, 1), sex="F")
    child = services.child_create(actor=w.user("vice1a"), school=w.schools["S1a"], full_name="A",
                                  birth_date=D(2019, 1, 1), sex="F")
    with pytest.raises(PermissionDenied):
        services.child_update(actor=w.user("principal1b"), child=child, full_name="B")


def test_guardian_phone_and_consent(classroom, w):
    principal, child = w.user("principal1a"), classroom.children["K2"]
    with pytest.raises(ValidationError) as exc:
        services.guardian_add(actor=principal, child=child, full_name="Bố", relation="father", phone="0123456")
    assert "Mobile phone" in errors_of(exc)["phone"][0]
    g = services.guardian_add(actor=principal, child=child, full_name="Trần Văn Bố", relation="father",
                              phone="+84 912 345 678", consent=True, is_primary=True)
    assert g.phone == "0912345678"
    assert g.consent_at is not None and g.consent_version == services.CONSENT_VERSION
    assert g.school_id == child.school_id
    # Only one primary contact.
    assert list(Guardian.objects.filter(child=child, is_primary=True)) == [g]
    g2 = services.guardian_add(actor=principal, child=child, full_name="Bà", relation="grandparent")
    assert g2.consent_at is None and g2.consent_version == ""
    g2 = services.guardian_update(actor=principal, guardian=g2, consent=True)
    assert g2.consent_at is not None
    with pytest.raises(ValidationError) as exc:
        services.guardian_add(actor=principal, child=child, full_name="X", relation="uncle")
    assert "relation" in errors_of(exc)


def test_pickup_validity_period(classroom, w):
    principal, child = w.user("principal1a"), classroom.children["K1"]
    with pytest.raises(ValidationError) as exc:
        services.pickup_add(actor=principal, child=child, full_name="Cô Hoa", valid_from=D(2024, 1, 10),
                            valid_to=D(2024, 1, 9))
    assert "valid_to" in errors_of(exc)
    p = services.pickup_add(actor=principal, child=child, full_name="Cô Hoa", relation="aunt",
                            valid_from=D(2024, 1, 10), valid_to=D(2024, 1, 20))
    assert p.valid_on(D(2024, 1, 15)) and not p.valid_on(D(2024, 1, 21)) and not p.valid_on(D(2024, 1, 9))


# --- groups -----------------------------------------------------------------------------------------------


def test_group_create_with_teachers_of_the_same_school(classroom, w):
    principal, year = w.user("principal1a"), classroom.year
    mine = Staff.objects.get(user=w.user("teacher1a"))
    other = w.staff["S2"]
    with pytest.raises(ValidationError) as exc:
        services.group_create(actor=principal, school=w.schools["S1a"], school_year=year, name="Lá 2",
                              age_band=AgeBand.K5, teachers=[mine, other])
    assert "ZZ-staff-S2" in errors_of(exc)["teachers"][0]
    with pytest.raises(ValidationError) as exc:
        services.group_create(actor=principal, school=w.schools["S1a"], school_year=year,
                              name=classroom.groups["G1"].name.lower(), age_band=AgeBand.K5)
    assert "name" in errors_of(exc)
    g = services.group_create(actor=principal, school=w.schools["S1a"], school_year=year, name="Lá 2",
                              age_band=AgeBand.K5, teachers=[mine, w.staff["S1a"]], lead=w.staff["S1a"])
    assert {(a.staff_id, a.is_lead) for a in g.assignments.all()} == {(mine.pk, False), (w.staff["S1a"].pk, True)}
    services.group_update(actor=principal, group=g, teachers=[mine], english=True)
    g.refresh_from_db()
    assert g.english and [(a.staff_id, a.is_lead) for a in g.assignments.all()] == [(mine.pk, True)]
    with pytest.raises(PermissionDenied):
        services.group_create(actor=w.user("teacher1a"), school=w.schools["S1a"], school_year=year, name="X",
                              age_band=AgeBand.K3)


# --- admission --------------------------------------------------------------------------------------------


def new_child(w, born, name="Mới", school="S1a"):
    return services.child_create(actor=w.user(f"principal{school[1:]}"), school=w.schools[school], full_name=name,
                                 birth_date=born, sex="F")


def test_admit_checks_the_age_band(classroom, w):
    principal, vice = w.user("principal1a"), w.user("vice1a")
    child = new_child(w, D(2019, 3, 3))  # born 2019: a 4-year-old in 2023-2024
    with pytest.raises(ValidationError) as exc:
        services.admit(actor=principal, child=child, group=classroom.groups["G1"], on=D(2023, 10, 2))
    msg = errors_of(exc)["group"][0]
    assert "4-5" in msg and "5-6" in msg
    assert not Enrolment.objects.filter(child=child).exists()
    with pytest.raises(PermissionDenied):  # only the principal decides an override
        services.admit(actor=vice, child=child, group=classroom.groups["G1"], on=D(2023, 10, 2),
                       override_reason="Theo nguyện vọng gia đình")
    e = services.admit(actor=principal, child=child, group=classroom.groups["G1"], on=D(2023, 10, 2),
                       override_reason="Theo nguyện vọng gia đình")
    assert e.start_date == D(2023, 10, 2) and "nguyện vọng" in e.note
    override = RuleOverride.objects.get(rule_code=f"age_band:{child.pk}")
    assert override.decided_by == principal and override.group == classroom.groups["G1"]
    with pytest.raises(ValidationError) as exc:
        services.admit(actor=principal, child=child, group=classroom.groups["G2"])
    assert "already in a group" in errors_of(exc)["group"][0]


def test_mixed_group_takes_any_band_of_its_family(classroom, w):
    principal = w.user("principal1a")
    mixed = services.group_create(actor=principal, school=w.schools["S1a"], school_year=classroom.year,
                                  name="Ghép", age_band=AgeBand.MIXED_KINDER)
    for born in (D(2018, 5, 1), D(2019, 5, 1), D(2020, 5, 1)):
        services.admit(actor=principal, child=new_child(w, born, name=f"G {born.year}"), group=mixed)
    creche_child = new_child(w, D(2022, 1, 1), name="Bé")
    with pytest.raises(ValidationError):
        services.admit(actor=principal, child=creche_child, group=mixed)


def test_admission_into_an_over_full_group_needs_the_principals_override(classroom, w):
    principal, g1 = w.user("principal1a"), classroom.groups["G1"]
    make_children(g1, 32, born=D(2018, 6, 1))  # 3 + 32 = 35, the maximum for 5-year-olds (TT 52/2020 Điều 15)
    child = new_child(w, D(2018, 7, 7), name="Thứ 36")
    with pytest.raises(ValidationError) as exc:
        services.admit(actor=principal, child=child, group=g1, on=D(2023, 10, 2))
    msg = errors_of(exc)["group"][0]
    assert "36" in msg and "35" in msg and "refused" in msg
    assert g1.enrolments.filter(end_date__isnull=True).count() == 35
    services.admit(actor=principal, child=child, group=g1, on=D(2023, 10, 2), override_reason="Thiếu phòng học")
    assert g1.enrolments.filter(end_date__isnull=True).count() == 36
    assert RuleOverride.objects.get(group=g1, rule_code="group_max").reason == "Thiếu phòng học"
    # The recorded decision covers the group: the next admission proceeds.
    services.admit(actor=principal, child=new_child(w, D(2018, 8, 8), name="Thứ 37"), group=g1, on=D(2023, 10, 3))
    assert g1.enrolments.filter(end_date__isnull=True).count() == 37


def test_move_between_groups(classroom, w):
    principal = w.user("principal1a")
    k2 = classroom.children["K2"]
    g5 = services.group_create(actor=principal, school=w.schools["S1a"], school_year=classroom.year,
                               name="Lá 2", age_band=AgeBand.K5)
    new = services.move_between_groups(actor=principal, child=k2, to_group=g5, on=D(2023, 11, 6))
    old = Enrolment.objects.get(child=k2, group=classroom.groups["G1"])
    assert (old.end_date, old.end_reason) == (D(2023, 11, 5), Enrolment.Reason.MOVED)
    assert (new.group, new.start_date, new.end_date, new.start_reason) == (g5, D(2023, 11, 6), None, "moved")
    with pytest.raises(ValidationError) as exc:
        services.move_between_groups(actor=principal, child=k2, to_group=classroom.groups["G3"])
    assert "another school" in errors_of(exc)["to_group"][0]
    with pytest.raises(ValidationError) as exc:
        services.move_between_groups(actor=principal, child=k2, to_group=classroom.groups["G1"], on=D(2023, 11, 1))
    assert "on" in errors_of(exc)


def test_transfer_the_receiving_principal_sees_the_child_after_release_only(classroom, w):
    k2, p1a, p1b = classroom.children["K2"], w.user("principal1a"), w.user("principal1b")
    Attendance.objects.create(school=k2.school, group=classroom.groups["G1"], child=k2, date=D(2023, 11, 6))
    assert not Child.objects.for_user(p1b).filter(pk=k2.pk).exists()
    transfer = services.release_for_transfer(actor=p1a, child=k2, to_school=w.schools["S1b"], on=D(2023, 11, 10),
                                             note="Chuyển nhà")
    k2.refresh_from_db()
    assert k2.status == ChildStatus.TRANSFERRING and k2.school == w.schools["S1a"]
    assert Enrolment.objects.get(child=k2).end_reason == Enrolment.Reason.TRANSFERRED
    assert Child.objects.for_user(p1b).filter(pk=k2.pk).exists()
    assert not Child.objects.for_user(w.user("principal2")).filter(pk=k2.pk).exists()
    # Only the receiving school's principal accepts, into one of her groups.
    kb = services.group_create(actor=p1b, school=w.schools["S1b"], school_year=classroom.year, name="Lá B",
                               age_band=AgeBand.K5)
    with pytest.raises(PermissionDenied):
        services.accept_transfer(actor=w.user("principal2"), transfer=transfer, group=kb)
    with pytest.raises(ValidationError):
        services.accept_transfer(actor=p1b, transfer=transfer, group=classroom.groups["G1"])
    e = services.accept_transfer(actor=p1b, transfer=transfer, group=kb, on=D(2023, 11, 13))
    k2.refresh_from_db()
    assert (k2.school, k2.status) == (w.schools["S1b"], ChildStatus.ENROLLED)
    assert (e.group, e.start_reason, e.school) == (kb, Enrolment.Reason.TRANSFERRED, w.schools["S1b"])
    assert Guardian.objects.get(child=k2).school == w.schools["S1b"]
    assert Transfer.objects.get(pk=transfer.pk).accepted_by == p1b
    # The child's record moved; the daily records and the old enrolment stay at the sending school.
    assert not Child.objects.for_user(p1a).filter(pk=k2.pk).exists()
    assert Attendance.objects.for_user(p1a).filter(child=k2).count() == 1
    assert Attendance.objects.get(child=k2).school == w.schools["S1a"]
    assert Enrolment.objects.for_user(p1a).filter(child=k2, group=classroom.groups["G1"]).exists()
    with pytest.raises(ValidationError):
        services.accept_transfer(actor=p1b, transfer=transfer, group=kb)


def test_release_refuses_the_same_school(classroom, w):
    with pytest.raises(ValidationError) as exc:
        services.release_for_transfer(actor=w.user("principal1a"), child=classroom.children["K1"],
                                      to_school=w.schools["S1a"])
    assert "to_school" in errors_of(exc)


def test_leave_needs_a_reason(classroom, w):
    principal, k3 = w.user("principal1a"), classroom.children["K3"]
    with pytest.raises(ValidationError) as exc:
        services.leave(actor=principal, child=k3, reason=" ", on=D(2024, 1, 5))
    assert "reason" in errors_of(exc)
    services.leave(actor=principal, child=k3, reason="Gia đình chuyển vào Nam", on=D(2024, 1, 5))
    k3.refresh_from_db()
    e = Enrolment.objects.get(child=k3)
    assert k3.status == ChildStatus.LEFT and (e.end_date, e.end_reason) == (D(2024, 1, 5), "left")
    assert "chuyển vào Nam" in e.note


def test_only_five_year_olds_finish(classroom, w):
    principal = w.user("principal1a")
    with pytest.raises(ValidationError) as exc:
        services.finish(actor=principal, child=classroom.children["K4"], on=D(2024, 5, 31))
    assert "5-year-olds" in errors_of(exc)["on"][0]
    services.finish(actor=principal, child=classroom.children["K1"], on=D(2024, 5, 31))
    k1 = Child.objects.get(pk=classroom.children["K1"].pk)
    assert k1.status == ChildStatus.FINISHED
    assert Enrolment.objects.get(child=k1).end_reason == Enrolment.Reason.FINISHED


# --- roll-over --------------------------------------------------------------------------------------------


@pytest.fixture
def next_year(classroom):
    return org_services.school_year_create(start_year=2024)


def test_rollover_promotes_whole_groups_and_the_oldest_finish(classroom, w, next_year):
    principal = w.user("principal1a")
    g1, g2 = classroom.groups["G1"], classroom.groups["G2"]
    k3_next = services.group_create(actor=principal, school=w.schools["S1a"], school_year=next_year, name="Mầm 1",
                                    age_band=AgeBand.K3)
    extra = make_children(g2, 4, born=D(2021, 2, 1), prefix="Y")  # born 2021: 3-year-olds in 2024-2025
    result = services.rollover(actor=principal, mapping={g1: None, g2: k3_next})
    assert result == {"promoted": 5, "finished": 3}
    for key in ("K1", "K2", "K3"):
        child = Child.objects.get(pk=classroom.children[key].pk)
        assert child.status == ChildStatus.FINISHED
        assert Enrolment.objects.get(child=child).end_reason == Enrolment.Reason.FINISHED
    moved = [classroom.children["K4"], *extra]
    old = Enrolment.objects.filter(child__in=moved, group=g2)
    assert {(e.end_date, e.end_reason) for e in old} == {(D(2024, 5, 31), "promoted")}
    new = Enrolment.objects.filter(child__in=moved, end_date__isnull=True)
    assert {(e.group_id, e.start_date, e.start_reason) for e in new} == {(k3_next.pk, D(2024, 9, 5), "promoted")}
    assert new.count() == 5
    # The history keeps who did it.
    assert Enrolment.history.filter(id=new[0].pk).first().history_user == principal


def test_rollover_is_all_or_nothing(classroom, w, next_year):
    principal = w.user("principal1a")
    g1, g2 = classroom.groups["G1"], classroom.groups["G2"]
    k4_next = services.group_create(actor=principal, school=w.schools["S1a"], school_year=next_year, name="Chồi 1",
                                    age_band=AgeBand.K4)
    with pytest.raises(ValidationError) as exc:  # G2's children do not finish: they need a group
        services.rollover(actor=principal, mapping={g1: None, g2: None})
    assert g2.name in errors_of(exc)["mapping"][0]
    with pytest.raises(ValidationError) as exc:  # 3-year-olds next year in a 4-5 class
        services.rollover(actor=principal, mapping={g1: None, g2: k4_next})
    assert "4-5" in errors_of(exc)["mapping"][0]
    assert Child.objects.filter(status=ChildStatus.FINISHED).count() == 0
    assert Enrolment.objects.filter(end_date__isnull=False).count() == 0
    with pytest.raises(ValidationError):  # a group of another school
        services.rollover(actor=principal, mapping={g2: classroom.groups["G3"]})
    with pytest.raises(PermissionDenied):
        services.rollover(actor=w.user("vice1a"), mapping={g1: None})
    result = services.rollover(actor=principal, mapping={g1: None, g2: k4_next}, override_reason="Ghép theo độ tuổi")
    assert result == {"promoted": 1, "finished": 3}
    assert RuleOverride.objects.filter(group=k4_next, rule_code__startswith="age_band:").count() == 1


def test_rollover_refuses_an_earlier_year(classroom, w):
    principal = w.user("principal1a")
    prev = org_services.school_year_create(start_year=2022)
    old = Group.objects.create(school=w.schools["S1a"], school_year=prev, name="Cũ", age_band=AgeBand.K4)
    with pytest.raises(ValidationError):
        services.rollover(actor=principal, mapping={classroom.groups["G2"]: old})


def test_support_row_only_when_there_is_something_to_keep(classroom, w):
    principal, k2 = w.user("principal1a"), classroom.children["K2"]
    services.child_update(actor=principal, child=k2, support={"orphan": False, "disability_type": ""})
    assert not ChildSupport.objects.filter(child=k2).exists()
    services.child_update(actor=principal, child=k2, support={"orphan": True})
    services.child_update(actor=principal, child=k2, support={"orphan": False})
    assert ChildSupport.objects.get(child=k2).orphan is False
    with pytest.raises(ValidationError) as exc:
        services.child_update(actor=principal, child=k2, support={"disability_level": "mild"})
    assert "disability_type" in errors_of(exc)
