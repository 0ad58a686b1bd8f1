"""Pages of growth monitoring: rounds, the entry grid per group (in a round or outside), its instant feedback,
round statistics up the tree, the follow-up list, the round report and the Excel import. Thin: selectors and
stats read, services write, core.scoping decides."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamnon.calc import nutrition_status as ns
from mamnon.children.models import Group
from mamnon.core import scoping
from mamnon.health import exports, forms, measurement_import, selectors, services, stats
from mamnon.health.models import MeasurementRound
from mamnon.org.models import School, SchoolYear


def _year(request) -> SchoolYear | None:
    code = request.GET.get("year") or request.POST.get("year")
    if code:
        year = SchoolYear.objects.filter(code=code).first()
        if year is not None:
            return year
    return selectors.current_year()


def _round(request, pk) -> MeasurementRound:
    return scoping.get_or_404(MeasurementRound.objects.select_related("unit", "school_year"), request.user, pk=pk)


# --- rounds ----------------------------------------------------------------------------------------------------


@login_required
def rounds(request):
    """The rounds that apply to the user's units in a school year; offices and schools define theirs here."""
    year = _year(request)
    units = selectors.round_units(request.user)
    can_define = units.exists()
    form = forms.RoundForm(units=units, prefix="new") if can_define else None
    defaults_form = forms.DefaultRoundsForm(units=units, prefix="def") if can_define else None
    if request.method == "POST":
        if not can_define or year is None:
            raise PermissionDenied
        if "def-unit" in request.POST:
            defaults_form = forms.DefaultRoundsForm(request.POST, units=units, prefix="def")
            if defaults_form.is_valid():
                made = services.rounds_create_defaults(actor=request.user, unit=defaults_form.cleaned_data["unit"],
                                                       school_year=year)
                messages.success(request, _("%(n)d round(s) created.") % {"n": len(made)})
                return redirect(f"{reverse('health:rounds')}?{urlencode({'year': year.code})}")
        else:
            form = forms.RoundForm(request.POST, units=units, prefix="new")
            if form.is_valid():
                d = form.cleaned_data
                try:
                    services.round_create(actor=request.user, unit=d["unit"], school_year=year, number=d["number"],
                                          name=d["name"], start_date=d["start_date"], end_date=d["end_date"],
                                          deadline=d["deadline"])
                except ValidationError as exc:
                    for fld, errs in exc.message_dict.items():
                        form.add_error(fld if fld in form.fields else None, errs)
                else:
                    messages.success(request, _("Round saved."))
                    return redirect(f"{reverse('health:rounds')}?{urlencode({'year': year.code})}")
    rows = list(selectors.visible_rounds(request.user, year)[:300]) if year else []
    return render(request, "health/rounds.html", {
        "year": year, "years": SchoolYear.objects.order_by("-start_date")[:6], "rounds": rows,
        "form": form, "defaults_form": defaults_form,
        "can_stats": selectors.stats_units(request.user).exists(),
    })


@login_required
def round_detail(request, pk):
    """A round: the groups the user enters or reads, with measured / enrolled, and links to the statistics."""
    rnd = _round(request, pk)
    groups = (selectors.entry_groups(request.user).filter(school_year=rnd.school_year, active=True,
                                                          school__unit__path__startswith=rnd.unit.path)
              .select_related("school__unit").order_by("school__unit__name", "age_band", "name"))
    groups = list(groups[:400])
    c = stats.counts(rnd.school_year.code, rnd.number, by="group", group_ids=[g.pk for g in groups],
                     today=selectors.local_today())
    pos = {gid: i for i, gid in enumerate(c.ids.tolist())}
    writable = set(selectors.entry_groups(request.user, write=True).filter(pk__in=[g.pk for g in groups])
                   .values_list("pk", flat=True))
    rows = [(g, int(c.values["measured"][pos[g.pk]]) if g.pk in pos else 0,
             int(c.values["enrolled"][pos[g.pk]]) if g.pk in pos else 0, g.pk in writable) for g in groups]
    schools = sorted({g.school for g in groups}, key=lambda s: s.unit.name)
    return render(request, "health/round_detail.html", {
        "round": rnd, "rows": rows, "schools": schools,
        "can_stats": selectors.stats_units(request.user).exists(),
        "importable": [s for s in schools if selectors.may_import(request.user, s)],
    })


# --- the grid ----------------------------------------------------------------------------------------------------


def _grid_day(request, rnd, data=None) -> dt.date:
    form = forms.DayForm(data if data is not None else request.GET)
    if form.is_valid() and form.cleaned_data["date"]:
        return form.cleaned_data["date"]
    today = selectors.local_today()
    if rnd is not None:
        return min(max(today, rnd.start_date), rnd.end_date)
    return today


def _readable_group(request, group_pk) -> Group:
    group = (selectors.entry_groups(request.user).select_related("school__unit", "school_year")
             .filter(pk=group_pk).first())
    if group is None:
        raise Http404
    return group


def _grid(request, group_pk, rnd: MeasurementRound | None):
    group = _readable_group(request, group_pk)
    if rnd is not None and rnd not in selectors.rounds_for_school(group.school, rnd.school_year):
        raise Http404
    writable = selectors.entry_groups(request.user, write=True).filter(pk=group.pk).exists()
    errors: list[str] = []
    posted = None
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        day = _grid_day(request, rnd, request.POST)
        rows = selectors.grid_rows(group, day, rnd)
        entries = []
        for r in rows:
            entry, errs = forms.entry_from_post(request.POST, r.child_id, name=r.full_name)
            errors += errs
            if entry is not None:
                entries.append(entry)
        if not errors:
            try:
                result = services.measurements_save(actor=request.user, group_id=group.pk, day=day, entries=entries,
                                                    rnd=rnd)
            except ValidationError as exc:
                errors = [m for ms in exc.message_dict.values() for m in ms]
            except Group.DoesNotExist:
                raise Http404 from None
            else:
                messages.success(request, _("Saved: %(created)d new, %(updated)d corrected.")
                                 % {"created": result.created, "updated": result.updated})
                return redirect(f"{request.path}?{urlencode({'date': day.isoformat()})}")
        posted = request.POST
    else:
        day = _grid_day(request, rnd)
    rows = selectors.grid_rows(group, day, rnd)
    for r in rows:
        if posted is not None:
            r.posted = {k: posted.get(f"{k}-{r.child_id}", "") for k in ("weight", "height", "lying", "oedema",
                                                                          "note")}
        if r.measurement is not None:
            m = r.measurement
            r.uses_bmi = m.uses_bmi
            r.saved = services.Preview({k: getattr(m, k) for k in services.FLAG_KEYS},
                                       {"wfa": m.wfa_status, "hfa": m.hfa_status, "wfh": m.wfh_status},
                                       m.uses_bmi, services.flag_messages(m.flags), [])
        if posted is not None:
            continue
        if r.measurement is not None:
            r.posted = {"weight": _num(m.weight_kg), "height": _num(m.height_cm),
                        "lying": {True: "1", False: "0"}.get(m.measured_lying, ""),
                        "oedema": "1" if m.oedema else "", "note": m.note}
        else:
            r.posted = {"lying": "1" if r.age_days(day) < 731 else "0"}
    return render(request, "health/grid.html", {
        "group": group, "round": rnd, "day": day, "rows": rows, "errors": errors, "writable": writable,
        "form": forms.DayForm(initial={"date": day}),
    })


def _num(value) -> str:
    if value is None:
        return ""
    text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    return text.replace(".", ",")


@login_required
def grid(request, pk, group_pk):
    return _grid(request, group_pk, _round(request, pk))


@login_required
def grid_free(request, group_pk):
    """Measurements outside the rounds (monthly for under-2s), one day at a time."""
    return _grid(request, group_pk, None)


@login_required
@require_POST
def preview(request, group_pk):
    """htmx: the z-scores, statuses and warnings of one grid row as typed (nothing is saved)."""
    group = _readable_group(request, group_pk)
    child_id = request.POST.get("child", "")
    rnd = None
    if request.POST.get("round", "").isdigit():
        rnd = _round(request, int(request.POST["round"]))
    day = _grid_day(request, rnd, request.POST)
    row = next((r for r in selectors.grid_rows(group, day, rnd) if str(r.child_id) == child_id), None)
    if row is None:
        raise Http404
    entry, errors = forms.entry_from_post(request.POST, row.child_id, name=row.full_name)
    result = None
    if entry is not None and not errors:
        result = services.measurement_preview(group=group, row=row, day=day, entry=entry)
        errors = result.errors
    return render(request, "health/_grid_feedback.html", {"row": row, "p": result, "errors": errors,
                                                          "uses_bmi": row.age_days(day) / ns.DAYS_PER_MONTH >= 60})


# --- statistics ------------------------------------------------------------------------------------------------


def _stats_params(request):
    year = _year(request)
    number = request.GET.get("round", "1")
    number = int(number) if number in ("1", "2", "3") else 1
    units = selectors.stats_units(request.user)
    unit_id = request.GET.get("unit", "")
    unit = units.filter(pk=int(unit_id)).first() if unit_id.isdigit() else selectors.top_stats_unit(request.user)
    if unit is None or year is None:
        raise Http404
    return year, number, unit


@login_required
def stats_page(request):
    """Round statistics of a unit: one row per unit below it (or per group for a school), with round 1's change."""
    year, number, unit = _stats_params(request)
    today = selectors.local_today()
    if unit.is_school:
        table = stats.group_table(unit.school, year.code, number, today=today)
    else:
        table = stats.unit_table(unit, year.code, number, today=today)
    up = [u for u in selectors.stats_units(request.user).filter(pk__in=selectors.ancestor_ids(unit.path))
          .order_by("depth") if u.pk != unit.pk]
    return render(request, "health/stats.html", {
        "year": year, "number": number, "unit": unit, "table": table, "up": up, "drill": not unit.is_school,
        "years": SchoolYear.objects.order_by("-start_date")[:6],
        "follow_up": unit.is_school and selectors.may_follow_up(request.user, unit.school),
    })


@login_required
def report_xlsx(request):
    year, number, unit = _stats_params(request)
    today = selectors.local_today()
    table = (stats.group_table(unit.school, year.code, number, today=today) if unit.is_school
             else stats.unit_table(unit, year.code, number, today=today))
    data = exports.round_report(table, unit=unit, year=year.code, number=number)
    response = HttpResponse(data, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="can-do-lan-{number}-{year.code}-{unit.pk}.xlsx"'
    return response


@login_required
def follow_up(request, school_pk):
    """The children malnourished or overweight (or who became so) in the school's rounds, with their trend."""
    school = School.objects.select_related("unit").filter(pk=school_pk).first()
    if school is None or not selectors.may_follow_up(request.user, school):
        raise Http404
    year = _year(request)
    group_ids = selectors.follow_up_groups(request.user, school)
    rows = stats.follow_up(school, year.code, group_ids=group_ids) if year else []
    return render(request, "health/follow_up.html", {"school": school, "year": year, "rows": rows})


# --- import ----------------------------------------------------------------------------------------------------


def _import_school(request, rnd, school_pk) -> School:
    school = School.objects.select_related("unit").filter(pk=school_pk).first()
    if school is None or not selectors.may_import(request.user, school) or \
            rnd not in selectors.rounds_for_school(school, rnd.school_year):
        raise Http404
    return school


@login_required
def import_template(request, pk, school_pk):
    rnd = _round(request, pk)
    school = _import_school(request, rnd, school_pk)
    data = measurement_import.template(school=school, rnd=rnd)
    response = HttpResponse(data, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-can-do-lan-{rnd.number}-{school.pk}.xlsx"'
    return response


@login_required
def import_page(request, pk, school_pk):
    """Upload the filled template: every row is checked, and nothing is saved unless every row is right."""
    rnd = _round(request, pk)
    school = _import_school(request, rnd, school_pk)
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("Choose the .xlsx file to import.")]
        elif upload.size > measurement_import.MAX_UPLOAD_BYTES:
            errors = [_("The file is larger than 5 MB.")]
        else:
            try:
                result = measurement_import.import_file(upload, school=school, rnd=rnd, actor=request.user)
            except measurement_import.ImportInvalid as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Imported %(n)d measurements.") % {"n": result})
                return redirect("health:round", pk=rnd.pk)
    return render(request, "health/import.html", {"round": rnd, "school": school, "errors": errors})


@login_required
def child_measurements(request, child_pk):
    rows = list(selectors.child_measurements(request.user, child_pk).select_related("round", "child"))
    if not rows:
        raise Http404
    return render(request, "health/child_measurements.html", {"child": rows[0].child, "rows": rows})
