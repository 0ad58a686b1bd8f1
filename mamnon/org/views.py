"""Pages of the organisation tree. Every queryset here goes through core.scoping."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mamnon.core import scoping
from mamnon.org import selectors, services
from mamnon.org.filters import OrgUnitFilter, SchoolFilter, StaffFilter
from mamnon.org.forms import (
    AccountCreateForm,
    SchoolContactForm,
    UnitCloseForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitRenameForm,
)
from mamnon.org.models import Membership, OrgUnit, School, Staff

PAGE_SIZE = 50


def _list(request, template, filterset):
    """Render a filtered, paginated list; htmx requests get only the table fragment."""
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"filter": filterset, "page": page}
    if request.headers.get("HX-Request"):
        return render(request, f"{template}_table.html", ctx)
    return render(request, f"{template}.html", ctx)


@login_required
def unit_list(request):
    qs = scoping.restrict(OrgUnit.objects.all(), request.user).select_related("level", "parent")
    return _list(request, "org/unit_list", OrgUnitFilter(request.GET, queryset=qs))


@login_required
def unit_detail(request, pk):
    unit = scoping.get_or_404(OrgUnit.objects.select_related("level", "parent"), request.user, pk=pk)
    unit = selectors.units_with_counts(OrgUnit.objects.filter(pk=unit.pk)).get()
    children = selectors.units_with_counts(
        scoping.restrict(unit.children.all(), request.user)
    ).order_by("-active", "level__rank", "name")
    parent_visible = unit.parent_id and scoping.check(request.user, scoping.VIEW, unit.parent)
    school = School.objects.filter(pk=unit.pk).first() if unit.level.is_school else None
    return render(
        request, "org/unit_detail.html",
        {"unit": unit, "children": children, "school": school, "parent_visible": parent_visible,
         "can_reorganise": unit.active and scoping.can_reorganise(request.user, unit),
         "versions": unit.versions.select_related("parent").order_by("-valid_from")},
    )


@login_required
def school_list(request):
    qs = scoping.restrict(School.objects.all(), request.user).select_related("unit", "unit__parent", "commune")
    return _list(request, "org/school_list", SchoolFilter(request.GET, queryset=qs))


@login_required
def school_detail(request, pk):
    school = scoping.get_or_404(
        School.objects.select_related("unit", "unit__parent", "commune"), request.user, pk=pk
    )
    staff = scoping.restrict(Staff.objects.filter(unit_id=school.pk, active=True), request.user)
    return render(
        request, "org/school_detail.html",
        {"school": school, "sites": school.sites.all(), "staff": staff,
         "can_change": scoping.check(request.user, scoping.CHANGE, school)},
    )


@login_required
def staff_list(request):
    qs = scoping.restrict(Staff.objects.all(), request.user).select_related("unit", "user")
    return _list(request, "org/staff_list", StaffFilter(request.GET, queryset=qs))


@login_required
def account_list(request):
    if not scoping.can_manage_accounts(request.user):
        raise PermissionDenied
    qs = (
        scoping.restrict(Membership.objects.all(), request.user, scoping.MANAGE)
        .select_related("user", "unit")
        .order_by("unit__path", "role", "user__username")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "org/account_list.html", {"page": page})


@login_required
def account_create(request):
    if not scoping.can_manage_accounts(request.user):
        raise PermissionDenied
    form = AccountCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=data["username"], password=data["password"], full_name=data["full_name"],
                phone=data["phone"],
            )
            services.membership_grant(actor=request.user, user=user, unit=data["unit"], role=data["role"])
        messages.success(request, _("Account %(username)s created.") % {"username": user.username})
        return redirect("org:account-list")
    return render(request, "org/account_form.html", {"form": form})


@login_required
def unit_reorganise(request, pk):
    """Rename, move or merge a unit with an effective date (officers of a unit above it, administrators)."""
    unit = scoping.get_or_404(OrgUnit.objects.select_related("level", "parent"), request.user, pk=pk)
    if not scoping.can_reorganise(request.user, unit) or not unit.active:
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    forms_by_action = {
        "rename": UnitRenameForm(request.POST if action == "rename" else None, unit=unit, prefix="rename"),
        "move": UnitMoveForm(request.POST if action == "move" else None, unit=unit, actor=request.user,
                             prefix="move"),
        "merge": UnitMergeForm(request.POST if action == "merge" else None, unit=unit, actor=request.user,
                               prefix="merge"),
        "close": UnitCloseForm(request.POST if action == "close" else None, prefix="close"),
    }
    form = forms_by_action.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "rename":
                services.unit_rename(unit=unit, name=data["name"], code=data["code"], effective=data["effective"],
                                     actor=request.user)
                target = unit
            elif action == "move":
                services.unit_move(unit=unit, new_parent=data["new_parent"], effective=data["effective"],
                                   actor=request.user)
                target = unit
            elif action == "close":
                target = services.unit_close(unit=unit, effective=data["effective"], actor=request.user,
                                             note=data["note"])
            else:
                target = services.units_merge(sources=[unit], target=data["target"], effective=data["effective"],
                                              actor=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved. The unit's history keeps the earlier state."))
            return redirect("org:unit-detail", pk=target.pk)
    return render(request, "org/unit_reorganise.html", {"unit": unit, "forms": forms_by_action})


@login_required
def school_edit(request, pk):
    school = scoping.get_or_404(School.objects.select_related("unit"), request.user, scoping.CHANGE, pk=pk)
    form = SchoolContactForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        school = form.save(commit=False)
        school._history_user = request.user
        school.save()
        messages.success(request, _("Saved."))
        return redirect("org:school-detail", pk=school.pk)
    return render(request, "org/school_form.html", {"form": form, "school": school})


@login_required
def account_toggle(request, pk):
    """POST: suspend or restore one membership."""
    membership = scoping.get_or_404(Membership.objects.select_related("unit", "unit__level", "user"),
                                    request.user, scoping.MANAGE, pk=pk)
    if request.method != "POST":
        return redirect("org:account-list")
    try:
        services.membership_set_active(actor=request.user, membership=membership, active=not membership.active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("org:account-list")


@login_required
def account_password(request, pk):
    """A manager sets a new password for an account she manages."""
    user = scoping.get_or_404(get_user_model().objects.all(), request.user, scoping.MANAGE, pk=pk)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_set_password(actor=request.user, user=user, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc.messages)
        else:
            messages.success(request, _("Password changed for %(username)s.") % {"username": user.username})
            return redirect("org:account-list")
    return render(request, "org/account_password.html", {"form": form, "account": user})
