"""The parent portal: a parent sees and does things for their own children only.

A parent is a user with a parent membership at the school whose account is linked to Guardian rows
(Guardian.user). Every queryset goes through core.scoping, which narrows parents to their own children;
the portal additionally starts from the children whose guardian the user is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamnon.attendance import handover_services as services
from mamnon.attendance.models import AbsenceRequest, Attendance, AttendanceStatus, Handover, Incident
from mamnon.attendance.views_handover import PinSetForm, signature_uri
from mamnon.children.models import Child, Guardian
from mamnon.core import clock, scoping
from mamnon.core.pages import apply_errors
from mamnon.core.roles import Role
from mamnon.org.models import School

HISTORY_DAYS = 30


def _require_parent(user) -> None:
    if Role.PARENT not in scoping.roles_of(user):
        raise PermissionDenied(_("The parent portal is for parents. Staff use the school's pages."))


def own_children(user):
    """The children whose guardian the user is, within the user's scope."""
    return scoping.restrict(Child.objects.filter(pk__in=scoping.parent_child_ids(user)), user).select_related(
        "school__unit")


def _hotline_schools(user, children) -> list[School]:
    """The schools of the parent's children and memberships: their phone is the hotline for reports (seed 002:
    "cung cấp số điện thoại để tiếp nhận ý kiến phản ánh")."""
    ids = {c.school_id for c in children} | {
        g.unit_id for g in scoping.grants(user) if g.role == Role.PARENT and g.is_school}
    return list(scoping.restrict(School.objects.filter(pk__in=ids), user).select_related("unit")
                .order_by("unit__name"))


@login_required
def home(request):
    """Today's handover and notes of each child, the confirmation, the hotline, the PIN."""
    user = request.user
    _require_parent(user)
    today = clock.today()
    children = list(own_children(user))
    handovers = {
        h.child_id: h for h in scoping.restrict(
            Handover.objects.filter(child__in=[c.pk for c in children], date=today), user
        ).select_related("dropoff_by", "confirmed_by", "pickup_guardian", "pickup_person")
    }
    absences = list(scoping.restrict(
        AbsenceRequest.objects.filter(child__in=[c.pk for c in children], date_to__gte=today), user
    ).select_related("child").order_by("date_from"))
    guardians = list(scoping.restrict(Guardian.objects.filter(user=user), user))
    cards = [{"child": c, "handover": handovers.get(c.pk)} for c in children]
    return render(request, "portal/home.html", {
        "cards": cards, "today": today, "absences": absences, "schools": _hotline_schools(user, children),
        "has_pin": bool(guardians) and all(g.pin_hash for g in guardians), "guardians": guardians,
    })


def _month(raw: str | None, today: dt.date) -> dt.date:
    try:
        year, month = (int(x) for x in (raw or "").split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


@login_required
def child(request, pk):
    """One child: attendance of a month, the handovers of the last days, absence requests, incidents."""
    user = request.user
    _require_parent(user)
    kid = scoping.get_or_404(own_children(user), user, pk=pk)
    today = clock.today()
    month = _month(request.GET.get("month"), today)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    attendance = list(scoping.restrict(
        Attendance.objects.filter(child=kid, date__gte=month, date__lt=next_month), user).order_by("date"))
    counts = Counter(a.status for a in attendance)
    present = counts[AttendanceStatus.PRESENT] + counts[AttendanceStatus.LATE]
    handovers = list(scoping.restrict(
        Handover.objects.filter(child=kid, date__gt=today - dt.timedelta(days=HISTORY_DAYS)), user
    ).select_related("dropoff_by", "confirmed_by", "pickup_guardian", "pickup_person").order_by("-date"))
    for h in handovers:
        h.signature_uri = signature_uri(h.signature_svg)
    return render(request, "portal/child.html", {
        "child": kid, "month": month, "prev_month": (month - dt.timedelta(days=1)).replace(day=1),
        "next_month": next_month if next_month <= today else None,
        "attendance": attendance, "present": present, "recorded": len(attendance),
        "rate": round(100 * present / len(attendance)) if attendance else None,
        "statuses": [(label, counts[value]) for value, label in AttendanceStatus.choices],
        "handovers": handovers,
        "absences": scoping.restrict(AbsenceRequest.objects.filter(child=kid), user)[:20],
        "incidents": scoping.restrict(Incident.objects.filter(child=kid), user)[:20],
        "schools": _hotline_schools(user, [kid]),
    })


@login_required
def confirm(request, pk):
    """POST: the parent confirms today's drop-off of their own child."""
    user = request.user
    _require_parent(user)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("portal:home"))
    handover = scoping.restrict(Handover.objects.filter(pk=pk), user).select_related("child").first()
    if handover is None or not Guardian.objects.filter(user=user, child_id=handover.child_id).exists():
        # Another family's child, or no such handover: the same answer, saying nothing about either.
        return render(request, "portal/refused.html", {
            "message": _("You can confirm only the drop-off of your own children.")}, status=403)
    try:
        services.handover_confirm_portal(actor=user, handover=handover)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you: the drop-off of %(child)s is confirmed.")
                         % {"child": handover.child.full_name})
    return HttpResponseRedirect(reverse("portal:home"))


class AbsenceForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From (dd/mm/yyyy)"))
    date_to = forms.DateField(label=gettext_lazy("To (dd/mm/yyyy)"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)
    sick = forms.BooleanField(label=gettext_lazy("The child is sick"), required=False)


@login_required
def absence_create(request, pk):
    user = request.user
    _require_parent(user)
    kid = scoping.get_or_404(own_children(user), user, pk=pk)
    today = clock.today()
    form = AbsenceForm(request.POST or None, initial={"date_from": today, "date_to": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_request_create(actor=user, child=kid, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The school has been told that %(child)s will be away.")
                             % {"child": kid.full_name})
            return HttpResponseRedirect(reverse("portal:child", args=[kid.pk]))
    return render(request, "portal/absence_form.html", {"child": kid, "form": form},
                  status=400 if form.errors else 200)


@login_required
def pin(request):
    """The parent sets or changes the 4-digit PIN they type on the teacher's phone at drop-off."""
    user = request.user
    _require_parent(user)
    guardians = list(scoping.restrict(Guardian.objects.filter(user=user), user))
    form = PinSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_set_pin(actor=user, guardians=guardians, pin=form.cleaned_data["pin"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your PIN is set."))
            return HttpResponseRedirect(reverse("portal:home"))
    return render(request, "portal/pin.html", {"form": form, "guardians": guardians,
                                               "has_pin": bool(guardians) and all(g.pin_hash for g in guardians)},
                  status=400 if form.errors else 200)
