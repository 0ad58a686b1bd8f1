"""Pages of programmes (chuyên đề, đề án, mô hình điểm): define, register, send evidence, score; initiatives and
the library. Every object is reached through core.scoping; files are served only by the scoped views here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamnon.core import clock, scoping
from mamnon.core.pages import apply_errors
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_STAFF_ROLES
from mamnon.org.models import OrgUnit
from mamnon.reporting import programmes as svc
from mamnon.reporting import uploads
from mamnon.reporting.forms import InitiativeForm, ProgrammeForm, RegistrationForm
from mamnon.reporting.models import REPORT_ROLES, Evidence, Initiative, Programme, Registration

LIBRARY_ROLES = OFFICER_ROLES | SCHOOL_STAFF_ROLES


def _require(user, roles):
    if not (scoping.is_admin(user) or scoping.roles_of(user) & set(roles)):
        raise Http404


def _errors_to_messages(request, exc: ValidationError):
    for m in exc.messages:
        messages.error(request, m)


def _own_offices(user):
    """The offices where the user may create programmes (her own, as an officer)."""
    if scoping.is_admin(user):
        return OrgUnit.objects.filter(level__is_school=False).select_related("level").order_by("path")[:50]
    ids = [g.unit_id for g in scoping.grants(user) if g.role in OFFICER_ROLES]
    return OrgUnit.objects.filter(pk__in=ids, level__is_school=False).select_related("level").order_by("path")


@login_required
def programme_list(request):
    user = request.user
    _require(user, REPORT_ROLES)
    offices = list(_own_offices(user))
    office = offices[0] if offices else None
    raw = request.POST.get("office") or request.GET.get("office")
    if raw:
        office = next((o for o in offices if str(o.pk) == raw), None)
        if office is None:
            raise Http404
    form = ProgrammeForm(request.POST or None, unit=office) if office is not None else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                programme = svc.programme_create(actor=user, unit=office, **data)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Programme created; the units below can register until %(date)s.")
                                 % {"date": f"{programme.registration_deadline:%d/%m/%Y}"})
                return redirect("reporting:programme-detail", pk=programme.pk)
    items = list(Programme.objects.for_user(user).select_related("unit", "school_year", "target_level"))
    mine = set(Registration.objects.for_user(user).filter(programme__in=items).values_list("programme_id", flat=True))
    today = clock.today()
    for p in items:
        p.registered = p.pk in mine
        p.open = p.active and today <= p.registration_deadline
    return render(request, "reporting/programmes/list.html", {"programmes": items, "form": form, "offices": offices,
                                                               "office": office, "today": today})


def _programme(request, pk) -> Programme:
    _require(request.user, REPORT_ROLES)
    return scoping.get_or_404(Programme.objects.select_related("unit__level", "school_year", "target_level"),
                              request.user, pk=pk)


@login_required
def programme_detail(request, pk):
    user = request.user
    programme = _programme(request, pk)
    today = clock.today()
    units = svc.registering_units(user, programme)
    form = RegistrationForm(request.POST or None, units=units) if units.exists() else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                registration = svc.registration_create(actor=user, programme=programme, **data)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                apply_errors(form, exc, {"programme": "__all__"})
            else:
                messages.success(request, _("Registered. Send the evidence on the registration's page."))
                return redirect("reporting:registration-detail", pk=registration.pk)
    registrations = list(svc.with_totals(Registration.objects.for_user(user).filter(programme=programme)
                                         .select_related("unit")).order_by("unit__name"))
    maximum = svc.programme_maximum(programme)
    for r in registrations:
        r.percent = svc.percent(r.total, maximum)
    return render(request, "reporting/programmes/detail.html", {
        "programme": programme, "criteria": programme.criteria.all(), "registrations": registrations,
        "maximum": maximum, "form": form, "open": programme.active and today <= programme.registration_deadline,
        "can_run": scoping.can_run_programme(user, programme.unit), "today": today,
    })


def _registration(request, pk, action=scoping.VIEW) -> Registration:
    _require(request.user, REPORT_ROLES)
    return scoping.get_or_404(Registration.objects.select_related("programme__unit__level", "unit__level",
                                                                  "registered_by"), request.user, action, pk=pk)


def _registration_context(request, registration, score_errors=None, posted=None):
    user = request.user
    scores = {s.criterion_id: s for s in registration.scores.all()}
    rows = []
    for c in registration.programme.criteria.all():
        s = scores.get(c.pk)
        value = (posted or {}).get(str(c.pk), s.score if s else "")
        rows.append({"criterion": c, "score": s, "value": value, "comment": s.comment if s else "",
                     "error": (score_errors or {}).get(f"criterion_{c.pk}")})
    total = svc.with_totals(Registration.objects.filter(pk=registration.pk)).values_list("total", flat=True)[0]
    maximum = svc.programme_maximum(registration.programme)
    return {
        "registration": registration, "programme": registration.programme, "rows": rows,
        "evidence": registration.evidence.select_related("uploaded_by"), "total": total, "maximum": maximum,
        "percent": svc.percent(total, maximum),
        "can_upload": scoping.can_fill_report(user, registration.unit) and registration.programme.active,
        "can_score": scoping.can_run_programme(user, registration.programme.unit),
        "limits": [(k, v["extensions"], uploads._mb(v["max_bytes"])) for k, v in uploads.limits().items()],
        "accept": ",".join(f".{e}" for v in uploads.limits().values() for e in v["extensions"]),
    }


@login_required
def registration_detail(request, pk):
    registration = _registration(request, pk)
    return render(request, "reporting/programmes/registration.html", _registration_context(request, registration))


@login_required
@require_POST
def registration_evidence(request, pk):
    """Upload files (several at once): all are stored, or none with a message naming each bad file."""
    registration = _registration(request, pk)
    try:
        made = svc.evidence_add(actor=request.user, registration=registration, files=request.FILES.getlist("files"),
                                caption=request.POST.get("caption", ""))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        messages.error(request, _("Nothing was stored."))
    else:
        messages.success(request, _("%(n)d file(s) stored.") % {"n": len(made)})
    if request.headers.get("HX-Request"):
        context = {**_registration_context(request, registration), "partial": True}
        return render(request, "reporting/programmes/_evidence.html", context)
    return redirect("reporting:registration-detail", pk=registration.pk)


@login_required
@require_POST
def registration_scores(request, pk):
    registration = _registration(request, pk)
    if not scoping.can_run_programme(request.user, registration.programme.unit):
        raise Http404
    criteria = list(registration.programme.criteria.all())
    scores = {str(c.pk): request.POST.get(f"score_{c.pk}", "") for c in criteria}
    comments = {str(c.pk): request.POST.get(f"comment_{c.pk}", "") for c in criteria}
    try:
        svc.scores_set(actor=request.user, registration=registration, scores=scores, comments=comments)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, _("No score was saved: correct the scores marked below."))
        context = _registration_context(request, registration, exc.message_dict, scores)
        return render(request, "reporting/programmes/registration.html", context, status=200)
    messages.success(request, _("Scores saved."))
    return redirect("reporting:registration-detail", pk=registration.pk)


def _serve(record, download_name: str, content_type: str, extension: str):
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, as_attachment=extension not in uploads.INLINE,
                            filename=download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evidence_file(request, pk):
    """An evidence file, for the people who may see the registration (never a public URL)."""
    _require(request.user, REPORT_ROLES)
    evidence = scoping.get_or_404(Evidence.objects.all(), request.user, pk=pk)
    ext = evidence.file.name.rsplit(".", 1)[-1].lower()
    return _serve(evidence, evidence.original_name, evidence.content_type, ext)


@login_required
@require_POST
def evidence_delete(request, pk):
    _require(request.user, REPORT_ROLES)
    evidence = scoping.get_or_404(Evidence.objects.select_related("registration"), request.user, scoping.CHANGE,
                                  pk=pk)
    try:
        svc.evidence_delete(actor=request.user, evidence=evidence)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("File removed."))
    return redirect("reporting:registration-detail", pk=evidence.registration_id)


# --- initiatives and the library ------------------------------------------------------------------------


def _submitting_units(user):
    if scoping.is_admin(user):
        return OrgUnit.objects.filter(level__is_school=True).order_by("name")[:200]
    ids = [g.unit_id for g in scoping.grants(user) if g.role in scoping.SCHOOL_MANAGER_ROLES | OFFICER_ROLES]
    return OrgUnit.objects.filter(pk__in=ids).order_by("name")


@login_required
def initiative_list(request):
    """The initiatives of the user's units and (for officers) of the units below, with the library choice."""
    user = request.user
    _require(user, REPORT_ROLES)
    units = _submitting_units(user)
    programmes = Programme.objects.for_user(user).filter(active=True)
    form = InitiativeForm(request.POST or None, units=units, programmes=programmes)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                svc.initiative_submit(actor=user, file=request.FILES.get("file"), **data)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Initiative submitted to the offices above."))
                return redirect("reporting:initiative-list")
    items = list(scoping.restrict(Initiative.objects.all(), user, scoping.VIEW)
                 .filter(_own_subtree_q(user)).select_related("unit", "library_unit", "programme")[:300])
    for item in items:
        item.offices = svc.library_offices(user, item)
    return render(request, "reporting/programmes/initiatives.html", {"items": items, "form": form})


def _own_subtree_q(user):
    """Initiatives written in the user's subtree (the library of offices above is the library page's)."""
    from django.db.models import Q

    if scoping.is_admin(user):
        return Q()
    q = Q(pk__in=[])
    for path in scoping.scope_paths(user, REPORT_ROLES):
        q |= Q(unit__path__startswith=path)
    return q


@login_required
@require_POST
def initiative_select(request, pk):
    user = request.user
    _require(user, OFFICER_ROLES)
    initiative = scoping.get_or_404(Initiative.objects.select_related("unit", "library_unit"), user, pk=pk)
    raw = request.POST.get("library", "")
    office = None
    if raw:
        office = next((o for o in svc.library_offices(user, initiative) if str(o.pk) == raw), None)
        if office is None:
            raise Http404
    try:
        svc.initiative_select(actor=user, initiative=initiative, library_unit=office)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Added to the library of %(office)s.") % {"office": office.name} if office
                     else _("Taken out of the library."))
    return redirect("reporting:initiative-list")


@login_required
def initiative_file(request, pk):
    _require(request.user, LIBRARY_ROLES)
    initiative = scoping.get_or_404(Initiative.objects.exclude(file=""), request.user, pk=pk)
    ext = initiative.file.name.rsplit(".", 1)[-1].lower()
    return _serve(initiative, initiative.original_name, initiative.content_type, ext)


@login_required
def library(request):
    """The shared library of initiatives (học liệu dùng chung) of the user's offices; htmx searches as one types."""
    user = request.user
    _require(user, LIBRARY_ROLES)
    query = request.GET.get("q", "")[:200]
    items = list(svc.library(user, query)[:200])
    template = "reporting/programmes/_library.html" if request.headers.get("HX-Request") else \
        "reporting/programmes/library.html"
    return render(request, template, {"items": items, "q": query})
