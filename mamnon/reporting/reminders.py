"""Reminders that reports fall due: in the app (Reminder rows) and by e-mail (Django's e-mail backend).

``send_reminders(today)`` is what ``mamnon reminders`` runs each morning from cron:

1. it issues the reports of every active form for the periods of the current school year (idempotent, so
   schools opened since are picked up);
2. for every open report (not started, draft, returned) due within ``report_reminder_days`` days (a Rule,
   3 by default) it reminds the people who fill it in once ("due soon"); for one past its due date it
   reminds them the day after and then every 7 days ("overdue");
3. planned duties of the monthly plans due within the same number of days are reminded once, to the people
   of the duty's unit and, for an office's duty for the units below, to those of every unit below; a duty
   still planned after its date is reminded to its unit the day after and every 7 days (``duty_reminders``);
4. each person gets one e-mail listing all their reports and duties (if their account has an address).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES
from mamnon.core.rules import rule_value
from mamnon.org.models import Membership, SchoolYear
from mamnon.reporting import selectors, services
from mamnon.reporting.models import OPEN_STATUSES, DutyReminder, Reminder, Report, ReportForm


def issue_current(today: dt.date, progress=None) -> int:
    """Issue every active form's reports for the current school year's periods; returns how many were new."""
    year = SchoolYear.objects.filter(is_current=True).first() or SchoolYear.objects.filter(
        start_date__lte=today).order_by("-start_date").first()
    if year is None:
        return 0
    forms = list(ReportForm.objects.filter(active=True).select_related("unit", "target_level"))
    made = 0
    for form in forms:
        for period in selectors.periods_of(form, year.code):
            made += len(services.reports_issue(form=form, period=period))
        if progress:
            progress()
    return made


def recipients_of(reports) -> dict[int, list]:
    """{report id: users} who fill each report in: a school's managers, an office's officers."""
    unit_ids = {r.unit_id for r in reports}
    rows = (Membership.objects.filter(unit_id__in=unit_ids, active=True, user__is_active=True)
            .filter(Q(role__in=SCHOOL_MANAGER_ROLES, unit__level__is_school=True)
                    | Q(role__in=OFFICER_ROLES, unit__level__is_school=False))
            .select_related("user"))
    by_unit = defaultdict(list)
    for m in rows:
        if m.user not in by_unit[m.unit_id]:
            by_unit[m.unit_id].append(m.user)
    return {r.pk: by_unit[r.unit_id] for r in reports}


def send_reminders(today: dt.date, *, issue: bool = True, progress=None) -> dict:
    if issue:
        issue_current(today)
    days = int(rule_value("report_reminder_days", on=today, default=3))
    reports = list(Report.objects.filter(status__in=OPEN_STATUSES, due_date__lte=today + dt.timedelta(days=days))
                   .select_related("form", "unit"))
    people = recipients_of(reports)
    already = set(Reminder.objects.filter(report__in=reports, kind=Reminder.Kind.DUE_SOON)
                  .values_list("report_id", "user_id"))
    new: list[Reminder] = []
    for report in reports:
        if report.due_date >= today:
            kind = Reminder.Kind.DUE_SOON
            users = [u for u in people[report.pk] if (report.pk, u.pk) not in already]
        else:
            late = (today - report.due_date).days
            if late % 7 != 1:
                continue
            kind = Reminder.Kind.OVERDUE
            users = people[report.pk]
        new += [Reminder(report=report, user=u, kind=kind, on=today) for u in users]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    by_user = defaultdict(list)
    for reminder in new:
        by_user[reminder.user].append(reminder)
    new_duties = duty_reminders(today, days)
    duty_lines = _duty_lines(new_duties)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in sorted(set(by_user) | set(duty_lines), key=lambda u: u.pk):
            items = by_user.get(user, [])
            if not user.email:
                continue
            lines = list(duty_lines.get(user, []))
            for item in sorted(items, key=lambda r: r.report.due_date):
                r = item.report
                status = _("overdue") if item.kind == Reminder.Kind.OVERDUE else _("due soon")
                lines.append(_("- %(form)s, %(unit)s, period %(period)s: due %(due)s (%(status)s)") % {
                    "form": r.form.name, "unit": r.unit.name, "period": r.period,
                    "due": r.due_date.strftime("%d/%m/%Y"), "status": status})
            body = "\n".join([
                _("Dear %(name)s,") % {"name": user.full_name or user.username}, "",
                _("These reports and duties are due or overdue:"), *lines, "",
                _("Open your inbox in mamnon to fill them in and submit them."),
            ])
            send_mail(_("[mamnon] %(n)d report(s) or duties due") % {"n": len(lines)}, body, None, [user.email])
            Reminder.objects.filter(user=user, on=today, report_id__in=[i.report_id for i in items]).update(
                emailed=True)
            DutyReminder.objects.filter(user=user, on=today, duty_id__in=[d.duty_id for d in new_duties
                                                                          if d.user == user]).update(emailed=True)
            sent += 1
    return {"reminders": len(new), "duty_reminders": len(new_duties), "emails": sent}


def _managers(q) -> list[tuple[int, object]]:
    """(unit id, user) of the people who act for the units matched by ``q``: schools' managers, offices' officers."""
    rows = (Membership.objects.filter(q, active=True, user__is_active=True)
            .filter(Q(role__in=SCHOOL_MANAGER_ROLES, unit__level__is_school=True)
                    | Q(role__in=OFFICER_ROLES, unit__level__is_school=False))
            .select_related("user").order_by("unit_id", "user_id"))
    return list(dict.fromkeys((m.unit_id, m.user) for m in rows))


def duty_reminders(today: dt.date, days: int) -> list:
    """In-app reminders of planned duties (DutyReminder rows), made today; returns the new ones.

    * a duty due within ``days`` days: once ("due soon") to the people of its unit and, for an office's duty
      marked for the units below, to the people of every unit below the office;
    * a duty of the unit's own still planned after its date: the day after and every 7 days ("overdue"), to
      the people of its unit (the units below cannot mark an office's duty done).
    """
    from mamnon.reporting.models import Duty, DutyReminder

    duties = list(Duty.objects.filter(status=Duty.Status.PLANNED, due_date__isnull=False,
                                      due_date__lte=today + dt.timedelta(days=days))
                  .exclude(due_date__lt=today - dt.timedelta(days=366)).select_related("unit"))
    soon = [d for d in duties if d.due_date >= today]
    late = [d for d in duties if d.due_date < today and (today - d.due_date).days % 7 == 1]
    already = set(DutyReminder.objects.filter(duty__in=soon, kind=DutyReminder.Kind.DUE_SOON)
                  .values_list("duty_id", "user_id"))
    own = defaultdict(list)
    for unit_id, user in _managers(Q(unit_id__in={d.unit_id for d in duties})):
        own[unit_id].append((unit_id, user))
    new = []
    for duty in soon:
        people = list(own[duty.unit_id])
        if duty.for_units_below:
            people += _managers(Q(unit__path__startswith=duty.unit.path) & ~Q(unit_id=duty.unit_id))
        seen = set()
        for unit_id, user in people:
            if (duty.pk, user.pk) in already or user.pk in seen:
                continue
            seen.add(user.pk)
            new.append(DutyReminder(duty=duty, unit_id=unit_id, user=user, kind=DutyReminder.Kind.DUE_SOON,
                                    on=today))
    for duty in late:
        new += [DutyReminder(duty=duty, unit_id=unit_id, user=user, kind=DutyReminder.Kind.OVERDUE, on=today)
                for unit_id, user in own[duty.unit_id]]
    DutyReminder.objects.bulk_create(new, ignore_conflicts=True)
    return new


def _duty_lines(new) -> dict:
    """{user: lines} of the new duty reminders."""
    from mamnon.reporting.models import DutyReminder

    out = defaultdict(list)
    for item in sorted(new, key=lambda r: (r.duty.due_date, r.duty_id)):
        duty = item.duty
        status = _("overdue") if item.kind == DutyReminder.Kind.OVERDUE else _("due soon")
        out[item.user].append(_("- %(duty)s, %(unit)s: due %(due)s (%(status)s)") % {
            "duty": duty.title, "unit": duty.unit.name, "due": duty.due_date.strftime("%d/%m/%Y"),
            "status": status})
    return out
