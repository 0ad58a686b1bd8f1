"""Pages of health checks, illnesses and medicine given at school. Thin: forms parse, services write,
selectors read (through core.scoping). Offices see the counts page only."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mamnon.attendance.models import Handover
from mamnon.children.models import Group
from mamnon.core import clock, scoping
from mamnon.core.pages import apply_errors
from mamnon.health import forms_checks as forms
from mamnon.health import selectors_checks as selectors
from mamnon.health import services_checks as services
from mamnon.health.models import Measurement
from mamnon.health.models_checks import CHECK_AREAS, CHECK_READERS, HealthCheck, Illness, MedicineDose

RECENT_DAYS = 7  # parents' requests and illnesses offered when recording medicine


def _group_or_404(user, pk, roles=CHECK_READERS) -> Group:
    group = scoping.groups_reached(user, roles).select_related("school__unit", "school_year").filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


@login_required
def checks_home(request):
    """Groups of the current year with examined / enrolled counts; per-school counts for managers and offices."""
    year = selectors.current_year()
    groups = list(selectors.check_groups(request.user, year))
    examined = selectors.examined_by_group([g.pk for g in groups], year) if year else {}
    children = []
    if not groups:  # parents: their own children
        children = list(selectors.health_children(request.user).order_by("name_folded")[:20])
    return render(request, "health/check_home.html", {
        "year": year, "groups": [(g, examined.get(g.pk, 0)) for g in groups], "children": children,
        "counts": selectors.check_counts(request.user, year),
    })


@login_required
def group_checks(request, pk):
    """A group's children with their latest examination."""
    group = _group_or_404(request.user, pk)
    today = clock.today()
    roster = list(selectors.group_roster(request.user, group, min(today, group.school_year.end_date)))
    latest = selectors.latest_checks(request.user, [c.pk for c in roster])
    can_enter = scoping.reaches_group(request.user, HealthCheck.scope_change_roles, school_path=group.school.unit.path,
                                      teaches=False)
    return render(request, "health/check_group.html", {
        "group": group, "rows": [(c, latest.get(c.pk)) for c in roster], "can_enter": can_enter,
    })


@login_required
def group_check_entry(request, pk):
    """A group's examination day: one row per child, saved all or nothing."""
    group = _group_or_404(request.user, pk, HealthCheck.scope_change_roles)
    today = clock.today()
    head = forms.GroupCheckHeadForm(request.POST or None, initial={"date": today})
    day = today
    if request.method == "POST" and head.is_valid():
        day = head.cleaned_data["date"]
    roster = list(selectors.group_roster(request.user, group, min(day, group.school_year.end_date)))
    ids = [c.pk for c in roster]
    row_errors: dict[int, list[str]] = {}
    if request.method == "POST":
        rows = forms.group_rows(request.POST, ids)
        if head.is_valid():
            try:
                created = services.health_checks_record_group(
                    actor=request.user, group=group, date=head.cleaned_data["date"],
                    examiner=head.cleaned_data["examiner"], rows=rows)
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    if key.startswith("c") and "-" in key and key[1:].split("-")[0].isdigit():
                        row_errors.setdefault(int(key[1:].split("-")[0]), []).extend(errors)
                    else:
                        head.add_error(key if key in head.fields else None, errors)
            else:
                messages.success(request, _("Saved %(n)d examinations.") % {"n": len(created)})
                return redirect("health:check-group", pk=group.pk)
    data = request.POST if request.method == "POST" else None
    rows = []
    for child in roster:
        prefix = f"c{child.pk}-"
        values = {name: (data.get(prefix + name, "") if data else "") for name, _label in CHECK_AREAS}
        rows.append({
            "child": child, "prefix": prefix, "values": values,
            "examined": bool(data.get(prefix + "examined")) if data else True,
            "referral": bool(data.get(prefix + "referral")) if data else False,
            "referral_to": data.get(prefix + "referral_to", "") if data else "",
            "note": data.get(prefix + "note", "") if data else "",
            "errors": row_errors.get(child.pk, []),
        })
    return render(request, "health/check_group_entry.html", {
        "group": group, "head": head, "rows": rows, "areas": CHECK_AREAS,
    })


@login_required
def child_health(request, pk):
    """A child's health history: examinations, illnesses, medicine given, measurements (and the chart)."""
    child = selectors.child_for_health(request.user, pk)
    can_chart = selectors.health_children(request.user, Measurement.scope_view_roles).filter(pk=pk).exists()
    history = selectors.child_history(request.user, child, measurements=can_chart)
    history["measurements"] = [(m, int(m.age_days // 30.4375)) for m in history["measurements"]]
    return render(request, "health/check_child.html", {
        "child": child, **history, "can_chart": can_chart,
        "can_check": selectors.may_write(request.user, HealthCheck, child),
        "can_day": selectors.may_write(request.user, Illness, child),
    })


def _writable_child(request, pk, model):
    child = selectors.child_for_health(request.user, pk)
    if not selectors.may_write(request.user, model, child):
        raise PermissionDenied
    return child


@login_required
def check_create(request, pk):
    child = _writable_child(request, pk, HealthCheck)
    form = forms.HealthCheckForm(request.POST or None, initial={"date": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.health_check_record(actor=request.user, child=child, date=d["date"], examiner=d["examiner"],
                                         referral=d["referral"], referral_to=d["referral_to"], note=d["note"],
                                         **form.findings)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("health:child-health", pk=child.pk)
    return render(request, "health/check_form.html", {"child": child, "form": form,
                                                      "heading": _("Periodic health examination")})


@login_required
def illness_create(request, pk):
    child = _writable_child(request, pk, Illness)
    now = timezone.localtime()
    form = forms.IllnessForm(request.POST or None, initial={"date": now.date(), "time": now.time().replace(
        second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.illness_record(actor=request.user, child=child, noticed_at=forms.moment(d["date"], d["time"]),
                                    symptoms=d["symptoms"], temperature=d["temperature"], care=d["care"],
                                    parents_informed=d["parents_informed"], sent_home=d["sent_home"])
        except ValidationError as exc:
            apply_errors(form, exc, {"noticed_at": "date"})
        else:
            messages.success(request, _("Saved."))
            return redirect("health:child-health", pk=child.pk)
    return render(request, "health/check_form.html", {"child": child, "form": form,
                                                      "heading": _("Illness at school")})


@login_required
def medicine_create(request, pk):
    child = _writable_child(request, pk, MedicineDose)
    now = timezone.localtime()
    since = now.date() - dt.timedelta(days=RECENT_DAYS)
    handovers = list(Handover.objects.for_user(request.user).filter(child=child, date__gte=since)
                     .exclude(medicine="").order_by("-date"))
    illnesses = list(Illness.objects.for_user(request.user).filter(child=child, noticed_at__date__gte=since))
    initial = {"date": now.date(), "time": now.time().replace(second=0, microsecond=0)}
    if handovers and handovers[0].date == now.date():
        initial["handover"] = handovers[0].pk
    form = forms.MedicineForm(request.POST or None, initial=initial, handovers=handovers, illnesses=illnesses)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        by_id = {h.pk: h for h in handovers}
        ill_by_id = {i.pk: i for i in illnesses}
        try:
            services.medicine_give(actor=request.user, child=child, given_at=forms.moment(d["date"], d["time"]),
                                   medicine=d["medicine"], dose=d["dose"], handover=by_id.get(d["handover"]),
                                   illness=ill_by_id.get(d["illness"]), note=d["note"])
        except ValidationError as exc:
            apply_errors(form, exc, {"given_at": "date"})
        else:
            messages.success(request, _("Saved."))
            return redirect("health:child-health", pk=child.pk)
    return render(request, "health/check_form.html", {"child": child, "form": form,
                                                      "heading": _("Medicine given at school")})
