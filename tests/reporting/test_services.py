"""Issuing, pre-filling, filling, submitting, reviewing and consolidating reports."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mamnon.indicators import registry
from mamnon.reporting import services
from mamnon.reporting.models import Report, ReportEvent, Status

pytestmark = pytest.mark.django_db


def issue(form, period="2023-2024/R1"):
    services.reports_issue(form=form, period=period)
    return {r.unit.code: r for r in Report.objects.filter(form=form, period=period).select_related("unit")}


def test_issue_creates_one_report_per_school_and_per_district(round_form):
    reports = issue(round_form)
    assert set(reports) == {"S1a", "S1b", "S2", "D1", "D2"}  # communes have no schools below them: no report
    assert reports["S1a"].due_date == dt.date(2023, 9, 20)
    assert reports["D1"].is_consolidation and reports["D1"].due_date == dt.date(2023, 9, 25)
    assert not reports["S1a"].is_consolidation
    # Idempotent.
    assert services.reports_issue(form=round_form, period="2023-2024/R1") == []


def test_prefill_from_records_and_typed_when_no_indicator_source(round_form, classroom):
    reports = issue(round_form)
    report = services.report_prefill(report=reports["S1a"], today=dt.date(2023, 9, 15))
    # S1a: K1, K2, K3 in G1 and K4 in G2 since 05/09/2023.
    assert report.values["enrolled"] == 4
    if registry.source_of("GROWTH_MONITORED") is None:
        assert "measured" not in report.prefilled


def test_prefill_through_the_registry(round_form, classroom, monkeypatch):
    """A family registered for the growth codes fills the fields, summed over the unit's schools."""
    import numpy as np

    w = classroom.world
    ids = [w.schools["S1a"].pk, w.schools["S1b"].pk, w.schools["S2"].pk]

    def fake_family(window, school_ids):
        assert window.round_number == 1 and window.start == dt.date(2023, 9, 1)
        return {code: registry.SchoolValues(np.array(ids), np.array(nums), np.array([4, 1, 1]))
                for code, nums in {"GROWTH_MONITORED": [4, 1, 1], "UNDERWEIGHT": [1, 0, 1],
                                   "STUNTING": [2, 1, 0], "WASTING": [0, 0, 0], "OVERWEIGHT": [1, 0, 0],
                                   "OBESE": [0, 0, 1]}.items()}

    families = dict(registry._FAMILIES)
    monkeypatch.setattr(registry, "_FAMILIES", {**families, **{c: fake_family for c in (
        "GROWTH_MONITORED", "UNDERWEIGHT", "STUNTING", "WASTING", "OVERWEIGHT", "OBESE")}})
    reports = issue(round_form)
    s1a = services.report_prefill(report=reports["S1a"], today=dt.date(2023, 9, 15))
    assert (s1a.values["measured"], s1a.values["underweight"], s1a.values["stunting"]) == (4, 1, 2)
    d1 = services.report_prefill(report=reports["D1"], today=dt.date(2023, 9, 15))
    # D1 = S1a + S1b: measured 4 + 1, stunting 2 + 1, obese 0 + 0.
    assert (d1.values["measured"], d1.values["stunting"], d1.values["obese"]) == (5, 3, 0)


def fill(report, user, **over):
    values = {"enrolled": 4, "measured": 4, "underweight": 1, "stunting": 1, "wasting": 0, "overweight": 0,
              "obese": 0}
    values.update(over)
    return services.report_save(report=report, values=values, actor=user)


def test_types_are_checked_all_or_nothing(round_form, world):
    report = issue(round_form)["S1a"]
    with pytest.raises(ValidationError) as exc:
        services.report_save(report=report, values={"enrolled": "bốn", "measured": -1, "bogus": 3},
                             actor=world.user("principal1a"))
    errors = exc.value.message_dict
    assert set(errors) == {"enrolled", "measured", "values"}
    report.refresh_from_db()
    assert report.values == {} and report.status == Status.NOT_STARTED


@pytest.mark.parametrize("raw", ["9" * 5000, "1e400", "10000000000001", "NaN", "Infinity", True, [1], {"a": 1}])
def test_absurd_values_are_refused_in_vietnamese(round_form, world, raw):
    report = issue(round_form)["S1a"]
    with pytest.raises(ValidationError) as exc:
        services.report_save(report=report, values={"enrolled": raw}, actor=world.user("principal1a"))
    assert set(exc.value.message_dict) == {"enrolled"}


def test_rules_block_submission_and_warnings_pass(round_form, world):
    report = issue(round_form)["S1a"]
    principal = world.user("principal1a")
    fill(report, principal, measured=5)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, actor=principal)
    assert any("5 <= 4" in m for m in exc.value.message_dict["values"])
    fill(report, principal, measured=3, underweight=0, stunting=0)
    report, warnings = services.report_submit(report=report, actor=principal)
    assert report.status == Status.SUBMITTED
    assert len(warnings) == 1 and "3 >= 4" in warnings[0]


def test_only_the_principal_signs_off(round_form, world):
    report = issue(round_form)["S1a"]
    fill(report, world.user("vice1a"))  # the vice-principal may fill in
    for key in ("vice1a", "teacher1a", "principal1b", "district2"):
        with pytest.raises(PermissionDenied):
            services.report_submit(report=report, actor=world.user(key))
    with pytest.raises(PermissionDenied):
        fill(report, world.user("teacher1a"))


def test_workflow_return_approve_lock_reopen(round_form, world):
    report = issue(round_form)["S1a"]
    principal, officer = world.user("principal1a"), world.user("district1")
    fill(report, principal)
    services.report_submit(report=report, actor=principal)
    with pytest.raises(ValidationError):
        fill(report, principal)  # locked while submitted
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, actor=world.user("district2"))
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, actor=principal)
    with pytest.raises(ValidationError):
        services.report_return(report=report, actor=officer, comment="  ")
    services.report_return(report=report, actor=officer, comment="Kiểm tra lại số trẻ thấp còi")
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    fill(report, principal, stunting=0)
    services.report_submit(report=report, actor=principal)
    services.report_approve(report=report, actor=officer)
    report.refresh_from_db()
    assert report.status == Status.APPROVED and report.is_locked
    with pytest.raises(ValidationError):
        fill(report, principal)
    with pytest.raises(ValidationError):
        services.report_reopen(report=report, actor=officer, reason="")
    services.report_reopen(report=report, actor=world.user("province"), reason="Sai số liệu đợt 1")
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    actions = list(ReportEvent.objects.filter(report=report).values_list("action", flat=True))
    assert actions == ["saved", "submitted", "returned", "saved", "submitted", "approved", "reopened"]
    assert ReportEvent.objects.get(report=report, action="reopened").comment == "Sai số liệu đợt 1"


def test_first_submission_decides_timeliness(round_form, world):
    report = issue(round_form)["S1a"]
    principal = world.user("principal1a")
    fill(report, principal)
    on_due_day = timezone.make_aware(dt.datetime(2023, 9, 20, 16, 0))
    services.report_submit(report=report, actor=principal, now=on_due_day)
    services.report_return(report=report, actor=world.user("district1"), comment="Sửa")
    services.report_submit(report=report, actor=principal, now=on_due_day + dt.timedelta(days=3))
    report.refresh_from_db()
    assert report.on_time() is True


def test_consolidation_sums_submitted_and_approved(round_form, world):
    reports = issue(round_form)
    fill(reports["S1a"], world.user("principal1a"), enrolled=4, measured=4, stunting=1)
    services.report_submit(report=reports["S1a"], actor=world.user("principal1a"))
    services.report_approve(report=reports["S1a"], actor=world.user("district1"))
    fill(reports["S1b"], world.user("principal1b"), enrolled=10, measured=9, underweight=2, stunting=3)
    services.report_submit(report=reports["S1b"], actor=world.user("principal1b"))
    fill(reports["S2"], world.user("principal2"), enrolled=100, measured=100)  # other district
    services.report_submit(report=reports["S2"], actor=world.user("principal2"))
    with pytest.raises(PermissionDenied):
        services.report_consolidate(report=reports["D1"], actor=world.user("principal1a"))
    d1, counts = services.report_consolidate(report=reports["D1"], actor=world.user("district1"))
    assert counts == {"approved": 1, "submitted": 1, "missing": 0}
    assert (d1.values["enrolled"], d1.values["measured"], d1.values["underweight"], d1.values["stunting"]) == (
        14, 13, 3, 4)
    with pytest.raises(ValidationError):
        services.report_consolidate(report=reports["S1a"], actor=world.user("district1"))
    # The district signs its own report off; the province reviews it.
    services.report_submit(report=d1, actor=world.user("district1"))
    services.report_approve(report=d1, actor=world.user("province"))


def test_start_of_year_staff_are_counted_from_the_staff_records_as_at_30_09(classroom, forms):
    """01.ĐN-MN's staff block (data as at 30/09): S1a has two teachers (staff-S1a, teacher1a), of whom teacher1a
    holds a college degree in preschool pedagogy (the standard, Luật Giáo dục 2019 Điều 72), a principal, a
    cook, and a teacher who joined on 15/10/2023 (after the day: not counted)."""
    from mamnon.org.models import Staff
    from mamnon.staff.models import StaffRecord, TrainingLevel

    w = classroom.world
    s1a = w.schools["S1a"]
    teacher1a = Staff.objects.get(user=w.user("teacher1a"))
    StaffRecord.objects.create(staff=teacher1a, school=s1a, training_level=TrainingLevel.COLLEGE,
                               preschool_pedagogy=True)
    Staff.objects.create(unit=s1a.unit, full_name=w.marker("principal"), position=Staff.Position.PRINCIPAL)
    Staff.objects.create(unit=s1a.unit, full_name=w.marker("cook"), position=Staff.Position.COOK)
    late = Staff.objects.create(unit=s1a.unit, full_name=w.marker("late"), position=Staff.Position.TEACHER)
    StaffRecord.objects.create(staff=late, school=s1a, joined_on=dt.date(2023, 10, 15))
    form = forms["01-dn-mn"]
    period = "2023-2024"
    services.reports_issue(form=form, period=period)
    report = Report.objects.get(form=form, period=period, unit=w.units["S1a"])
    report = services.report_prefill(report=report, today=dt.date(2023, 11, 20))
    assert {k: report.values[k] for k in ("staff_managers", "staff_teachers", "staff_teachers_qualified",
                                          "staff_employees")} == {
        "staff_managers": 1, "staff_teachers": 2, "staff_teachers_qualified": 1, "staff_employees": 1}
    assert {"staff_teachers", "staff_teachers_qualified"} <= set(report.prefilled)
    d1 = Report.objects.get(form=form, period=period, unit=w.units["D1"])
    d1 = services.report_prefill(report=d1, today=dt.date(2023, 11, 20))
    assert d1.values["staff_teachers"] == 3  # S1a's two and S1b's one (staff-S1b)


def test_a_returned_report_shows_as_returned_even_after_its_due_date(round_form):
    """Due 20/09/2023: on 25/09 an open draft shows as overdue, a returned report as returned."""
    from mamnon.reporting import selectors

    reports = issue(round_form)
    report = reports["S1a"]
    day = dt.date(2023, 9, 25)
    assert report.due_date < day
    report.status = Status.DRAFT
    assert selectors.display_status(report, day) == "overdue"
    report.status = Status.RETURNED
    assert selectors.display_status(report, day) == "returned"
    assert selectors.display_status(report, dt.date(2023, 9, 15)) == "returned"
