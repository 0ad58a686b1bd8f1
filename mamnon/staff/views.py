"""Pages of the staff domain. Thin: forms validate, services write, selectors read, scoping decides.

Staff rows come through ``org.Staff``'s scoping; their HR details, ratings and training through their own
(school managers and the offices above; a person her own). Writes are for the school's managers (the
principal decides ratings; a principal's standard rating is decided by the managing office).
"""

from __future__ import annotations

import base64
import io
from collections import Counter

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamnon.calc import staff_standards as ss
from mamnon.children.models import Group, GroupTeacher
from mamnon.children.selectors import current_school_year
from mamnon.core import scoping
from mamnon.core.pages import apply_errors
from mamnon.org.models import OrgUnit, SchoolYear, Staff
from mamnon.staff import forms as sforms
from mamnon.staff import roster, selectors, services
from mamnon.staff.criteria import TT25_NAMES, TT26_NAMES
from mamnon.staff.models import AnnualRating, StaffRecord, StandardRating, Training

PAGE_SIZE = 50
STATUS_LABELS = {
    ss.MEETS: gettext_lazy("meets the standard"),
    ss.IN_TRAINING: gettext_lazy("in upgrading training"),
    ss.ROADMAP: gettext_lazy("to upgrade (roadmap)"),
    ss.EXEMPT: gettext_lazy("exempt (near retirement)"),
    ss.BELOW: gettext_lazy("below the standard"),
    ss.NOT_APPLICABLE: "",
}


def _status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, ""))


def _require_records(user) -> None:
    if not selectors.can_view_records(user):
        raise PermissionDenied


# --- list ----------------------------------------------------------------------------------------------


@login_required
def staff_list(request):
    """School staff in scope with their training level and standard status, a summary, filters and export."""
    _require_records(request.user)
    base = selectors.school_staff(request.user).filter(active=True)
    schools = selectors.schools_under(request.user).order_by("unit__name")
    school_id = request.GET.get("school")
    if school_id and school_id.isdigit():
        base = base.filter(unit_id=int(school_id))
    position = request.GET.get("position")
    if position in Staff.Position.values:
        base = base.filter(position=position)
    q = request.GET.get("q", "").strip()
    if q:
        base = base.filter(full_name__icontains=q)
    base = base.order_by("unit__name", "position", "full_name", "pk")
    summary = _summary(request.user, base)
    page = Paginator(base, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    records = selectors.visible_records(request.user, [s.pk for s in rows])
    status = selectors.statuses(rows, records)
    table = [(s, records.get(s.pk), status[s.pk], _status_label(status[s.pk].status)) for s in rows]
    ctx = {"page": page, "rows": table, "summary": summary, "schools": schools[:300], "school_id": school_id,
           "positions": Staff.Position.choices, "position": position, "q": q,
           "can_create": bool(selectors.managed_school_ids(request.user)) or scoping.is_admin(request.user)}
    template = "staff/staff_table.html" if request.headers.get("HX-Request") else "staff/staff_list.html"
    return render(request, template, ctx)


def _summary(user, qs) -> dict:
    """Counts by status for the whole filtered list: the columns in one query, the status computed on arrays."""
    visible = scoping.restrict(StaffRecord.objects.all(), user).values("pk")
    rows = list(qs.values_list("pk", "position", "record__training_level", "record__preschool_pedagogy",
                               "record__hired_on", "record__birth_date", "record__sex", "record__in_upgrade_training",
                               "record__upgraded_under_roadmap").filter(Q(record__isnull=True) | Q(pk__in=visible)))
    if not rows:
        return {"total": 0, "counts": [], "progress": None}
    cols = list(zip(*rows, strict=True))
    rules = selectors.standard_rules(on=selectors.today())

    def dates(values):
        return np.array([d if d is not None else "NaT" for d in values], dtype="datetime64[D]")

    st = ss.standard_status(
        level=np.array([v or 0 for v in cols[2]]), pedagogy=np.array([bool(v) for v in cols[3]]),
        hired_on=dates(cols[4]), birth=dates(cols[5]), male=np.array([v == "M" for v in cols[6]]),
        in_training=np.array([bool(v) for v in cols[7]]),
        covered=np.isin(np.array(cols[1], dtype=object), list(selectors.COVERED_POSITIONS)),
        on=selectors.today(), rules=rules)
    counts = Counter(st.tolist())
    done, covered = ss.roadmap_progress(st, np.array([bool(v) for v in cols[8]]))
    return {"total": len(rows),
            "counts": [(_status_label(code), counts[code]) for code in ss.STATUSES
                       if code != ss.NOT_APPLICABLE and counts[code]],
            "progress": (done, covered) if covered else None}


# --- detail --------------------------------------------------------------------------------------------


def _staff_or_404(request, pk) -> Staff:
    staff = scoping.get_or_404(selectors.school_staff(request.user), request.user, pk=pk)
    own = staff.user_id == request.user.pk
    if not own:
        _require_records(request.user)
    return staff


@login_required
def staff_detail(request, pk):
    staff = _staff_or_404(request, pk)
    user = request.user
    record = selectors.visible_records(user, [staff.pk]).get(staff.pk)
    status = selectors.statuses([staff], {staff.pk: record} if record else {})[staff.pk]
    ratings = scoping.restrict(StandardRating.objects.filter(staff=staff), user).select_related(
        "school_year", "decided_by")
    annual = scoping.restrict(AnnualRating.objects.filter(staff=staff), user).select_related("school_year")
    trainings = scoping.restrict(Training.objects.filter(staff=staff), user)
    assignments = GroupTeacher.objects.filter(
        staff=staff, group__in=scoping.restrict(Group.objects.all(), user)).select_related(
        "group", "group__school_year").order_by("-group__school_year__start_date", "group__name")
    can_manage = selectors.is_school_manager(user, staff.unit_id)
    return render(request, "staff/staff_detail.html", {
        "staff": staff, "record": record, "status": status, "status_label": _status_label(status.status),
        "ratings": ratings, "annual": annual, "trainings": trainings, "assignments": assignments,
        "can_manage": can_manage, "own": staff.user_id == user.pk,
        "standard": _standard_of(staff),
    })


def _standard_of(staff: Staff) -> str | None:
    if staff.position in selectors.MANAGER_POSITIONS:
        return StandardRating.Standard.PRINCIPAL
    if staff.position == Staff.Position.TEACHER:
        return StandardRating.Standard.TEACHER
    return None


# --- forms ---------------------------------------------------------------------------------------------


def _record_initial(staff: Staff) -> dict:
    record = StaffRecord.objects.filter(pk=staff.pk).first()
    out = {k: getattr(staff, k) for k in services.STAFF_FIELDS}
    if record is not None:
        out.update({k: getattr(record, k) for k in services.RECORD_FIELDS})
    return out


def _record_form(request, staff=None):
    schools = selectors.managed_schools(request.user)
    if staff is None and not schools.exists():
        raise PermissionDenied
    if staff is not None and not selectors.is_school_manager(request.user, staff.unit_id):
        raise PermissionDenied
    form = sforms.StaffRecordForm(request.POST or None, schools=schools, staff=staff,
                                  initial=_record_initial(staff) if staff else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        school = data.pop("school", None)
        try:
            record = services.record_save(actor=request.user, school=school, staff=staff, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:staff-detail", pk=record.pk)
    return render(request, "staff/form.html", {"form": form, "staff": staff,
                                               "title": _("Edit staff record") if staff else _("New staff member")})


@login_required
def staff_create(request):
    return _record_form(request)


@login_required
def staff_edit(request, pk):
    return _record_form(request, _staff_or_404(request, pk))


@login_required
def training_add(request, pk):
    staff = _staff_or_404(request, pk)
    if not selectors.is_school_manager(request.user, staff.unit_id):
        raise PermissionDenied
    form = sforms.TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_add(actor=request.user, staff=staff, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:staff-detail", pk=staff.pk)
    return render(request, "staff/form.html", {"form": form, "staff": staff, "title": _("Add a training")})


@login_required
def annual_rating(request, pk):
    staff = _staff_or_404(request, pk)
    if not selectors.is_school_manager(request.user, staff.unit_id):
        raise PermissionDenied
    form = sforms.AnnualRatingForm(request.POST or None, initial={"school_year": current_school_year()})
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_rating_set(actor=request.user, staff=staff, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Only the school's principal may decide this."))
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:staff-detail", pk=staff.pk)
    return render(request, "staff/form.html", {"form": form, "staff": staff, "title": _("Annual rating")})


@login_required
def rating(request, pk, step):
    """``step`` is ``self`` (the person, or a manager typing in her paper form) or ``decide``."""
    staff = _staff_or_404(request, pk)
    standard = _standard_of(staff)
    if standard is None or step not in ("self", "decide"):
        raise Http404
    year = SchoolYear.objects.filter(pk=request.POST.get("school_year") or request.GET.get("year") or 0).first()
    year = year or current_school_year()
    spec = selectors.rating_spec(standard, on=year.end_date if year else selectors.today())
    existing = StandardRating.objects.filter(staff=staff, school_year=year, standard=standard).first()
    initial = {"school_year": year}
    source = (existing.levels or existing.self_levels) if existing and step == "decide" else (
        existing.self_levels if existing else [])
    initial.update({f"c{n}": str(v) for n, v in enumerate(source or [], start=1)})
    names = TT26_NAMES if standard == StandardRating.Standard.TEACHER else TT25_NAMES
    form = sforms.RatingForm(request.POST or None, criteria=spec.criteria, names=names, decide=step == "decide",
                             initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if step == "self":
                services.rating_self_assess(actor=request.user, staff=staff, school_year=form.cleaned_data[
                    "school_year"], standard=standard, levels=form.levels())
            else:
                services.rating_decide(actor=request.user, staff=staff, school_year=form.cleaned_data["school_year"],
                                       standard=standard, levels=form.levels(),
                                       note=form.cleaned_data.get("note", ""))
        except ValidationError as exc:
            form.add_error(None, [m for msgs in exc.message_dict.values() for m in msgs]
                           if hasattr(exc, "error_dict") else exc.messages)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:staff-detail", pk=staff.pk)
    title = _("Self-assessment") if step == "self" else _("Rating decision")
    return render(request, "staff/rating_form.html", {"form": form, "staff": staff, "title": title,
                                                      "standard": StandardRating.Standard(standard).label,
                                                      "existing": existing})


@login_required
def assign(request, pk):
    staff = _staff_or_404(request, pk)
    if not selectors.is_school_manager(request.user, staff.unit_id):
        raise PermissionDenied
    year = current_school_year()
    groups = Group.objects.filter(school_id=staff.unit_id, school_year=year, active=True).select_related(
        "school_year").order_by("age_band", "name")
    form = sforms.AssignForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            services.teacher_assign(actor=request.user, staff=staff, group=form.cleaned_data["group"],
                                    lead=form.cleaned_data["lead"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:staff-detail", pk=staff.pk)
    return render(request, "staff/form.html", {"form": form, "staff": staff, "title": _("Assign to a group")})


# --- norms ---------------------------------------------------------------------------------------------


@login_required
def norms(request):
    """Teacher norm (TT 19/2023) against teachers on staff, per school in scope and rolled up."""
    _require_records(request.user)
    schools = selectors.schools_under(request.user)
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = scoping.restrict(OrgUnit.objects.all(), request.user).filter(pk=int(request.GET["unit"])).first()
        if unit is None:
            raise Http404
        schools = schools.filter(unit__path__startswith=unit.path)
    year = SchoolYear.objects.filter(code=request.GET.get("year", "")).first() or current_school_year()
    rows = selectors.norms(schools.values("pk"), year=year, unit=unit) if year else []
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/norms.html", {
        "page": page, "total": selectors.rollup(rows), "year": year, "unit": unit,
        "years": SchoolYear.objects.order_by("-start_date"), "count": len(rows),
    })


# --- Excel ---------------------------------------------------------------------------------------------

IMPORT_SESSION_KEY = "staff_import"


@login_required
def export(request):
    """The staff list (.xlsx, sector-database layout) of one school (?school=) or of everything in scope."""
    _require_records(request.user)
    qs = selectors.school_staff(request.user).filter(active=True)
    title = _("Staff list")
    if request.GET.get("school", "").isdigit():
        school = selectors.schools_under(request.user).filter(pk=int(request.GET["school"])).first()
        if school is None:
            raise Http404
        qs = qs.filter(unit_id=school.pk)
        title = f"{title} – {school.unit.name}"
    else:
        qs = qs.filter(unit__in=selectors.schools_under(request.user).values("pk"))
    data = roster.export_xlsx(qs, user=request.user, title=title)
    response = HttpResponse(data, content_type=roster.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="danh-sach-can-bo.xlsx"'
    return response


@login_required
def import_staff(request):
    """Upload, check (nothing written), then confirm: all rows or none."""
    schools = selectors.managed_schools(request.user)
    if not schools.exists():
        raise PermissionDenied
    form = sforms.ImportForm(request.POST or None, request.FILES or None, schools=schools)
    ctx = {"form": form, "errors": [], "preview": None}
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.get(IMPORT_SESSION_KEY)
        school = schools.filter(pk=(pending or {}).get("school")).first()
        if not pending or school is None:
            messages.error(request, _("Nothing to import: upload the file again."))
            return redirect("staff:import")
        try:
            result = roster.import_xlsx(io.BytesIO(base64.b64decode(pending["data"])), actor=request.user,
                                        school=school)
        except (roster.ImportRefused, roster.StaffFileError) as exc:
            ctx["errors"] = getattr(exc, "errors", [str(exc)])
        else:
            del request.session[IMPORT_SESSION_KEY]
            messages.success(request, _("Imported: %(created)d new, %(updated)d updated.") % {
                "created": result.created, "updated": result.updated})
            return redirect(f"{reverse('staff:staff-list')}?school={school.pk}")
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        school = form.cleaned_data["school"]
        if upload.size > roster.MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than %(mb)s MB.") % {
                "mb": roster.MAX_UPLOAD_BYTES // (1024 * 1024)})
        else:
            raw = upload.read()
            try:
                result = roster.import_xlsx(io.BytesIO(raw), actor=request.user, school=school, dry_run=True)
            except roster.ImportRefused as exc:
                ctx["errors"] = exc.errors
            except roster.StaffFileError as exc:
                form.add_error("file", str(exc))
            else:
                request.session[IMPORT_SESSION_KEY] = {"school": school.pk,
                                                       "data": base64.b64encode(raw).decode("ascii")}
                ctx["preview"] = {"school": school, "created": result.created, "updated": result.updated}
    return render(request, "staff/import.html", ctx)
