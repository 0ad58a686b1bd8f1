"""Pages of the school day: the groups of a day, a group's register, the monthly sheet, attendance rates,
meal counts and the school calendar. Thin: selectors read, services write, core.scoping decides."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamnon.attendance import exports, forms, selectors, services
from mamnon.attendance.models import AttendanceStatus, CalendarDay
from mamnon.calc import holidays
from mamnon.calc import schooldays as calc
from mamnon.children.models import AgeBand, Group
from mamnon.core import scoping
from mamnon.org import selectors as org_selectors
from mamnon.org.models import OrgUnit, School

PAGE_SIZE = 50
# Short labels for the register's buttons (the model's labels are for lists and exports).
SHORT_LABELS = [
    (AttendanceStatus.PRESENT, gettext_lazy("Present")),
    (AttendanceStatus.LATE, gettext_lazy("Late")),
    (AttendanceStatus.EXCUSED, gettext_lazy("Excused")),
    (AttendanceStatus.UNEXCUSED, gettext_lazy("Unexcused")),
    (AttendanceStatus.SICK, gettext_lazy("Sick")),
]


def _day(request, data=None) -> dt.date:
    """The day asked for (?date=, dd/mm/yyyy or ISO), today in Vietnam otherwise."""
    form = forms.DayForm(data if data is not None else request.GET)
    if form.is_valid() and form.cleaned_data["date"]:
        return form.cleaned_data["date"]
    return selectors.local_today()


def _register_url(pk: int, day: dt.date) -> str:
    return f"{reverse('attendance:register', args=[pk])}?{urlencode({'date': day.isoformat()})}"


def _readable_group(request, pk: int) -> Group:
    """The group if the user may read its register (404 otherwise: we never confirm it exists)."""
    group = selectors.register_groups(request.user).select_related("school__unit", "school_year").filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


# --- the day's groups ---------------------------------------------------------------------------------


@login_required
def day_groups(request):
    """The groups the user takes or reads attendance of, with the day's figures (one query for the page)."""
    day = _day(request)
    groups = selectors.register_groups(request.user).filter(active=True, school_year__start_date__lte=day,
                                                            school_year__end_date__gte=day)
    school_id = request.GET.get("school", "")
    if school_id.isdigit():
        groups = groups.filter(school_id=int(school_id))
    rows = selectors.register_overview(groups, day=day).order_by("school__unit__name", "age_band", "name")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "attendance/day_groups.html", {
        "day": day, "page": page, "form": forms.DayForm(initial={"date": day}),
        "prev_day": day - dt.timedelta(days=1), "next_day": day + dt.timedelta(days=1),
    })


# --- a group's register -------------------------------------------------------------------------------


@login_required
def register(request, pk):
    """The phone-first register of one group and day: everyone present until marked otherwise."""
    errors: list[str] = []
    posted = None
    if request.method == "POST":
        day = _day(request, request.POST)
        try:
            marks = forms.marks_from_post(request.POST)
            result = services.attendance_save(actor=request.user, group_id=pk, day=day, marks=marks)
        except Group.DoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            errors = [m for ms in exc.message_dict.values() for m in ms]
            posted = request.POST
        else:
            messages.success(request, _("Saved: %(present)d present, %(absent)d absent.")
                             % {"present": result.present, "absent": result.absent})
            return redirect(_register_url(pk, day))
    else:
        day = _day(request)
    ctx = selectors.register_context(request.user, pk, day, write=False)
    if ctx is None:
        raise Http404
    group, school_day = ctx.group, ctx.school_day
    manager = ctx.can_write and selectors.is_school_manager(request.user, group.school.unit)
    state = services.register_state(request.user, ctx)
    rows = selectors.register_rows(group=group.pk, day=day) if school_day else []
    if posted is not None:
        for row in rows:  # show what was sent, with the errors, rather than what is stored
            row.status = posted.get(f"status-{row.child_id}", row.status)
            row.note = posted.get(f"note-{row.child_id}", row.note)
    editable = ctx.can_write and school_day and state in (calc.OPEN, calc.REOPENED)
    present = sum(1 for r in rows if r.present)
    lock_at = calc.hour_to_time(ctx.lock_hour)
    return render(request, "attendance/day_register.html", {
        "group": group, "day": day, "rows": rows, "statuses": SHORT_LABELS, "errors": errors,
        "school_day": school_day, "editable": editable, "state": state, "group_day": ctx.record,
        "lock_at": lock_at,
        "lock_message": services.lock_message(state, day=day, lock_at=lock_at) if ctx.can_write else "",
        "can_reopen": manager and school_day and state != calc.FUTURE and day <= selectors.local_today(),
        "reopen_form": forms.ReopenForm(initial={"date": day}),
        "present": present, "absent": len(rows) - present,
        "prev_day": day - dt.timedelta(days=1), "next_day": day + dt.timedelta(days=1),
        "month": f"{day:%Y-%m}",
    })


@login_required
def register_reopen(request, pk):
    """POST: a principal or vice-principal reopens a group's register for teachers, with a reason."""
    if request.method != "POST":
        return redirect(_register_url(pk, _day(request)))
    form = forms.ReopenForm(request.POST)
    day = _day(request, request.POST)
    if not form.is_valid():
        _readable_group(request, pk)  # 404 before saying anything about the form
        for field_errors in form.errors.values():
            for e in field_errors:
                messages.error(request, e)
        return redirect(_register_url(pk, day))
    try:
        gd = services.group_day_reopen(actor=request.user, group_id=pk, day=form.cleaned_data["date"],
                                       reason=form.cleaned_data["reason"], hours=form.cleaned_data["hours"])
    except Group.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        for ms in exc.message_dict.values():
            for m in ms:
                messages.error(request, m)
    else:
        until = gd.reopened_until.astimezone(selectors.VN_TZ)
        messages.success(request, _("Reopened for teachers until %(until)s.") % {"until": f"{until:%d/%m/%Y %H:%M}"})
    return redirect(_register_url(pk, day))


# --- the monthly sheet --------------------------------------------------------------------------------


def _month(request) -> tuple[int, int]:
    form = forms.MonthForm(request.GET)
    if form.is_valid() and form.cleaned_data["month"]:
        return form.cleaned_data["month"]
    today = selectors.local_today()
    return today.year, today.month


@login_required
def month_sheet(request, pk):
    """Bảng theo dõi trẻ đến lớp: the month's register of one group, for the screen and for print."""
    group = _readable_group(request, pk)
    year, month = _month(request)
    sheet = selectors.month_sheet(group=group, year=year, month=month)
    labels = exports.weekday_labels()
    first = dt.date(year, month, 1)
    prev_month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (first + dt.timedelta(days=32)).strftime("%Y-%m")
    return render(request, "attendance/day_month.html", {
        "group": group, "sheet": sheet, "month_value": f"{year:04d}-{month:02d}",
        "columns": [(d, open_, labels[d.weekday()]) for d, open_ in zip(sheet.days, sheet.is_school_day, strict=True)],
        "rows": [(row, list(zip(row.marks, sheet.is_school_day, strict=True))) for row in sheet.rows],
        "totals": list(zip(sheet.day_present, sheet.is_school_day, strict=True)),
        "prev_month": prev_month, "next_month": next_month, "marks": selectors.MARKS,
        "form": forms.MonthForm(initial={"month": (year, month)}),
    })


@login_required
def month_sheet_xlsx(request, pk):
    group = _readable_group(request, pk)
    year, month = _month(request)
    sheet = selectors.month_sheet(group=group, year=year, month=month)
    data = exports.month_sheet_xlsx(sheet, school_name=group.school.unit.name, group=group)
    response = HttpResponse(data, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.month_sheet_filename(group, year, month)}"'
    return response


# --- attendance rates ---------------------------------------------------------------------------------


@login_required
def rates(request):
    """Attendance rate per school, band and group (and per child for one group) over a period, flagged
    against the national-standard minimums (90% for 5-year-olds, 85% for other ages)."""
    readable = selectors.register_groups(request.user)
    schools = School.objects.filter(pk__in=readable.values("school_id")).select_related("unit").order_by("unit__name")
    form = forms.PeriodForm(request.GET or None, schools=schools)
    today = selectors.local_today()
    school = start = end = None
    if form.is_valid():
        school, start, end = (form.cleaned_data[k] for k in ("school", "start", "end"))
    if school is None and not form.errors:
        school = schools.first() if len(schools[:2]) == 1 else None
    start = start or today.replace(day=1)
    end = end or today
    group = None
    gid = request.GET.get("group", "")
    if school is not None and gid.isdigit():
        group = readable.filter(pk=int(gid), school=school).first()
        if group is None:
            raise Http404
    report = None
    if school is not None and not form.errors:
        report = selectors.attendance_rates(school=school, start=start, end=end, group=group, today=today)
        allowed = set(readable.filter(school=school).values_list("pk", flat=True))
        report.groups = [g for g in report.groups if g.key in allowed]
        labels = dict(AgeBand.choices)
        for g in report.groups:
            g.band_label = labels.get(g.band, g.band)
    return render(request, "attendance/day_rates.html", {
        "form": form, "school": school, "group": group, "report": report, "start": start, "end": end,
    })


# --- meal counts --------------------------------------------------------------------------------------


@login_required
def meals(request):
    """Meal counts for the kitchen: today's by age band and the coming school days'."""
    schools = selectors.meal_schools(request.user).select_related("unit").order_by("unit__name")
    form = forms.MealForm(request.GET or None, schools=schools)
    school, day = None, selectors.local_today()
    if form.is_valid():
        school = form.cleaned_data["school"]
        day = form.cleaned_data["date"] or day
    if school is None and not form.errors:
        school = schools.first() if len(schools[:2]) == 1 else None
    counts = forecast = None
    if school is not None:
        counts = selectors.meal_counts(school=school, day=day)
        forecast = selectors.meal_forecast(school=school, start=day + dt.timedelta(days=1), days=5)
    bands = dict(Group._meta.get_field("age_band").flatchoices)
    return render(request, "attendance/day_meals.html", {
        "form": form, "school": school, "day": day, "bands": bands,
        "counts": [(bands.get(b, b), n) for b, n in counts.items()] if counts is not None else None,
        "total": sum(counts.values()) if counts else 0,
        "forecast": [(d, [(bands.get(b, b), n) for b, n in c.items()], sum(c.values())) for d, c in forecast or []],
        "cutoff": selectors.kitchen_cutoff(school_unit=school.unit, day=day) if school is not None else None,
    })


# --- the calendar -------------------------------------------------------------------------------------


@login_required
def calendar_home(request):
    """The calendar of the user's own unit (or a choice when there are several)."""
    units = list(org_selectors.home_units(request.user).select_related("level").order_by("path")[:50])
    if len(units) == 1:
        return redirect("attendance:calendar-unit", pk=units[0].pk)
    return render(request, "attendance/calendar_home.html", {"units": units})


@login_required
def calendar_unit(request, pk):
    """A unit's holidays, closures and make-up days; those set above it show as inherited."""
    unit = scoping.get_or_404(OrgUnit.objects.select_related("level"), request.user, pk=pk)
    can_edit = scoping.check(request.user, scoping.CHANGE, unit)
    year_raw = request.GET.get("year", "")
    year = int(year_raw) if year_raw.isdigit() and 2000 <= int(year_raw) <= 2100 else selectors.local_today().year
    form = forms.CalendarDayForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "delete":
                raw = request.POST.get("entry", "")
                entry = scoping.get_or_404(CalendarDay.objects.filter(unit=unit), request.user, scoping.CHANGE,
                                           pk=int(raw) if raw.isdigit() else 0)
                services.calendar_day_delete(actor=request.user, entry=entry)
                messages.success(request, _("Removed %(date)s.") % {"date": f"{entry.date:%d/%m/%Y}"})
            elif action == "import":
                imp = forms.HolidayImportForm(request.POST)
                if not imp.is_valid():
                    raise ValidationError({"year": _("Choose a year.")})
                added, skipped = services.calendar_import_public_holidays(
                    actor=request.user, unit=unit, year=imp.cleaned_data["year"])
                messages.success(request, _("Public holidays imported: %(added)d added, %(skipped)d already set.")
                                 % {"added": added, "skipped": skipped})
                year = imp.cleaned_data["year"]
            else:
                form = forms.CalendarDayForm(request.POST)
                if form.is_valid():
                    entry = services.calendar_day_set(actor=request.user, unit=unit, day=form.cleaned_data["date"],
                                                      kind=form.cleaned_data["kind"], note=form.cleaned_data["note"])
                    messages.success(request, _("Saved %(date)s.") % {"date": f"{entry.date:%d/%m/%Y}"})
                    year = entry.date.year
                    form = None
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                if form is not None and field in form.fields:
                    form.add_error(field, errs)
                else:
                    for e in errs:
                        messages.error(request, e)
        if form is None or not form.errors:
            return redirect(f"{reverse('attendance:calendar-unit', args=[unit.pk])}?year={year}")
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    entries = selectors.calendar_entries(unit=unit, start=start, end=end)
    months = None
    if unit.level.is_school:
        days = calc.school_days(start, end, [(e.date, e.kind, e.unit.depth) for e in entries])
        months = [(dt.date(year, m, 1), sum(1 for d in days if d.month == m)) for m in range(1, 13)]
    return render(request, "attendance/calendar_unit.html", {
        "unit": unit, "year": year, "entries": entries, "can_edit": can_edit, "form": form,
        "months": months, "holiday_years": holidays.years(), "holiday_source": holidays.SOURCE,
        "can_import": can_edit and year in holidays.years(),
        "import_form": forms.HolidayImportForm(initial={"year": year}),
    })
