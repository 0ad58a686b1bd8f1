"""Pages of the kitchen: thin; forms validate, services write, selectors read, core.scoping decides access.

Each school page works on one school the user reaches with the page's roles (``?school=<id>``, else the first).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mamnon.core import clock, scoping
from mamnon.core.pages import apply_errors, chosen_school
from mamnon.core.roles import OFFICER_ROLES, Role
from mamnon.kitchen import forms as kforms
from mamnon.kitchen import importer, selectors, services
from mamnon.kitchen.models import (
    KITCHEN_READERS,
    KITCHEN_ROLES,
    Disclosure,
    Dish,
    Food,
    FoodPrice,
    Inspection,
    KitchenSetting,
    Menu,
    NormBand,
    Purchase,
    RetainedSample,
    StoreMove,
    Supplier,
    SupplierContract,
)
from mamnon.org.models import School

OFFICE_AND_KITCHEN = KITCHEN_ROLES | OFFICER_ROLES


def _schools(user, roles):
    return scoping.restrict_to_roles(School.objects.select_related("unit"), user, roles, "unit__path").order_by(
        "unit__name")


def _school(request, roles=OFFICE_AND_KITCHEN):
    """The school the page is about: ``school`` in the query or form, else the first the user reaches."""
    school, schools = chosen_school(request, _schools(request.user, roles))
    if school is None:
        raise Http404
    return school, schools


def _day(request, default=None) -> dt.date:
    form = kforms.DayForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("day"):
        return form.cleaned_data["day"]
    return default or clock.today()


def _back(name, school, **params):
    query = "&".join(f"{k}={v}" for k, v in {"school": school.pk, **params}.items())
    return redirect(f"{reverse(name)}?{query}")


def _may_write(user, school, roles=KITCHEN_ROLES) -> bool:
    return scoping.is_admin(user) or any(g.role in roles and school.unit.path.startswith(g.path)
                                         for g in scoping.grants(user))


# --- home, settings --------------------------------------------------------------------------------------


@login_required
def home(request):
    school, schools = _school(request, KITCHEN_READERS)
    today = clock.today()
    return render(request, "kitchen/home.html", {
        "school": school, "schools": schools, "today": today,
        "food_money": selectors.food_money(school=school, on=today),
        "contracts": selectors.expiring_contracts(school=school, today=today)
        if scoping.check(request.user, scoping.VIEW, school) else [],
        "menus": scoping.restrict(Menu.objects.filter(school=school, week_start__gte=selectors.monday(today)),
                                  request.user)[:6],
        "may_write": _may_write(request.user, school),
    })


@login_required
def settings_view(request):
    school, schools = _school(request)
    form = kforms.SettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.setting_set(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return _back("kitchen:settings", school)
    rows = scoping.restrict(KitchenSetting.objects.filter(school=school), request.user)
    return render(request, "kitchen/settings.html", {"school": school, "schools": schools, "form": form,
                                                     "rows": rows})


# --- foods, prices, import ------------------------------------------------------------------------------


@login_required
def food_list(request):
    school, schools = _school(request, KITCHEN_READERS)
    q = (request.GET.get("q") or "").strip()
    foods = scoping.restrict(Food.objects.all(), request.user)
    if q:
        foods = foods.filter(Q(name__icontains=q) | Q(code__iexact=q))
    prices = dict(scoping.restrict(FoodPrice.objects.filter(school=school), request.user)
                  .values_list("food_id", "price_per_kg"))
    return render(request, "kitchen/food_list.html", {
        "school": school, "schools": schools, "foods": foods[:300], "q": q, "prices": prices,
        "may_write": _may_write(request.user, school), "is_admin": scoping.is_admin(request.user)})


@login_required
def food_edit(request, pk=None):
    school, _schools_ = _school(request)
    food = scoping.get_or_404(Food.objects.all(), request.user, scoping.CHANGE, pk=pk) if pk else None
    form = kforms.FoodForm(request.POST or None, instance=food)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if obj.unit_id is None and not scoping.is_admin(request.user):
            obj.unit = school.unit
        if not _may_write(request.user, school, Food.scope_change_roles) and not scoping.is_admin(request.user):
            raise PermissionDenied
        obj.save()
        messages.success(request, _("Saved."))
        return _back("kitchen:foods", school)
    return render(request, "kitchen/form.html", {"school": school, "form": form, "title": _("Food"),
                                                 "back": reverse("kitchen:foods")})


@login_required
def price_edit(request, pk):
    school, _schools_ = _school(request)
    food = scoping.get_or_404(Food.objects.all(), request.user, pk=pk)
    current = FoodPrice.objects.filter(school=school, food=food).first()
    form = kforms.PriceForm(request.POST or None, school=school, user=request.user,
                            initial={"price_per_kg": current.price_per_kg, "supplier": current.supplier}
                            if current else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.price_set(actor=request.user, school=school, food=food, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return _back("kitchen:foods", school)
    return render(request, "kitchen/form.html", {"school": school, "form": form,
                                                 "title": _("Price of %(food)s") % {"food": food.name},
                                                 "back": reverse("kitchen:foods")})


@login_required
def food_import(request):
    school, _schools_ = _school(request, KITCHEN_READERS)
    form = kforms.ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        unit = None if scoping.is_admin(request.user) and request.POST.get("national") else school.unit
        try:
            created, updated = importer.foods_import(actor=request.user, data=upload.read(), filename=upload.name,
                                                     mapping=form.mapping(), unit=unit,
                                                     source=form.cleaned_data["source"])
        except importer.ImportFailed as exc:
            problems = exc.messages
        else:
            messages.success(request, _("%(created)s foods added, %(updated)s updated.") % {
                "created": created, "updated": updated})
            return _back("kitchen:foods", school)
    return render(request, "kitchen/import.html", {"school": school, "form": form, "problems": problems,
                                                   "is_admin": scoping.is_admin(request.user)})


# --- dishes -----------------------------------------------------------------------------------------------


@login_required
def dish_list(request):
    school, schools = _school(request, KITCHEN_READERS)
    form = kforms.DishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dish = services.dish_create(actor=request.user, school=school, **form.cleaned_data)
        return redirect(f"{reverse('kitchen:dish', args=[dish.pk])}?school={school.pk}")
    dishes = scoping.restrict(Dish.objects.all(), request.user)
    return render(request, "kitchen/dish_list.html", {"school": school, "schools": schools, "dishes": dishes,
                                                      "form": form, "may_write": _may_write(request.user, school)})


@login_required
def dish_detail(request, pk):
    school, _schools_ = _school(request, KITCHEN_READERS)
    dish = scoping.get_or_404(Dish.objects.all(), request.user, pk=pk)
    may = scoping.check(request.user, scoping.CHANGE, dish)
    form = kforms.IngredientForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.ingredient_add(actor=request.user, dish=dish, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect(f"{reverse('kitchen:dish', args=[dish.pk])}?school={school.pk}")
    rows = dish.ingredients.select_related("food").order_by("band", "food__name")
    return render(request, "kitchen/dish_detail.html", {"school": school, "dish": dish, "rows": rows, "form": form,
                                                        "may_write": may})


# --- menus ------------------------------------------------------------------------------------------------


@login_required
def menu_list(request):
    school, schools = _school(request, KITCHEN_READERS)
    form = kforms.MenuCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        menu = services.menu_create(actor=request.user, school=school, **form.cleaned_data)
        return redirect("kitchen:menu", menu.pk)
    menus = scoping.restrict(Menu.objects.filter(school=school), request.user)[:60]
    return render(request, "kitchen/menu_list.html", {"school": school, "schools": schools, "menus": menus,
                                                      "form": form, "may_write": _may_write(request.user, school)})


def _menu_context(request, menu, **extra):
    items = list(menu.items.select_related("dish").order_by("weekday", "meal", "id"))
    grid = {}
    for it in items:
        grid.setdefault(it.weekday, {}).setdefault(it.get_meal_display(), []).append(it)
    days = selectors.analyse_menu(menu)
    return {"menu": menu, "school": menu.school, "grid": sorted(grid.items()), "days": days,
            "weekdays": dict(kforms.WEEKDAYS), "may_write": scoping.check(request.user, scoping.CHANGE, menu),
            "deadline": selectors.publish_deadline(menu.week_start, unit=menu.school.unit),
            "may_approve": services.may_approve_menu(request.user, menu.school),
            "basis": selectors.norm_basis(menu.band, on=menu.week_start),
            "item_form": kforms.MenuItemForm(user=request.user), "copy_form": kforms.CopyForm(), **extra}


@login_required
def menu_detail(request, pk):
    menu = scoping.get_or_404(Menu.objects.select_related("school__unit"), request.user, pk=pk)
    ctx = _menu_context(request, menu)
    if request.method == "POST":
        if not ctx["may_write"]:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "add":
                form = kforms.MenuItemForm(request.POST, user=request.user)
                if not form.is_valid():
                    return render(request, "kitchen/menu_detail.html", {**ctx, "item_form": form}, status=400)
                services.menu_item_add(actor=request.user, menu=menu, **form.cleaned_data)
            elif action == "remove":
                services.menu_item_remove(actor=request.user, menu=menu, item_id=request.POST.get("item") or 0)
            elif action == "publish":
                if not ctx["may_approve"]:
                    raise PermissionDenied
                services.menu_publish(actor=request.user, menu=menu)
                messages.success(request, _("The menu is published."))
            elif action == "copy":
                form = kforms.CopyForm(request.POST)
                if not form.is_valid():
                    return render(request, "kitchen/menu_detail.html", {**ctx, "copy_form": form}, status=400)
                services.menu_rotate(actor=request.user, menus=[menu], first_week=form.cleaned_data["week_start"],
                                     weeks=form.cleaned_data["weeks"])
                messages.success(request, _("The menu was copied."))
            elif action == "balance":
                result, ration = services.menu_balance(menu=menu, apply=True, actor=request.user)
                if result.feasible:
                    messages.success(request, _("Quantities balanced at the lowest cost that meets every norm."))
                else:
                    ctx = _menu_context(request, menu, shortfalls=_shortfalls(result, ration, menu))
                    return render(request, "kitchen/menu_detail.html", ctx)
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        return redirect("kitchen:menu", menu.pk)
    return render(request, "kitchen/menu_detail.html", ctx)


LABELS = {"energy_min": _("energy below the minimum (kcal)"), "energy_max": _("energy above the maximum (kcal)"),
          "protein_min": _("protein share below the minimum (points of %)"),
          "protein_max": _("protein share above the maximum (points of %)"),
          "lipid_min": _("lipid share below the minimum (points of %)"),
          "lipid_max": _("lipid share above the maximum (points of %)"),
          "glucid_min": _("glucid share below the minimum (points of %)"),
          "glucid_max": _("glucid share above the maximum (points of %)"),
          "budget": _("cost above the food money (VND)")}


def _shortfalls(result, ration, menu):
    import numpy as np

    days = np.unique(ration.weekday)
    names = dict(kforms.WEEKDAYS)
    return [(names[int(days[s.group])], LABELS[s.constraint], round(s.amount, 1)) for s in result.shortfalls]


@login_required
def menu_print(request, pk):
    menu = scoping.get_or_404(Menu.objects.select_related("school__unit"), request.user, pk=pk)
    return render(request, "kitchen/menu_print.html", _menu_context(request, menu))


# --- market list, purchases, store ----------------------------------------------------------------------


@login_required
def market(request):
    school, schools = _school(request)
    day = _day(request)
    ml = selectors.market_list(school=school, day=day)
    labels = dict(NormBand.choices)
    eating = [(labels.get(band, band), n) for band, n in ml.counts.items()]
    return render(request, "kitchen/market.html", {"school": school, "schools": schools, "day": day, "ml": ml,
                                                   "eating": eating, "print": request.GET.get("print")})


@login_required
def purchases(request):
    school, schools = _school(request)
    day = _day(request)
    form = kforms.PurchaseForm(request.POST or None, school=school, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.purchase_record(actor=request.user, school=school, date=day, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _back("kitchen:purchases", school, day=day.isoformat())
    rows = scoping.restrict(Purchase.objects.filter(school=school, date=day), request.user).select_related(
        "food", "supplier")
    return render(request, "kitchen/purchases.html", {"school": school, "schools": schools, "day": day, "form": form,
                                                      "rows": rows, "total": selectors.spent_on(school=school,
                                                                                                day=day)})


@login_required
def store(request):
    school, schools = _school(request)
    form = kforms.StoreTakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.store_take(actor=request.user, school=school, date=clock.today(), **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _back("kitchen:store", school)
    moves = scoping.restrict(StoreMove.objects.filter(school=school), request.user).select_related("food")[:100]
    return render(request, "kitchen/store.html", {"school": school, "schools": schools, "form": form,
                                                  "on_hand": selectors.store_on_hand(school=school), "moves": moves})


# --- food safety ----------------------------------------------------------------------------------------


@login_required
def safety(request):
    school, schools = _school(request)
    day = _day(request)
    kind = request.POST.get("kind")
    inspection_form = kforms.InspectionForm(request.POST if kind == "inspection" else None, school=school,
                                            user=request.user, initial={"date": day})
    sample_form = kforms.SampleForm(request.POST if kind == "sample" else None, initial={"date": day})
    supplier_form = kforms.SupplierForm(request.POST if kind == "supplier" else None)
    contract_form = kforms.ContractForm(request.POST if kind == "contract" else None, school=school,
                                        user=request.user)
    if request.method == "POST":
        if not _may_write(request.user, school):
            raise PermissionDenied
        form = {"inspection": inspection_form, "sample": sample_form, "supplier": supplier_form,
                "contract": contract_form}.get(kind)
        if kind == "discard":
            sample = scoping.get_or_404(RetainedSample.objects.filter(school=school), request.user, scoping.CHANGE,
                                        pk=request.POST.get("sample"))
            try:
                services.sample_discard(actor=request.user, sample=sample)
            except ValidationError as exc:
                for msg in exc.messages:
                    messages.error(request, msg)
            return _back("kitchen:safety", school, day=day.isoformat())
        if form is not None and form.is_valid():
            obj = form.save(commit=False)
            obj.school = school
            try:
                if kind == "sample":
                    services.sample_record(actor=request.user, sample=obj)
                else:
                    if kind == "inspection":
                        obj.checked_by = request.user
                    obj.save()
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return _back("kitchen:safety", school, day=day.isoformat())
    ctx = {"school": school, "schools": schools, "day": day, "inspection_form": inspection_form,
           "sample_form": sample_form, "supplier_form": supplier_form, "contract_form": contract_form,
           "inspections": scoping.restrict(Inspection.objects.filter(school=school, date=day), request.user)
           .select_related("supplier", "checked_by"),
           "samples": scoping.restrict(RetainedSample.objects.filter(school=school, date__gte=day -
                                                                      dt.timedelta(days=2)), request.user)
           .select_related("taken_by", "discarded_by"),
           "contracts": scoping.restrict(SupplierContract.objects.filter(school=school), request.user)
           .select_related("supplier"),
           "expiring": {c.pk for c in selectors.expiring_contracts(school=school, today=clock.today())},
           "may_write": _may_write(request.user, school)}
    return render(request, "kitchen/safety.html", ctx, status=400 if request.method == "POST" else 200)


@login_required
def safety_print(request):
    school, _schools_ = _school(request)
    day = _day(request)
    inspections = scoping.restrict(Inspection.objects.filter(school=school, date=day), request.user).select_related(
        "supplier", "checked_by")
    steps = [(value, label, [i for i in inspections if i.step == value]) for value, label in Inspection.Step.choices]
    samples = scoping.restrict(RetainedSample.objects.filter(school=school, date=day), request.user).select_related(
        "taken_by", "discarded_by")
    return render(request, "kitchen/safety_print.html", {"school": school, "day": day, "steps": steps,
                                                         "samples": samples})


# --- disclosure -----------------------------------------------------------------------------------------


@login_required
def disclosures(request):
    school, schools = _school(request, KITCHEN_READERS)
    form = kforms.DisclosureForm(request.POST or None, request.FILES or None,
                                 initial={"day": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.disclosure_publish(actor=request.user, school=school, day=data["day"],
                                        children=data.get("children"), photo=data.get("photo"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The disclosure is published to the school's parents."))
            return _back("kitchen:disclosures", school)
    rows = list(scoping.restrict(Disclosure.objects.filter(school=school), request.user)[:31])
    return render(request, "kitchen/disclosures.html", {"school": school, "schools": schools, "form": form,
                                                        "rows": _with_carry(rows),
                                                        "may_write": _may_write(request.user, school)})


def _with_carry(rows):
    """Each disclosure with its month-to-date carry-over (published rows of the same month, up to that day)."""
    out = []
    for d in rows:
        carry = sum((x.received - x.spent for x in rows if x.published_at and x.date.month == d.date.month
                     and x.date.year == d.date.year and x.date <= d.date), 0)
        out.append((d, carry))
    return out


@login_required
def disclosure_print(request, pk):
    d = scoping.get_or_404(Disclosure.objects.select_related("school__unit"), request.user, pk=pk)
    if d.published_at is None and Role.PARENT in scoping.roles_of(request.user):
        raise Http404
    return render(request, "kitchen/disclosure_print.html", {
        "d": d, "carry": selectors.carry_over(school=d.school, day=d.date) + d.difference})


@login_required
def portal_disclosures(request):
    """Parents: the published daily meal-finance disclosures of their children's schools."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    rows = list(scoping.restrict(Disclosure.objects.filter(published_at__isnull=False), request.user)
                .select_related("school__unit")[:31])
    this_week = selectors.monday(clock.today())
    menus = (scoping.restrict(Menu.objects.filter(published_at__isnull=False, week_start__gte=this_week,
                                                  week_start__lte=this_week + dt.timedelta(weeks=1)), request.user)
             .select_related("school__unit").prefetch_related("items__dish").order_by("week_start", "band"))
    names = dict(kforms.WEEKDAYS)
    weekly = []
    for menu in menus:
        days: dict = {}
        for it in sorted(menu.items.all(), key=lambda i: (i.weekday, i.meal)):
            days.setdefault(names[it.weekday], []).append(f"{it.get_meal_display()}: {it.dish.name}")
        weekly.append((menu, days))
    return render(request, "kitchen/portal_disclosures.html", {"rows": _with_carry(rows), "weekly": weekly})


@login_required
def suppliers(request):
    school, _schools_ = _school(request)
    rows = scoping.restrict(Supplier.objects.filter(school=school), request.user)
    return render(request, "kitchen/suppliers.html", {"school": school, "rows": rows})
