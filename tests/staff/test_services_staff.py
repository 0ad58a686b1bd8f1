"""Staff services: bad input is refused with a message naming the field, nothing partial; who may do what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from mamnon.calc import staff_standards as ss
from mamnon.children.models import GroupTeacher
from mamnon.org.models import Staff
from mamnon.staff import selectors, services
from mamnon.staff.models import StaffRecord, StandardRating, Training
from tests.staff.conftest import levels

D = dt.date
TEACHER = StandardRating.Standard.TEACHER


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_record_create_and_impossible_dates(scenario, world):
    principal = world.user("principal1a")
    school = world.schools["S1a"]
    rec = services.record_save(actor=principal, school=school, full_name="  Lê   Thị  Hoa ", position="teacher",
                               birth_date=D(1995, 2, 3), training_level=2, preschool_pedagogy=True)
    assert rec.staff.full_name == "Lê Thị Hoa" and rec.school_id == school.pk
    before = Staff.objects.count()
    cases = [
        ({"birth_date": D(2090, 1, 1)}, "birth_date", "tương lai"),
        ({"birth_date": D(2015, 1, 1)}, "birth_date", "tuổi"),
        ({"birth_date": D(1990, 1, 1), "hired_on": D(2000, 1, 1)}, "hired_on", "18"),
        ({"hired_on": D(2015, 1, 1), "joined_on": D(2010, 1, 1)}, "joined_on", "trước"),
        ({"party_joined_on": D(2015, 1, 1)}, "party_joined_on", "đảng viên"),
    ]
    for extra, field, words in cases:
        with pytest.raises(ValidationError) as err:
            services.record_save(actor=principal, school=school, full_name="Người mới", position="teacher", **extra)
        assert field in err.value.message_dict, extra
        assert words in " ".join(err.value.message_dict[field]).lower(), err.value.message_dict
    assert Staff.objects.count() == before  # nothing partial


def test_record_permissions(scenario, world):
    with pytest.raises(PermissionDenied):
        services.record_save(actor=world.user("teacher1a"), school=world.schools["S1a"], full_name="X",
                             position="teacher")
    with pytest.raises(PermissionDenied):  # another school's principal
        services.record_save(actor=world.user("principal2"), staff=scenario.staff["T1"], party_member=False)
    services.record_save(actor=world.user("vice1a"), staff=scenario.staff["T1"], party_member=False)
    assert StaffRecord.objects.get(pk=scenario.staff["T1"].pk).party_member is False


def test_rating_with_missing_criteria_is_refused(scenario, world):
    sc = scenario
    given = levels(3)[:14]
    with pytest.raises(ValidationError) as err:
        services.rating_self_assess(actor=world.user("teacher1a"), staff=sc.staff["T1"], school_year=sc.year,
                                    standard=TEACHER, levels=given)
    message = err.value.message_dict["self_levels"][0]
    assert "15" in message and "chưa có mức" in message
    assert not StandardRating.objects.exists()


def test_rating_process(scenario, world):
    sc, s = scenario, scenario.staff
    # The teacher assesses herself (teacher1a is T1's account).
    rating = services.rating_self_assess(actor=world.user("teacher1a"), staff=s["T1"], school_year=sc.year,
                                         standard=TEACHER, levels=levels(3, c3=2))
    assert rating.self_overall == 2  # key criterion 3 at Khá
    # A teacher cannot assess a colleague, nor decide.
    with pytest.raises(PermissionDenied):
        services.rating_self_assess(actor=world.user("teacher1a"), staff=s["T2"], school_year=sc.year,
                                    standard=TEACHER, levels=levels(3))
    with pytest.raises(PermissionDenied):
        services.rating_decide(actor=world.user("vice1a"), staff=s["T1"], school_year=sc.year, standard=TEACHER,
                               levels=levels(3))
    # The principal decides: a decision needs the self-assessment first.
    with pytest.raises(ValidationError) as err:
        services.rating_decide(actor=world.user("principal1a"), staff=s["T2"], school_year=sc.year,
                               standard=TEACHER, levels=levels(3))
    assert "tự đánh giá" in err.value.message_dict["levels"][0]
    rating = services.rating_decide(actor=world.user("principal1a"), staff=s["T1"], school_year=sc.year,
                                    standard=TEACHER, levels=levels(3))
    assert rating.overall == 3 and rating.self_overall == 2 and rating.decided_by == world.user("principal1a")
    with pytest.raises(ValidationError):  # decided: the self-assessment is closed
        services.rating_self_assess(actor=world.user("teacher1a"), staff=s["T1"], school_year=sc.year,
                                    standard=TEACHER, levels=levels(1))
    # The wrong standard for the position.
    with pytest.raises(ValidationError) as err:
        services.rating_self_assess(actor=world.user("principal1a"), staff=s["P"], school_year=sc.year,
                                    standard=TEACHER, levels=levels(3))
    assert "standard" in err.value.message_dict
    # A principal's rating is decided by the office above, not by herself nor another district.
    services.rating_self_assess(actor=world.user("principal1a"), staff=s["P"], school_year=sc.year,
                                standard="principal", levels=levels(3, 18))
    for who in ("principal1a", "district2"):
        with pytest.raises(PermissionDenied):
            services.rating_decide(actor=world.user(who), staff=s["P"], school_year=sc.year, standard="principal",
                                   levels=levels(3, 18))
    rating = services.rating_decide(actor=world.user("district1"), staff=s["P"], school_year=sc.year,
                                    standard="principal", levels=levels(3, 18, c11=2))
    assert rating.overall == 2  # criterion 11 is key for principals
    # The principal standard has 18 criteria (TT 25/2018 Điều 4-8): 15 levels are refused, naming 16-18.
    with pytest.raises(ValidationError) as err:
        services.rating_decide(actor=world.user("district1"), staff=s["P"], school_year=sc.year,
                               standard="principal", levels=levels(3))
    assert "16, 17, 18" in str(err.value)


def test_training_bad_input(scenario, world):
    principal = world.user("principal1a")
    with pytest.raises(ValidationError) as err:
        services.training_add(actor=principal, staff=scenario.staff["T1"], course="", topic="nope", hours="-3",
                              start_date=D(2024, 3, 5), end_date=D(2024, 3, 1))
    assert set(err.value.message_dict) == {"course", "topic", "hours", "end_date"}
    assert not Training.objects.exists()


def test_teacher_assigned_to_another_schools_group_is_refused(scenario, world):
    sc = scenario
    with pytest.raises(ValidationError) as err:
        services.teacher_assign(actor=world.user("principal1a"), staff=sc.staff["T1"], group=sc.groups["B3"])
    assert "trường khác" in err.value.message_dict["group"][0]
    with pytest.raises(PermissionDenied):  # nor may S1a's principal touch S1b's group at all
        services.teacher_assign(actor=world.user("principal1a"), staff=sc.staff["W1"], group=sc.groups["B3"])
    with pytest.raises(ValidationError):  # a cook is not a teacher
        services.teacher_assign(actor=world.user("principal1a"), staff=sc.staff["K"], group=sc.groups["A4"])
    services.teacher_assign(actor=world.user("principal1a"), staff=sc.staff["T3"], group=sc.groups["A4"], lead=True)
    assert GroupTeacher.objects.get(group=sc.groups["A4"]).is_lead


def test_statuses_from_rules(scenario):
    s = scenario.staff
    rows = [s["T1"], s["T3"], s["T4"], s["K"]]
    records = selectors.visible_records(scenario.world.user("admin"), [r.pk for r in rows])
    out = selectors.statuses(rows, records, on=D(2024, 1, 1))
    # T3 trung cấp, hired 2012, born 1990: covered by the roadmap; T4 no record: no hiring date -> roadmap too.
    assert [out[r.pk].status for r in rows] == [ss.MEETS, ss.ROADMAP, ss.ROADMAP, ss.NOT_APPLICABLE]
    assert out[s["T1"].pk].retirement == D(2050, 4, 2)  # woman born 02/04/1990: 60 years


def test_norms_per_school_and_rolled_up(scenario, world):
    sc = scenario
    ids = [world.schools[k].pk for k in ("S1a", "S1b")]
    rows = {r.school_id: r for r in selectors.norms(ids, year=sc.year)}
    s1a, s1b = rows[ids[0]], rows[ids[1]]
    # S1a: C 27 children (25-36 months): 1 full group 2.5 + 2/10 = 2.7; A5 35 (full): 2.2; A4 10: 10/14.
    assert s1a.norm == pytest.approx(round(2.7 + 2.2 + 10 / 14, 2))
    assert (s1a.groups, s1a.children, s1a.teachers, s1a.assigned) == (3, 72, 5, 4)
    assert s1a.balance == pytest.approx(5 - 5.61)
    # S1b: a single 3-4 class of 12 (below 25): 2.0; teachers W1 and staff-S1b.
    assert (s1b.norm, s1b.teachers, s1b.balance) == (2.0, 2, 0.0)
    total = selectors.rollup(list(rows.values()))
    assert total.norm == pytest.approx(7.61) and total.teachers == 7
