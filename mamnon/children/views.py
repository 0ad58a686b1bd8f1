"""Pages for groups, children and enrolment. Thin: forms validate, services write, selectors read.

Every object comes through core.scoping (``get_or_404`` / ``restrict``); support data (disability, policy
flags) is read only through ``ChildSupport``'s own scoping, never through the child.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from mamnon.calc import ages
from mamnon.children import forms as cforms
from mamnon.children import selectors, services
from mamnon.children.filters import ChildFilter, GroupFilter, year_from
from mamnon.children.models import (
    Child,
    ChildStatus,
    Enrolment,
    Group,
    Guardian,
    Transfer,
)
from mamnon.core import clock, scoping
from mamnon.core.pages import apply_errors
from mamnon.core.roles import Role
from mamnon.org.models import School, SchoolYear

PAGE_SIZE = 50


def _is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _require_manager(user, school_id: int) -> None:
    if not services.is_school_manager(user, school_id):
        raise PermissionDenied


def _today():
    return clock.today()


# --- groups ------------------------------------------------------------------------------------------


@login_required
def group_list(request):
    """Groups of a school year (the current one unless ?year=) with counts, band, teachers and warnings."""
    year = year_from(request)
    base = selectors.groups_for(request.user, year=year) if year else Group.objects.none()
    filterset = GroupFilter(request.GET, queryset=base, request=request)
    qs = selectors.with_teachers(selectors.groups_with_counts(filterset.qs), request.user).order_by(
        "school__unit__name", "age_band", "name")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    checks = selectors.group_checks(page.object_list)
    rows = [(g, checks[g.pk]) for g in page.object_list]
    ctx = {"filter": filterset, "page": page, "rows": rows, "year": year,
           "years": SchoolYear.objects.order_by("-start_date"),
           "can_create": bool(selectors.managed_school_ids(request.user)) or scoping.is_admin(request.user),
           "can_rollover": bool(selectors.managed_school_ids(request.user, {Role.PRINCIPAL}))
           or scoping.is_admin(request.user)}
    if _is_htmx(request):
        return render(request, "children/group_list_table.html", ctx)
    return render(request, "children/group_list.html", ctx)


@login_required
def group_detail(request, pk):
    """A group's roster: teachers see only their groups, parents only their own child in it."""
    group = scoping.get_or_404(Group.objects.all(), request.user, pk=pk)
    group = selectors.with_teachers(selectors.groups_with_counts(Group.objects.filter(pk=group.pk)),
                                    request.user).get()
    check = selectors.group_checks([group])[group.pk]
    start = group.school_year.start_date
    roster = []
    for e in selectors.roster(group, request.user):
        band = ages.age_band(e.child.birth_date, start)
        roster.append((e, selectors.band_label(band), selectors.band_fits(band, group.age_band)))
    can_manage = services.is_school_manager(request.user, group.school_id)
    return render(request, "children/group_detail.html", {
        "group": group, "check": check, "roster": roster, "can_manage": can_manage,
        "can_override": services.is_principal(request.user, group.school_id),
        "override_form": cforms.OverrideForm(),
    })


def _group_form_view(request, *, group=None):
    school = None
    if group is None and request.GET.get("school"):
        school = cforms.managed_schools(request.user).filter(pk=request.GET["school"]).first()
    form = cforms.GroupForm(request.POST or None, user=request.user, group=group, school=school,
                            initial=_group_initial(group))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if group is None:
                group = services.group_create(
                    actor=request.user, school=d["school"], school_year=d["school_year"], name=d["name"],
                    age_band=d["age_band"], site=d["site"], full_day=d["full_day"], semi_boarding=d["semi_boarding"],
                    english=d["english"], teachers=list(d["teachers"]), lead=d["lead"])
            else:
                services.group_update(
                    actor=request.user, group=group, name=d["name"], age_band=d["age_band"], site=d["site"],
                    full_day=d["full_day"], semi_boarding=d["semi_boarding"], english=d["english"],
                    teachers=list(d["teachers"]), lead=d["lead"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("children:group-detail", pk=group.pk)
    return render(request, "children/group_form.html", {"form": form, "group": group})


def _group_initial(group):
    if group is None:
        return None
    assignments = list(group.assignments.all())
    lead = next((a.staff_id for a in assignments if a.is_lead), None)
    return {"name": group.name, "age_band": group.age_band, "site": group.site_id, "full_day": group.full_day,
            "semi_boarding": group.semi_boarding, "english": group.english,
            "teachers": [a.staff_id for a in assignments], "lead": lead}


@login_required
def group_create(request):
    if not cforms.managed_schools(request.user).exists():
        raise PermissionDenied
    return _group_form_view(request)


@login_required
def group_edit(request, pk):
    group = scoping.get_or_404(Group.objects.select_related("school", "school_year"), request.user, pk=pk)
    _require_manager(request.user, group.school_id)
    return _group_form_view(request, group=group)


# --- children: search and list -----------------------------------------------------------------------


@login_required
def child_search(request):
    """Children in scope: a live search box (diacritics and case ignored) over a filtered list."""
    form = cforms.SearchForm(request.GET or None)
    q = request.GET.get("q", "").strip()
    base = scoping.restrict(Child.objects.all(), request.user)
    filterset = ChildFilter(request.GET, queryset=base, request=request)
    qs = selectors.children_search(request.user, q, qs=filterset.qs) if q else filterset.qs
    open_enrolments = scoping.restrict(Enrolment.objects.filter(end_date__isnull=True), request.user).select_related(
        "group")
    qs = qs.select_related("school__unit").prefetch_related(
        Prefetch("enrolments", queryset=open_enrolments, to_attr="open_enrolments")).order_by(
        "name_folded", "birth_date", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"form": form, "filter": filterset, "page": page, "q": q,
           "can_create": bool(selectors.managed_school_ids(request.user)) or scoping.is_admin(request.user)}
    if _is_htmx(request):
        return render(request, "children/search_results.html", ctx)
    return render(request, "children/search.html", ctx)


# --- children: detail and forms ----------------------------------------------------------------------


@login_required
def child_detail(request, pk):
    child = scoping.get_or_404(Child.objects.select_related("school__unit", "residence_commune"), request.user, pk=pk)
    user = request.user
    enrolments = list(scoping.restrict(child.enrolments.all(), user).select_related(
        "group", "group__school_year", "school__unit").order_by("-start_date"))
    current = next((e for e in enrolments if e.end_date is None), None)
    can_manage = services.is_school_manager(user, child.school_id)
    band = ages.age_band(child.birth_date, current.group.school_year.start_date) if current else None
    incoming = selectors.transfers_incoming(user).filter(child=child).first()
    return render(request, "children/child_detail.html", {
        "child": child,
        "support": selectors.support_for(user, child),
        "guardians": scoping.restrict(child.guardians.all(), user).select_related("user"),
        "pickups": scoping.restrict(child.pickups.all(), user),
        "enrolments": enrolments, "current": current, "band": band,
        "band_label": selectors.band_label(band) if band else "",
        "transfers": scoping.restrict(child.transfers.all(), user).select_related("to_school__unit"),
        "incoming": incoming,
        "can_manage": can_manage,
        "actions": _actions(child, current, band) if can_manage else [],
        "today": _today(),
    })


def _actions(child, current, band):
    out = []
    if child.status in (ChildStatus.ENROLLED, ChildStatus.LEFT) and current is None:
        out.append(("children:child-admit", _("Admit to a group")))
    if current is not None:
        out.append(("children:child-move", _("Move to another group")))
        if band in (ages.KINDER_5, ages.TOO_OLD):
            out.append(("children:child-finish", _("Finish (to grade 1)")))
    if child.status == ChildStatus.ENROLLED:
        out.append(("children:child-transfer", _("Transfer to another school")))
        out.append(("children:child-leave", _("Leaves the school")))
    return out


@login_required
def child_create(request):
    if not cforms.managed_schools(request.user).exists():
        raise PermissionDenied
    form = cforms.ChildCreateForm(request.POST or None, request.FILES or None, user=request.user)
    guardians = cforms.GuardianFormSet(request.POST or None, prefix="g")
    if request.method == "POST" and form.is_valid() and guardians.is_valid():
        d = form.cleaned_data
        target = form
        try:
            with transaction.atomic():
                child = services.child_create(actor=request.user, school=d["school"], support=form.support_data(),
                                              **form.child_data())
                for gf in guardians.forms:
                    if not gf.has_changed():
                        continue
                    target = gf
                    g = gf.cleaned_data
                    services.guardian_add(actor=request.user, child=child, full_name=g["full_name"],
                                          relation=g["relation"], phone=g["phone"], is_primary=g["is_primary"],
                                          consent=g["consent"])
                target = form
                if d.get("group") is not None:
                    services.admit(actor=request.user, child=child, group=d["group"],
                                   on=selectors.rule_day(d["group"].school_year, _today()),
                                   override_reason=d.get("override_reason", ""))
        except ValidationError as exc:
            apply_errors(target, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": child.full_name})
            return redirect("children:child-detail", pk=child.pk)
    return render(request, "children/child_form.html", {"form": form, "guardians": guardians, "child": None})


@login_required
def child_edit(request, pk):
    child = scoping.get_or_404(Child.objects.select_related("school"), request.user, pk=pk)
    _require_manager(request.user, child.school_id)
    support = selectors.support_for(request.user, child)
    initial = {k: getattr(child, k) for k in ("full_name", "birth_date", "sex", "ethnicity", "personal_id",
                                              "address")}
    initial["residence_commune"] = child.residence_commune_id
    if support is not None:
        initial.update({k: getattr(support, k) for k in cforms.ChildForm.SUPPORT})
    form = cforms.ChildForm(request.POST or None, request.FILES or None, user=request.user, child=child,
                            initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(actor=request.user, child=child, support=form.support_data(), **form.child_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("children:child-detail", pk=child.pk)
    return render(request, "children/child_form.html", {"form": form, "guardians": None, "child": child})


@login_required
def guardian_add(request, pk):
    child = scoping.get_or_404(Child.objects.all(), request.user, pk=pk)
    _require_manager(request.user, child.school_id)
    form = cforms.GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        g = form.cleaned_data
        try:
            services.guardian_add(actor=request.user, child=child, full_name=g["full_name"], relation=g["relation"],
                                  phone=g["phone"], is_primary=g["is_primary"], consent=g["consent"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("children:child-detail", pk=child.pk)
    return render(request, "children/simple_form.html", {
        "form": form, "child": child, "title": _("Add a guardian"), "multipart": False})


@login_required
def guardian_edit(request, pk):
    guardian = scoping.get_or_404(Guardian.objects.select_related("child"), request.user, pk=pk)
    _require_manager(request.user, guardian.school_id)
    initial = {"full_name": guardian.full_name, "relation": guardian.relation, "phone": guardian.phone,
               "is_primary": guardian.is_primary, "consent": guardian.consent_at is not None}
    form = cforms.GuardianForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        g = form.cleaned_data
        try:
            services.guardian_update(actor=request.user, guardian=guardian, full_name=g["full_name"],
                                     relation=g["relation"], phone=g["phone"], is_primary=g["is_primary"],
                                     consent=g["consent"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("children:child-detail", pk=guardian.child_id)
    return render(request, "children/simple_form.html", {
        "form": form, "child": guardian.child, "title": _("Edit guardian"), "multipart": False})


@login_required
def pickup_add(request, pk):
    child = scoping.get_or_404(Child.objects.all(), request.user, pk=pk)
    _require_manager(request.user, child.school_id)
    form = cforms.PickupForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pickup_add(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("children:child-detail", pk=child.pk)
    return render(request, "children/simple_form.html", {
        "form": form, "child": child, "title": _("Add an authorised pick-up person"), "multipart": True})


# --- enrolment actions -------------------------------------------------------------------------------


def _child_action(request, pk, *, title, build, run, intro=""):
    child = scoping.get_or_404(Child.objects.select_related("school"), request.user, pk=pk)
    _require_manager(request.user, child.school_id)
    current = selectors.open_enrolment(child)
    form = build(request.POST or None, child, current)
    if request.method == "POST" and form.is_valid():
        try:
            run(child, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("children:child-detail", pk=child.pk)
    return render(request, "children/child_action.html", {
        "form": form, "child": child, "current": current, "title": title, "intro": intro})


@login_required
def child_admit(request, pk):
    return _child_action(
        request, pk, title=_("Admit to a group"),
        build=lambda data, child, current: cforms.AdmitForm(data, child=child, initial={"on": _today()}),
        run=lambda child, d: services.admit(actor=request.user, child=child, group=d["group"], on=d["on"],
                                            override_reason=d["override_reason"]))


@login_required
def child_move(request, pk):
    return _child_action(
        request, pk, title=_("Move to another group"),
        build=lambda data, child, current: cforms.MoveForm(data, child=child, current=current,
                                                           initial={"on": _today()}),
        run=lambda child, d: services.move_between_groups(actor=request.user, child=child, to_group=d["to_group"],
                                                          on=d["on"], override_reason=d["override_reason"]))


@login_required
def child_transfer(request, pk):
    return _child_action(
        request, pk, title=_("Transfer to another school"),
        intro=_("The receiving school sees the child's record once you release her; her attendance and other "
                "daily records stay here."),
        build=lambda data, child, current: cforms.TransferForm(data, initial={"on": _today()}),
        run=lambda child, d: services.release_for_transfer(actor=request.user, child=child, to_school=d["to_school"],
                                                           on=d["on"], note=d["note"]))


@login_required
def child_leave(request, pk):
    return _child_action(
        request, pk, title=_("Leaves the school"),
        build=lambda data, child, current: cforms.LeaveForm(data, initial={"on": _today()}),
        run=lambda child, d: services.leave(actor=request.user, child=child, reason=d["reason"], on=d["on"]))


@login_required
def child_finish(request, pk):
    return _child_action(
        request, pk, title=_("Finish (to grade 1)"),
        build=lambda data, child, current: cforms.FinishForm(data, initial={
            "on": min(_today(), current.group.school_year.end_date) if current else _today()}),
        run=lambda child, d: services.finish(actor=request.user, child=child, on=d["on"]))


# --- transfers ---------------------------------------------------------------------------------------


@login_required
def transfer_list(request):
    """Children released to the user's school (to accept) and those her school released (pending)."""
    user = request.user
    incoming = list(selectors.transfers_incoming(user))
    outgoing = list(scoping.restrict(Transfer.objects.filter(accepted_at__isnull=True), user).select_related(
        "child", "to_school__unit", "school__unit"))
    return render(request, "children/transfer_list.html", {"incoming": incoming, "outgoing": outgoing})


@login_required
def transfer_accept(request, pk):
    transfer = selectors.transfers_incoming(request.user).filter(pk=pk).first()
    if transfer is None:
        raise Http404
    form = cforms.AcceptForm(request.POST or None, school_id=transfer.to_school_id, initial={"on": _today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.accept_transfer(actor=request.user, transfer=transfer, group=d["group"], on=d["on"],
                                     override_reason=d["override_reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s joined your school.") % {"name": transfer.child.full_name})
            return redirect("children:child-detail", pk=transfer.child_id)
    return render(request, "children/transfer_accept.html", {"form": form, "transfer": transfer})


# --- end of year -------------------------------------------------------------------------------------


@login_required
def rollover(request):
    """End of year: each group of the year ending goes into a group of the next year, in one step."""
    user = request.user
    schools = cforms.managed_schools(user)
    if not scoping.is_admin(user):
        schools = schools.filter(pk__in=selectors.managed_school_ids(user, {Role.PRINCIPAL}))
    school = schools.filter(pk=request.GET.get("school")).first() if request.GET.get("school", "").isdigit() else None
    choices = list(schools[:50])
    if school is None and len(choices) == 1:
        school = choices[0]
    if not choices:
        raise PermissionDenied
    from_year = year_from(request)
    to_year = None
    if from_year is not None:
        to_year = SchoolYear.objects.filter(start_date__gt=from_year.start_date).order_by("start_date").first()
    old_groups = new_groups = Group.objects.none()
    if school is not None and from_year is not None:
        old_groups = selectors.groups_with_counts(
            Group.objects.filter(school=school, school_year=from_year, active=True)).order_by("age_band", "name")
    if school is not None and to_year is not None:
        new_groups = Group.objects.filter(school=school, school_year=to_year, active=True).order_by("age_band", "name")
    form = cforms.RolloverForm(request.POST or None, old_groups=old_groups, new_groups=new_groups)
    if request.method == "POST" and school is not None and to_year is not None and form.is_valid():
        try:
            result = services.rollover(actor=user, mapping=form.mapping(),
                                       override_reason=form.cleaned_data["override_reason"])
        except ValidationError as exc:
            apply_errors(form, exc, rename={"mapping": None})
        else:
            messages.success(request, _("%(promoted)d children moved up to %(year)s; %(finished)d finished.")
                             % {**result, "year": to_year.code})
            return redirect(reverse("children:group-list") + f"?year={to_year.code}")
    return render(request, "children/rollover.html", {
        "form": form, "school": school, "schools": choices, "from_year": from_year, "to_year": to_year,
        "new_groups": new_groups})


# --- rule warnings -----------------------------------------------------------------------------------


@login_required
def rule_warnings(request):
    """Class-size and school-size warnings of the schools in scope, with the principal's override form."""
    user = request.user
    if not scoping.is_admin(user) and scoping.roles_of(user) <= {Role.PARENT}:
        raise PermissionDenied
    year = year_from(request)
    schools = scoping.restrict(School.objects.select_related("unit"), user).order_by("unit__name")
    if request.GET.get("school", "").isdigit():
        schools = schools.filter(pk=request.GET["school"])
    schools = list(schools[:500])
    school_rows, group_rows = [], []
    if year is not None and schools:
        by_school = selectors.school_warnings(schools, year)
        groups = selectors.groups_with_counts(
            scoping.restrict(Group.objects.filter(school__in=schools, school_year=year, active=True), user)
        ).order_by("school__unit__name", "age_band", "name")
        checks = selectors.group_checks(groups)
        principal_of = set(selectors.managed_school_ids(user, {Role.PRINCIPAL}))
        admin = scoping.is_admin(user)
        school_rows = [(s, by_school[s.pk], admin or s.pk in principal_of) for s in schools if by_school.get(s.pk)]
        group_rows = [(g, checks[g.pk].warnings, admin or g.school_id in principal_of)
                      for g in groups if checks[g.pk].warnings]
    return render(request, "children/warnings.html", {
        "year": year, "years": SchoolYear.objects.order_by("-start_date"), "school_rows": school_rows,
        "group_rows": group_rows, "override_form": cforms.OverrideForm()})


@login_required
def rule_override(request):
    """POST: the principal records why a warning is accepted (RuleOverride)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = cforms.OverrideForm(request.POST)
    back = request.POST.get("next") or reverse("children:rule-warnings")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("children:rule-warnings")
    if not form.is_valid():
        messages.error(request, _("Reason: write why you keep the group or school past the limit."))
        return redirect(back)
    d = form.cleaned_data
    school = scoping.get_or_404(School.objects.all(), request.user, pk=d["school"])
    group = None
    if d.get("group"):
        group = scoping.get_or_404(Group.objects.filter(school=school), request.user, pk=d["group"])
    try:
        services.rule_override(actor=request.user, school=school, group=group, rule_code=d["code"],
                               reason=d["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The decision and its reason are recorded."))
    return redirect(back)

