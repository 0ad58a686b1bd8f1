"""Facilities pages. Thin: forms validate, services write, selectors read; every object through core.scoping.

A principal lands on her school; an officer (or anyone reaching several schools) on the roll-up of the
schools he reaches, with totals, and opens each school from there.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamnon.children.models import AgeBand, Group
from mamnon.core import scoping
from mamnon.core.pages import apply_errors
from mamnon.facilities import catalogue, exports, selectors, services
from mamnon.facilities.forms import ProfileForm, RoomForm, StocktakeStartForm, UploadForm
from mamnon.facilities.models import (
    VIEW_ROLES,
    EquipmentItem,
    FacilityProfile,
    PurchasePlan,
    Room,
    Stocktake,
    StocktakeLine,
)
from mamnon.org.models import OrgUnit, School

PAGE_SIZE = 50


def _school(request, pk) -> School:
    school = selectors.schools_for(request.user).filter(pk=pk).first()
    if school is None:
        raise Http404
    return school


def _managed_school(request, pk) -> School:
    school = _school(request, pk)
    if not selectors.can_manage(request.user, school.pk):
        raise PermissionDenied
    return school


def _int(value, default=0) -> int:
    try:
        return int(str(value).strip() or default)
    except (TypeError, ValueError):
        return -1  # refused by the service with a message


# --- overview and school ---------------------------------------------------------------------------------------


@login_required
def home(request):
    schools = selectors.schools_for(request.user)
    count = schools.count()
    if count == 1:
        return redirect("facilities:school", pk=schools.first().pk)
    rows = selectors.school_rows(schools)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "facilities/home.html", {"page": page, "totals": selectors.totals(rows)})


@login_required
def school_detail(request, pk):
    school = _school(request, pk)
    day = selectors.today()
    year = selectors.current_school_year()
    row = selectors.school_rows([school], day=day, year=year)[0]
    rooms = list(scoping.restrict(Room.objects.filter(school=school), request.user)
                 .select_related("site", "group", "school__unit"))
    small = selectors.room_checks(rooms, day=day)
    groups = list(scoping.restrict(Group.objects.filter(school=school, school_year=year, active=True),
                                   request.user).order_by("age_band", "name")) if year else []
    status = selectors.equipment_by_group(year, day, [school.pk]) if year else {}
    ctx = {
        "school": school, "row": row, "year": year,
        "rooms": [(r, small.get(r.pk, False)) for r in rooms],
        "groups": [(g, *status.get(g.pk, (0, 0))) for g in groups],
        "can_manage": selectors.can_manage(request.user, school.pk),
        "stocktakes": scoping.restrict(Stocktake.objects.filter(school=school), request.user)[:5],
        "plans": scoping.restrict(PurchasePlan.objects.filter(school=school), request.user)[:5],
    }
    return render(request, "facilities/school.html", ctx)


@login_required
def profile_edit(request, pk):
    school = _managed_school(request, pk)
    profile = FacilityProfile.objects.filter(school=school).first() or FacilityProfile(school=school)
    form = ProfileForm(request.POST or None, instance=profile, initial={"website": school.website})
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.PROFILE_FIELDS}
        try:
            services.profile_update(school=school, actor=request.user, website=form.cleaned_data["website"],
                                    **values)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Facility profile saved."))
            return redirect("facilities:school", pk=school.pk)
    return render(request, "facilities/form.html", {"form": form, "school": school,
                                                    "title": _("Facility profile")})


@login_required
def room_create(request, pk):
    school = _managed_school(request, pk)
    form = RoomForm(request.POST or None, school=school, year=selectors.current_school_year())
    if request.method == "POST" and form.is_valid():
        try:
            services.room_create(school=school, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Room added."))
            return redirect("facilities:school", pk=school.pk)
    return render(request, "facilities/form.html", {"form": form, "school": school, "title": _("New room")})


@login_required
def room_edit(request, pk):
    room = scoping.get_or_404(Room.objects.select_related("school__unit"), request.user, scoping.CHANGE, pk=pk)
    form = RoomForm(request.POST or None, instance=room, school=room.school, year=selectors.current_school_year())
    if request.method == "POST":
        if request.POST.get("delete"):
            services.room_delete(room=room, actor=request.user)
            messages.success(request, _("Room removed."))
            return redirect("facilities:school", pk=room.school_id)
        if form.is_valid():
            try:
                services.room_update(room=room, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Room saved."))
                return redirect("facilities:school", pk=room.school_id)
    return render(request, "facilities/form.html", {"form": form, "school": room.school, "title": room.name,
                                                    "deletable": True})


# --- equipment -------------------------------------------------------------------------------------------------


@login_required
def group_equipment(request, pk):
    # The school's staff and the offices above it (teachers: their groups); parents never.
    group = scoping.groups_reached(request.user, VIEW_ROLES).select_related("school__unit").filter(pk=pk).first()
    if group is None:
        raise Http404
    can_edit = selectors.can_manage(request.user, group.school_id)
    errors = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        counts = {}
        for key, value in request.POST.items():
            if key.startswith("q-"):
                item_id = _int(key[2:])
                counts[item_id] = (_int(value), _int(request.POST.get(f"d-{key[2:]}", 0)))
        try:
            services.inventory_set(group=group, actor=request.user, counts=counts)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Equipment saved."))
            return redirect("facilities:group-equipment", pk=group.pk)
    lines = selectors.group_lines([group], day=selectors.today())[group.pk]
    return render(request, "facilities/group_equipment.html", {
        "group": group, "lines": lines, "can_edit": can_edit, "errors": errors,
        "short": [ln for ln in lines if ln.short]})


@login_required
def catalogue_list(request):
    items = scoping.restrict(EquipmentItem.objects.filter(active=True), request.user)
    band = request.GET.get("band") or ""
    if band:
        items = items.filter(age_band=band)
    bands = [(b.value, b.label) for b in AgeBand if b.value in catalogue.BAND_LABELS]
    form = UploadForm()
    plan_errors: list[str] = []
    if request.method == "POST":
        if not scoping.is_admin(request.user):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                plan = catalogue.build_plan(upload, filename=upload.name)
            except catalogue.CatalogueFileError as exc:
                form.add_error("file", str(exc))
            else:
                if plan.ok:
                    created, updated = catalogue.catalogue_import(plan=plan, actor=request.user)
                    messages.success(request, _("Imported: %(c)s new items, %(u)s updated.") % {
                        "c": created, "u": updated})
                    return redirect("facilities:catalogue")
                plan_errors = [i.message for i in plan.errors]
    page = Paginator(items.order_by("age_band", "category", "code"), 100).get_page(request.GET.get("page"))
    return render(request, "facilities/catalogue.html", {
        "page": page, "bands": bands, "band": band, "form": form, "plan_errors": plan_errors,
        "can_import": scoping.is_admin(request.user)})


@login_required
def catalogue_template(request):
    response = HttpResponse(catalogue.template_workbook(), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="danh-muc-thiet-bi-mau.xlsx"'
    return response


# --- stocktake ------------------------------------------------------------------------------------------------


@login_required
def stocktake_start(request, pk):
    school = _managed_school(request, pk)
    year = selectors.current_school_year()
    form = StocktakeStartForm(request.POST or None, initial={"day": selectors.today()})
    if request.method == "POST" and form.is_valid():
        if year is None:
            form.add_error(None, _("There is no current school year."))
        else:
            try:
                take = services.stocktake_start(school=school, year=year, actor=request.user,
                                                **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("facilities:stocktake", pk=take.pk)
    return render(request, "facilities/form.html", {"form": form, "school": school, "title": _("New stocktake")})


@login_required
def stocktake_detail(request, pk):
    take = scoping.get_or_404(Stocktake.objects.select_related("school__unit", "school_year"), request.user,
                              scoping.VIEW, pk=pk)
    can_edit = take.is_open and selectors.can_manage(request.user, take.school_id)
    lines = scoping.restrict(StocktakeLine.objects.filter(stocktake=take), request.user)
    group_ids = sorted(set(lines.values_list("group_id", flat=True)))
    groups = list(Group.objects.filter(pk__in=group_ids).order_by("age_band", "name"))
    chosen = next((g for g in groups if str(g.pk) == request.GET.get("group", request.POST.get("group"))), None)
    errors = []
    if request.method == "POST":
        if not can_edit or chosen is None:
            raise PermissionDenied
        counts = {}
        for key, value in request.POST.items():
            if key.startswith("c-") and str(value).strip() != "":
                counts[_int(key[2:])] = (_int(value), _int(request.POST.get(f"d-{key[2:]}", 0)))
        try:
            services.stocktake_count(stocktake=take, group=chosen, actor=request.user, counts=counts)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Counts saved for %(group)s.") % {"group": chosen.name})
            return redirect(f"{request.path}?group={chosen.pk}")
    sheet = (lines.filter(group=chosen).select_related("item").order_by("item__category", "item__code")
             if chosen else [])
    progress = dict(lines.filter(counted__isnull=False).values("group_id").annotate(c=Count("id"))
                    .values_list("group_id", "c"))
    return render(request, "facilities/stocktake.html", {
        "take": take, "groups": [(g, progress.get(g.pk, 0)) for g in groups], "chosen": chosen, "sheet": sheet,
        "can_edit": can_edit, "errors": errors})


@login_required
@require_POST
def stocktake_close(request, pk):
    take = scoping.get_or_404(Stocktake.objects.select_related("school"), request.user, scoping.CHANGE, pk=pk)
    try:
        n = services.stocktake_close(stocktake=take, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Stocktake closed: %(n)s inventory lines updated.") % {"n": n})
    return redirect("facilities:stocktake", pk=take.pk)


# --- purchase plans --------------------------------------------------------------------------------------------


@login_required
def plan_create(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    school = _managed_school(request, pk)
    year = selectors.current_school_year()
    if year is None:
        raise Http404
    try:
        plan = services.purchase_plan_from_shortfalls(school=school, year=year, actor=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
        return redirect("facilities:school", pk=school.pk)
    return redirect("facilities:plan", pk=plan.pk)


@login_required
def plan_detail(request, pk):
    plan = scoping.get_or_404(PurchasePlan.objects.select_related("school__unit", "school_year"), request.user,
                              scoping.VIEW, pk=pk)
    can_edit = selectors.can_manage(request.user, plan.school_id)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        prices = {}
        for key, value in request.POST.items():
            if key.startswith("p-"):
                try:
                    prices[_int(key[2:])] = Decimal(value.replace(".", "").replace(",", "")) if value.strip() else None
                except InvalidOperation:
                    messages.error(request, _("“%(v)s” is not an amount in đồng.") % {"v": value})
                    return redirect("facilities:plan", pk=plan.pk)
        try:
            services.purchase_plan_prices(plan=plan, actor=request.user, prices=prices)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Prices saved."))
        return redirect("facilities:plan", pk=plan.pk)
    lines = list(plan.lines.select_related("item").order_by("item__age_band", "item__code"))
    total = sum((ln.unit_price * ln.quantity for ln in lines if ln.unit_price is not None), Decimal(0))
    return render(request, "facilities/plan.html", {"plan": plan, "lines": lines, "total": total,
                                                    "can_edit": can_edit})


@login_required
def plan_download(request, pk):
    plan = scoping.get_or_404(PurchasePlan.objects.select_related("school__unit"), request.user, scoping.VIEW, pk=pk)
    response = HttpResponse(exports.plan_xlsx(plan), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-mua-sam-{plan.pk}.xlsx"'
    return response


@login_required
def summary_download(request):
    schools = selectors.schools_for(request.user)
    day = selectors.today()
    rows = selectors.school_rows(schools, day=day)
    paths = scoping.scope_paths(request.user)
    top = OrgUnit.objects.filter(path=paths[0]).first() if len(paths) == 1 and not scoping.is_admin(request.user) \
        else None
    unit_name = top.name if top is not None else _("All units")
    response = HttpResponse(exports.summary_xlsx(rows, unit_name=unit_name, day=day), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="co-so-vat-chat-{day:%Y%m%d}.xlsx"'
    return response
