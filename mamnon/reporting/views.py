"""Pages of the reporting domain: the inbox, a report (fill, submit, review), forms and completeness."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamnon.calc.periods import PeriodError, parse_period
from mamnon.core import clock, scoping
from mamnon.core.roles import OFFICER_ROLES
from mamnon.org.models import OrgUnit, SchoolYear
from mamnon.reporting import exports, selectors, services
from mamnon.reporting.forms import DutyForm
from mamnon.reporting.models import Reminder, Report, ReportForm, Status
from mamnon.reporting.prefill import prefill_values


def _require_reporter(user):
    """Parents, teachers and the other school staff have no reports: 404 like anything out of scope."""
    if not (scoping.is_admin(user) or scoping.roles_of(user) & set(Report.scope_view_roles)):
        raise Http404


@login_required
def inbox(request):
    _require_reporter(request.user)
    today = clock.today()
    box = selectors.inbox(request.user, today=today)
    wanted = request.GET.get("status", "")
    if wanted:
        box.owed = [r for r in box.owed if r.shown_status == wanted]
    return render(request, "reporting/inbox.html", {
        "box": box, "today": today, "status": wanted,
        "statuses": [(s.value, s.label) for s in Status] + [("overdue", _("Overdue"))],
    })


def _report(request, pk, action=scoping.VIEW) -> Report:
    _require_reporter(request.user)
    return scoping.get_or_404(Report.objects.select_related("form", "unit__level", "unit__parent",
                                                            "submitted_by"), request.user, action, pk=pk)


def _fields_with_values(report, errors=None, posted=None, offered=None):
    """Rows of the form; an empty field of a report being filled in shows the figure the data offer."""
    offered = report.prefilled if offered is None else offered
    rows, section = [], None
    for f in report.form.fields.all():
        value = posted.get(f.code, "") if posted is not None else report.values.get(f.code)
        if value in (None, "") and posted is None:
            value = offered.get(f.code)
        rows.append({"field": f, "value": "" if value is None else value, "new_section": f.section != section,
                     "offered": offered.get(f.code), "error": (errors or {}).get(f.code)})
        section = f.section
    return rows


@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    user = request.user
    errors, posted = {}, None
    can_fill = scoping.can_fill_report(user, report.unit) and not report.is_locked
    if request.method == "POST":
        if not can_fill:
            raise PermissionDenied
        posted = {f.code: request.POST.get(f.code, "") for f in report.form.fields.all()}
        try:
            services.report_save(report=report, values=posted, actor=user)
        except ValidationError as exc:
            errors = exc.message_dict
            messages.error(request, _("Nothing was saved: correct the fields marked below."))
        else:
            messages.success(request, _("Saved as a draft."))
            return redirect("reporting:report-detail", pk=report.pk)
    check_errors, check_warnings = services.check_report(report.form, report.values)
    offered = None
    if can_fill and not report.is_consolidation:
        # Live figures from the records and indicators (stored only when the unit saves them).
        offered = {**report.prefilled, **prefill_values(report.form, report.unit, report.period)}
    return render(request, "reporting/report_detail.html", {
        "report": report, "rows": _fields_with_values(report, errors, posted, offered), "errors": errors,
        "check_errors": check_errors, "check_warnings": check_warnings,
        "shown_status": selectors.display_status(report, clock.today()),
        "can_fill": can_fill,
        "can_sign": scoping.can_sign_report(user, report.unit) and not report.is_locked,
        "can_review": scoping.can_review_report(user, report.unit),
        "events": report.events.select_related("actor"),
    })


def _act(request, pk, run, done_message):
    report = _report(request, pk)
    try:
        result = run(report)
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, done_message)
        if isinstance(result, tuple) and result and isinstance(result[1], list):
            for w in result[1]:
                messages.warning(request, w)
    return redirect("reporting:report-detail", pk=pk)


@login_required
@require_POST
def report_prefill(request, pk):
    report = _report(request, pk)
    if not scoping.can_fill_report(request.user, report.unit):
        raise Http404
    return _act(request, pk, lambda r: services.report_prefill(report=r), _("Figures refreshed from the records."))


@login_required
@require_POST
def report_submit(request, pk):
    return _act(request, pk, lambda r: services.report_submit(report=r, actor=request.user),
                _("Submitted to the level above."))


@login_required
@require_POST
def report_return(request, pk):
    return _act(request, pk, lambda r: services.report_return(report=r, actor=request.user,
                                                              comment=request.POST.get("comment", "")),
                _("Returned with your comments."))


@login_required
@require_POST
def report_approve(request, pk):
    return _act(request, pk, lambda r: services.report_approve(report=r, actor=request.user), _("Approved."))


@login_required
@require_POST
def report_reopen(request, pk):
    return _act(request, pk, lambda r: services.report_reopen(report=r, actor=request.user,
                                                              reason=request.POST.get("reason", "")),
                _("Re-opened; the reason is recorded."))


@login_required
@require_POST
def report_consolidate(request, pk):
    return _act(request, pk, lambda r: services.report_consolidate(report=r, actor=request.user),
                _("The units' reports were summed into this report."))


@login_required
def report_xlsx(request, pk):
    report = _report(request, pk)
    response = HttpResponse(exports.report_xlsx(report), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report)}"'
    return response


@login_required
def report_print(request, pk):
    report = _report(request, pk)
    return render(request, "reporting/report_print.html", {"report": report, "doc": exports.layout(report),
                                                           "motto": exports.MOTTO, "motto_2": exports.MOTTO_2})


# --- forms and completeness ---------------------------------------------------------------------------


def _require_officer(user):
    if not (scoping.is_admin(user) or scoping.roles_of(user) & OFFICER_ROLES):
        raise Http404


@login_required
def form_list(request):
    _require_officer(request.user)
    year = SchoolYear.objects.filter(is_current=True).first()
    forms = list(ReportForm.objects.for_user(request.user).filter(active=True).select_related("unit"))
    for form in forms:
        form.year_periods = selectors.periods_of(form, year.code) if year else []
    return render(request, "reporting/form_list.html", {"forms": forms, "year": year})


@login_required
def completeness(request, pk, period):
    _require_officer(request.user)
    form = scoping.get_or_404(ReportForm.objects.select_related("unit", "target_level"), request.user, pk=pk)
    try:
        parse_period(period)
    except PeriodError:
        raise Http404 from None
    reachable = OrgUnit.objects.for_user(request.user)
    unit_id = request.GET.get("unit")
    if unit_id and unit_id.isdigit():
        root = scoping.get_or_404(OrgUnit.objects.all(), request.user, pk=int(unit_id))
    else:
        paths = scoping.scope_paths(request.user, OFFICER_ROLES)
        root = (reachable.filter(path__in=paths).order_by("depth").first() if paths else None) or form.unit
        if not scoping.check(request.user, scoping.VIEW, root):
            raise Http404
    total, rows, units = selectors.completeness(form, period, root)
    consolidation = Report.objects.filter(form=form, period=period, unit=root, is_consolidation=True).first()
    return render(request, "reporting/completeness.html", {
        "form": form, "period": period, "root": root, "total": total, "rows": rows, "units": units,
        "consolidation": consolidation, "periods": selectors.periods_of(form, period[:9]),
    })


@login_required
@require_POST
def reminder_read(request, pk):
    Reminder.objects.filter(pk=pk, user=request.user).update(read=True)
    return redirect("reporting:inbox")


# --- the calendar of duties ------------------------------------------------------------------------------


def _calendar_unit(request):
    """The unit whose plan a page shows: ``unit`` in the query (a unit the user reaches), else the user's own."""
    from mamnon.reporting.models import Duty

    user = request.user
    roles = set(Duty.scope_view_roles)
    if not (scoping.is_admin(user) or scoping.roles_of(user) & roles):
        raise Http404
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        return scoping.get_or_404(OrgUnit.objects.select_related("level"), user, pk=int(unit_id))
    own = [g.unit_id for g in scoping.grants(user) if g.role in roles]
    unit = OrgUnit.objects.filter(pk__in=own).select_related("level").order_by("-depth").first() if own else None
    if unit is None:
        unit = OrgUnit.objects.filter(parent__isnull=True).select_related("level").order_by("pk").first()
    if unit is None:
        raise Http404
    return unit


@login_required
def calendar(request):
    """A unit's month: its duties, its offices' duties for the units below, and the reports it owes that month."""
    from mamnon.reporting.models import Duty

    user = request.user
    unit = _calendar_unit(request)
    today = clock.today()
    month = today.replace(day=1)
    text = request.GET.get("month", "")
    if text:
        try:
            period = parse_period(text)
        except PeriodError:
            period = None
        if period is None or period.kind != "month":
            messages.error(request, _("“%(month)s” is not a month: use YYYY-MM, e.g. 2023-09.") % {"month": text})
        else:
            month = period.start
    can_add = scoping.can_fill_report(user, unit)
    form = DutyForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise Http404
        if form.is_valid():
            try:
                services.duty_create(actor=user, unit=unit, month=month, **form.cleaned_data)
            except ValidationError as exc:
                for key, msgs in exc.message_dict.items():
                    for m in msgs:
                        form.add_error(key if key in form.fields else None, m)
            else:
                messages.success(request, _("Duty added to the plan."))
                return redirect(f"{reverse('reporting:calendar')}?unit={unit.pk}&month={month:%Y-%m}")
    data = selectors.calendar_month(user, unit, month)
    prev = (month - timedelta(days=1)).replace(day=1)
    nxt = (month + timedelta(days=32)).replace(day=1)
    for duty in data.duties:
        duty.can_change = duty.unit_id == unit.pk and scoping.can_fill_report(user, duty.unit)
    return render(request, "reporting/calendar.html", {
        "cal": data, "unit": unit, "prev": prev, "next": nxt, "today": today, "form": form,
        "statuses": Duty.Status.choices, "can_roll_over": can_add,
        "duty_reminders": selectors.duty_reminders_of(user),
    })


@login_required
def calendar_rollover(request):
    """Copy a unit's recurring duties of one school year into a later one (its managers, an office's officers)."""
    from mamnon.reporting.models import Duty

    user = request.user
    unit = _calendar_unit(request)
    if not scoping.can_fill_report(user, unit):
        raise Http404
    years = list(SchoolYear.objects.order_by("start_date"))
    counts = dict(Duty.objects.filter(unit=unit, recurring=True).order_by().values_list("school_year_id")
                  .annotate(n=Count("id")).values_list("school_year_id", "n"))
    current = next((y for y in years if y.is_current), years[-1] if years else None)
    source = current if current is not None and counts.get(current.pk) else None
    if source is None and counts:
        source = max((y for y in years if counts.get(y.pk)), key=lambda y: y.start_date)
    target = next((y for y in years if source is not None and y.start_date > source.start_date), None)
    if request.method == "POST":
        by_id = {str(y.pk): y for y in years}
        source, target = by_id.get(request.POST.get("from_year", "")), by_id.get(request.POST.get("to_year", ""))
        if source is None or target is None:
            messages.error(request, _("Choose the school year to copy from and the one to copy into."))
        else:
            try:
                n = services.duties_roll_over(unit=unit, from_year=source, to_year=target, actor=user)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                for m in exc.messages:
                    messages.error(request, m)
            else:
                if n:
                    messages.success(request, _("%(n)d recurring duties copied into the plan of %(year)s.")
                                     % {"n": n, "year": target.code})
                else:
                    messages.info(request, _("Nothing to copy: the plan of %(year)s already has every recurring "
                                             "duty of %(source)s.") % {"year": target.code, "source": source.code})
                month = target.start_date.replace(day=1)
                return redirect(f"{reverse('reporting:calendar')}?unit={unit.pk}&month={month:%Y-%m}")
    rows = [{"year": y, "recurring": counts.get(y.pk, 0)} for y in years]
    return render(request, "reporting/rollover.html", {"unit": unit, "rows": rows, "source": source,
                                                       "target": target})


@login_required
@require_POST
def duty_reminder_read(request, pk):
    from mamnon.reporting.models import DutyReminder

    DutyReminder.objects.filter(pk=pk, user=request.user).update(read=True)
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/reporting/")
                    else reverse("reporting:inbox"))


@login_required
@require_POST
def duty_status(request, pk):
    from mamnon.reporting.models import Duty

    duty = scoping.get_or_404(Duty.objects.select_related("unit__level"), request.user, scoping.CHANGE, pk=pk)
    try:
        services.duty_set_status(duty=duty, actor=request.user, status=request.POST.get("status", ""))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    return redirect(f"{reverse('reporting:calendar')}?unit={duty.unit_id}&month={duty.month:%Y-%m}")
