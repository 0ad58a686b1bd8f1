"""The one place where mamnon decides who may see or do what.

Every view, API endpoint, export and form choice list goes through ``restrict`` (also reachable as
``Model.objects.for_user(user, action)``) or ``check`` for a single object. The rules:

* A user holds memberships (unit, role). A membership at a unit reaches that unit and everything below
  it in the organisation tree (one prefix filter on the materialised path).
* Each scoped model says which roles may ``view``, ``change`` or ``manage`` its rows; a few models
  (memberships, users) have their own rule below.
* System administrators (``is_superuser`` or a membership with role ``admin``) reach everything.
* Sensitive data (health, disability, policy flags) is shown to the school's principal,
  vice-principals and health staff (and, per child, to her teachers and parents once children exist);
  offices see only counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

from mamnon.core.roles import (
    OFFICER_ROLES,
    SCHOOL_MANAGER_ROLES,
    SCHOOL_ROLES,
    Role,
)

VIEW, CHANGE, MANAGE = "view", "change", "manage"
ACTIONS = (VIEW, CHANGE, MANAGE)

DEFAULT_CHANGE_ROLES = OFFICER_ROLES | SCHOOL_MANAGER_ROLES
DEFAULT_MANAGE_ROLES = OFFICER_ROLES | {Role.PRINCIPAL}
SENSITIVE_ROLES = SCHOOL_MANAGER_ROLES | {Role.HEALTH_STAFF}
ACCOUNT_MANAGER_ROLES = OFFICER_ROLES | {Role.PRINCIPAL}


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    path: str
    is_school: bool
    level_rank: int


def grants(user) -> tuple[Grant, ...]:
    """The user's active memberships, loaded once per user object (one query)."""
    if user is None or not user.is_authenticated:
        return ()
    cached = getattr(user, "_mamnon_grants", None)
    if cached is None:
        from mamnon.org.models import Membership

        rows = Membership.objects.filter(user_id=user.pk, active=True).values_list(
            "role", "unit_id", "unit__path", "unit__level__is_school", "unit__level__rank"
        )
        cached = tuple(Grant(*row) for row in rows)
        user._mamnon_grants = cached
    return cached


def forget(user) -> None:
    """Drop the cached grants after memberships change."""
    if user is not None and hasattr(user, "_mamnon_grants"):
        del user._mamnon_grants


def is_admin(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser) or any(g.role == Role.ADMIN for g in grants(user))


def roles_of(user) -> set[str]:
    return {g.role for g in grants(user)}


def _allowed_roles(model, action: str):
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action == VIEW:
        roles = model.scope_view_roles
        return None if roles is None else frozenset(roles)
    if action == CHANGE:
        return frozenset(model.scope_change_roles or DEFAULT_CHANGE_ROLES)
    return frozenset(model.scope_manage_roles or DEFAULT_MANAGE_ROLES)


def _minimal_paths(paths) -> list[str]:
    """Drop paths already covered by a shorter prefix, so the OR stays short."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def _path_q(lookup: str, paths) -> Q | None:
    paths = _minimal_paths(paths)
    if not paths:
        return None
    return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in paths))


def scope_paths(user, roles=None) -> list[str]:
    """Tree paths the user reaches through memberships whose role is in ``roles`` (all when None)."""
    return _minimal_paths(g.path for g in grants(user) if roles is None or g.role in roles)


def restrict(qs: QuerySet, user, action: str = VIEW) -> QuerySet:
    """``qs`` narrowed to the rows ``user`` may ``action``."""
    if user is None or not user.is_authenticated:
        return qs.none()
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if is_admin(user):
        return qs
    model = qs.model
    special = _SPECIAL_RULES.get(model._meta.label)
    if special is not None:
        return special(qs, user, action)
    lookup = getattr(model, "scope_path", None)
    if lookup is None:
        return qs.none()
    allowed = _allowed_roles(model, action)
    narrowable = _narrowable(model)
    broad_roles = (set(allowed) if allowed is not None else set(Role)) - (NARROWED_ROLES if narrowable else set())
    q = _path_q(lookup, scope_paths(user, broad_roles))
    for extra in (
        _located_in_commune_q(model, user, action, allowed),
        _narrowed_q(model, user, allowed, lookup) if narrowable else None,
        _EXTRA_RULES[model._meta.label](user, action) if model._meta.label in _EXTRA_RULES else None,
    ):
        if extra is not None:
            q = extra if q is None else q | extra
    return qs.filter(q) if q is not None else qs.none()


# Teachers reach only their groups' records, parents only their own children's (once children exist).
NARROWED_ROLES = frozenset({Role.TEACHER, Role.PARENT})


def _narrowable(model) -> bool:
    return getattr(model, "scope_group", None) is not None or getattr(model, "scope_child", None) is not None


def teacher_group_ids(user):
    """Subquery: the groups the user teaches (through her Staff record)."""
    from mamnon.children.models import GroupTeacher

    return GroupTeacher.objects.filter(staff__user_id=user.pk).values("group_id")


def parent_child_ids(user):
    """Subquery: the children the user is a guardian of."""
    from mamnon.children.models import Guardian

    return Guardian.objects.filter(user_id=user.pk).values("child_id")


def _narrowed_q(model, user, allowed, lookup) -> Q | None:
    """Teacher and parent grants, narrowed to the teacher's groups and the parent's children."""
    from mamnon.children.models import Enrolment

    by_group = getattr(model, "scope_group", None)
    by_child = getattr(model, "scope_child", None)
    q = None
    for role in (Role.TEACHER, Role.PARENT):
        if allowed is not None and role not in allowed:
            continue
        paths = scope_paths(user, {role})
        if not paths:
            continue
        if role == Role.TEACHER:
            if by_group:
                narrow = Q(**{f"{by_group}__in": teacher_group_ids(user)})
            else:
                current = Enrolment.objects.filter(end_date__isnull=True, group_id__in=teacher_group_ids(user))
                narrow = Q(**{f"{by_child}__in": current.values("child_id")})
        else:
            if by_child:
                narrow = Q(**{f"{by_child}__in": parent_child_ids(user)})
            else:
                current = Enrolment.objects.filter(end_date__isnull=True, child_id__in=parent_child_ids(user))
                narrow = Q(**{f"{by_group}__in": current.values("group_id")})
        part = _path_q(lookup, paths) & narrow
        q = part if q is None else q | part
    return q


def _transfer_in_rule(user, action) -> Q | None:
    """A receiving school's managers see a child released to them, before they accept her."""
    if action != VIEW:
        return None
    from mamnon.children.models import Transfer

    paths = scope_paths(user, SCHOOL_MANAGER_ROLES)
    pq = _path_q("to_school__unit__path", paths)
    if pq is None:
        return None
    pending = Transfer.objects.filter(pq, accepted_at__isnull=True).values("child_id")
    return Q(id__in=pending)


_EXTRA_RULES = {
    "children.Child": _transfer_in_rule,
}


def _located_in_commune_q(model, user, action, allowed) -> Q | None:
    """A commune officer also views the schools that stand in the commune.

    In the three-tier shape of the seeds schools hang under the district office, while the commune
    (census area, universal-education duties under Nghị định 20/2014) needs to see those on its
    territory; ``scope_commune`` names the lookup from a record to its school's commune.
    """
    lookup = getattr(model, "scope_commune", None)
    if action != VIEW or lookup is None or (allowed is not None and Role.COMMUNE_OFFICER not in allowed):
        return None
    communes = [g.unit_id for g in grants(user) if g.role == Role.COMMUNE_OFFICER]
    return Q(**{f"{lookup}__in": communes}) if communes else None


def check(user, action: str, obj) -> bool:
    """May ``user`` do ``action`` on ``obj``? The same rules as ``restrict``, for one object."""
    if obj is None or obj.pk is None:
        return False
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def get_or_404(qs: QuerySet, user, action: str = VIEW, **lookup):
    """One object the user may reach, or 404 (never 403: we do not confirm that it exists)."""
    obj = restrict(qs, user, action).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


# --- rules of their own ------------------------------------------------------------------------


def _membership_rule(qs, user, action):
    """Account managers see the memberships below them; everyone sees their own."""
    q = _path_q("unit__path", scope_paths(user, ACCOUNT_MANAGER_ROLES))
    if action == VIEW:
        own = Q(user_id=user.pk)
        return qs.filter(own | q if q is not None else own)
    return qs.filter(q) if q is not None else qs.none()


def _user_rule(qs, user, action):
    """Users are reached through their memberships; a user always reaches their own account."""
    from mamnon.org.models import Membership

    q = _path_q("unit__path", scope_paths(user, ACCOUNT_MANAGER_ROLES))
    own = Q(pk=user.pk)
    if q is None:
        return qs.filter(own) if action == VIEW else qs.none()
    member_ids = Membership.objects.filter(q).values("user_id")
    return qs.filter(own | Q(pk__in=member_ids)) if action == VIEW else qs.filter(pk__in=member_ids)


_SPECIAL_RULES = {
    "org.Membership": _membership_rule,
    "core.User": _user_rule,
}


# --- accounts ----------------------------------------------------------------------------------


def grantable_roles(actor, unit) -> list[str]:
    """Roles ``actor`` may give to someone at ``unit``.

    Administrators: any role. Officers: at units strictly below their own, the officer role of that
    unit's level, or principal / vice-principal at a school. Principals: every school role except
    principal at their own school.
    """
    if is_admin(actor):
        if unit.level.is_school:
            return [r.value for r in Role if r in SCHOOL_ROLES]
        return [r.value for r in Role if r == Role.ADMIN or r.value == unit.level.officer_role]
    roles: set[str] = set()
    for g in grants(actor):
        if g.role in OFFICER_ROLES and unit.path.startswith(g.path) and unit.path != g.path:
            if unit.level.is_school:
                roles |= SCHOOL_MANAGER_ROLES
            elif unit.level.officer_role:
                roles.add(unit.level.officer_role)
        elif g.role == Role.PRINCIPAL and g.unit_id == unit.pk:
            roles |= SCHOOL_ROLES - {Role.PRINCIPAL}
    return [r.value for r in Role if r in roles]


def can_grant(actor, unit, role: str) -> bool:
    return role in grantable_roles(actor, unit)


def can_view_sensitive(user, school_unit_id: int) -> bool:
    """Health, disability and policy data of a school's children: its managers and health staff.

    Offices never see such rows, only counts (Nghị định 13/2023 on personal data; Thông tư 03/2018 on
    the confidentiality of disability information).
    """
    if is_admin(user):
        return True
    return any(g.role in SENSITIVE_ROLES and g.unit_id == school_unit_id for g in grants(user))


def can_manage_accounts(user) -> bool:
    return is_admin(user) or any(g.role in ACCOUNT_MANAGER_ROLES for g in grants(user))


def can_view_audit(user) -> bool:
    return is_admin(user) or any(g.role in DEFAULT_MANAGE_ROLES for g in grants(user))


def can_reorganise(user, unit) -> bool:
    """Rename, move or merge ``unit``: administrators, or an officer of a unit above it."""
    if is_admin(user):
        return True
    return any(
        g.role in OFFICER_ROLES and unit.path.startswith(g.path) and unit.path != g.path for g in grants(user)
    )


def restrict_history(history_qs: QuerySet, model, user) -> QuerySet:
    """The change log of ``model`` (its simple-history table) that ``user`` may read.

    Managers (DEFAULT_MANAGE_ROLES) read the history of the records below their units, but only of
    the models their role may view: a district officer never reads a guardian's or a child's support
    record through the log, since he may not view those records themselves.
    """
    if is_admin(user):
        return history_qs
    view_roles = _allowed_roles(model, VIEW)
    roles = DEFAULT_MANAGE_ROLES if view_roles is None else DEFAULT_MANAGE_ROLES & view_roles
    q = _path_q(model.scope_path, scope_paths(user, roles))
    return history_qs.filter(q) if q is not None else history_qs.none()


# --- rules stated as role sets (pages whose rows may not exist yet) -------------------------------------


def restrict_to_roles(qs: QuerySet, user, roles, lookup: str) -> QuerySet:
    """``qs`` narrowed to the rows under the units where ``user`` holds one of ``roles`` (admins: all).

    For pages whose rule is a role set rather than one model's (e.g. the meal counts a school's kitchen,
    managers and the offices above it read).
    """
    if user is None or not user.is_authenticated:
        return qs.none()
    if is_admin(user):
        return qs
    q = _path_q(lookup, scope_paths(user, roles))
    return qs.filter(q) if q is not None else qs.none()


def groups_reached(user, roles) -> QuerySet:
    """Groups whose day rows (register, handovers) fall under ``roles`` for ``user``, before any row exists.

    The same rule as ``restrict`` on such rows: roles at or above the school reach every group, teachers
    only the groups they teach, parents never a whole group.
    """
    from mamnon.children.models import Group

    qs = Group.objects.all()
    if user is None or not user.is_authenticated:
        return qs.none()
    if is_admin(user):
        return qs
    roles = set(roles)
    q = _path_q("school__unit__path", scope_paths(user, roles - NARROWED_ROLES))
    if Role.TEACHER in roles:
        taught = _path_q("school__unit__path", scope_paths(user, {Role.TEACHER}))
        if taught is not None:
            taught &= Q(id__in=teacher_group_ids(user))
            q = taught if q is None else q | taught
    return qs.filter(q) if q is not None else qs.none()


def reaches_group(user, roles, *, school_path: str, teaches) -> bool:
    """``groups_reached`` for one group, given its school's path; ``teaches`` is a bool or a callable that
    says whether ``user`` teaches the group (called, and so queried, only when it decides)."""
    if user is None or not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    roles = set(roles)
    if any(school_path.startswith(p) for p in scope_paths(user, roles - NARROWED_ROLES)):
        return True
    if Role.TEACHER in roles and any(school_path.startswith(p) for p in scope_paths(user, {Role.TEACHER})):
        return bool(teaches() if callable(teaches) else teaches)
    return False


def children_reached(user, roles) -> QuerySet:
    """Children whose records under ``roles`` ``user`` reaches, before any record exists (health pages).

    The same rule as ``restrict`` on a per-child record (``scope_child``): roles at or above the school reach
    every child of the school, teachers the children now enrolled in a group they teach, parents their own.
    """
    from mamnon.children.models import Child, Enrolment

    qs = Child.objects.all()
    if user is None or not user.is_authenticated:
        return qs.none()
    if is_admin(user):
        return qs
    roles = set(roles)
    q = _path_q("school__unit__path", scope_paths(user, roles - NARROWED_ROLES))
    for role in NARROWED_ROLES & roles:
        part = _path_q("school__unit__path", scope_paths(user, {role}))
        if part is None:
            continue
        if role == Role.TEACHER:
            taught = Enrolment.objects.filter(end_date__isnull=True, group_id__in=teacher_group_ids(user))
            part &= Q(id__in=taught.values("child_id"))
        else:
            part &= Q(id__in=parent_child_ids(user))
        q = part if q is None else q | part
    return qs.filter(q) if q is not None else qs.none()


# --- national reference data ------------------------------------------------------------------------------------


def _reference_data_rule(qs, user, action):
    """National reference lists (the minimum equipment list of Thông tư 02/2022): everyone signed in reads
    them; only administrators (handled before this rule) change them."""
    return qs if action == VIEW else qs.none()


_SPECIAL_RULES["facilities.EquipmentItem"] = _reference_data_rule


# --- staff: a person reads her own records ------------------------------------------------------------


def _own_staff_rule(user, action) -> Q | None:
    """A staff member views her own HR record, ratings and training (staff app), which colleagues do not."""
    return Q(staff__user_id=user.pk) if action == VIEW else None


for _label in ("staff.StaffRecord", "staff.StandardRating", "staff.AnnualRating", "staff.Training"):
    _EXTRA_RULES[_label] = _own_staff_rule


# --- health: rounds defined above -----------------------------------------------------------------------


def _units_above(user, roles) -> set[int]:
    """The units at or above the user's grants in ``roles`` (None: all) (each grant's path split into its ancestors)."""
    return {int(x) for g in grants(user) if roles is None or g.role in roles for x in g.path.strip("/").split("/") if x}


def _rounds_above_rule(user, action) -> Q | None:
    """A measurement round set by an office applies to every school below it: the schools' people view it."""
    if action != VIEW:
        return None
    ids = _units_above(user, None)
    return Q(unit_id__in=ids) if ids else None


_EXTRA_RULES["health.MeasurementRound"] = _rounds_above_rule


# --- reports (reporting app) ----------------------------------------------------------------------------


def can_fill_report(user, unit) -> bool:
    """Fill in a unit's own report: a school's principal or vice-principals, an office's officers."""
    if is_admin(user):
        return True
    roles = SCHOOL_MANAGER_ROLES if unit.level.is_school else OFFICER_ROLES
    return any(g.role in roles and g.unit_id == unit.pk for g in grants(user))


def can_sign_report(user, unit) -> bool:
    """Submit (sign off) a unit's report: a school's principal, an office's officers."""
    if is_admin(user):
        return True
    roles = {Role.PRINCIPAL} if unit.level.is_school else OFFICER_ROLES
    return any(g.role in roles and g.unit_id == unit.pk for g in grants(user))


def can_review_report(user, unit) -> bool:
    """Return, approve or re-open a unit's report: officers of a unit above it."""
    if is_admin(user):
        return True
    return any(g.role in OFFICER_ROLES and unit.path.startswith(g.path) and unit.path != g.path
               for g in grants(user))


def _report_form_from_above_rule(user, action) -> Q | None:
    """Report forms are read by the units below the one that defines them (they owe the reports)."""
    if action != VIEW:
        return None
    from mamnon.reporting.models import REPORT_ROLES

    ids = _units_above(user, REPORT_ROLES)
    return Q(unit_id__in=ids) if ids else None


_EXTRA_RULES["reporting.ReportForm"] = _report_form_from_above_rule


def _duty_from_above_rule(user, action) -> Q | None:
    """An office's duties marked for the units below appear in their calendars."""
    if action != VIEW:
        return None
    from mamnon.reporting.models import Duty

    ids = _units_above(user, Duty.scope_view_roles)
    return Q(unit_id__in=ids, for_units_below=True) if ids else None


_EXTRA_RULES["reporting.Duty"] = _duty_from_above_rule


# A programme is read by the units below the office that runs it (they register in it), as a report form is.
_EXTRA_RULES["reporting.Programme"] = _report_form_from_above_rule


def _initiative_library_rule(user, action) -> Q | None:
    """An office's library of initiatives is read by everyone working at the office or at a unit below it
    (officers and school staff, not parents); nobody outside that subtree."""
    if action != VIEW:
        return None
    from mamnon.core.roles import SCHOOL_STAFF_ROLES

    roles = OFFICER_ROLES | SCHOOL_STAFF_ROLES
    ids = _units_above(user, roles)
    return Q(library_unit_id__in=ids) if ids else None


_EXTRA_RULES["reporting.Initiative"] = _initiative_library_rule


def can_run_programme(user, unit) -> bool:
    """Create a programme of ``unit``, score its registrations, select initiatives into its library: the
    officers of that office or of an office above it."""
    if is_admin(user):
        return True
    return not unit.level.is_school and any(g.role in OFFICER_ROLES and unit.path.startswith(g.path)
                                            for g in grants(user))


def can_review_declaration(user, unit) -> bool:
    """A unit's declared indicator figures are reviewed by the unit above: an officer of a unit strictly above
    it (or an administrator)."""
    if is_admin(user):
        return True
    return any(
        g.role in OFFICER_ROLES and unit.path.startswith(g.path) and unit.path != g.path for g in grants(user)
    )


# --- shared catalogues (kitchen) -----------------------------------------------------------------------


def _shared_catalogue_rule(lookup: str):
    """Rows with no owning unit are a catalogue every signed-in user reads (the nationwide food table and
    shared dishes); only administrators change them."""

    def rule(user, action) -> Q | None:
        return Q(**{f"{lookup}__isnull": True}) if action == VIEW else None

    return rule


_EXTRA_RULES["kitchen.Food"] = _shared_catalogue_rule("unit")
_EXTRA_RULES["kitchen.Dish"] = _shared_catalogue_rule("unit")
_EXTRA_RULES["kitchen.DishIngredient"] = _shared_catalogue_rule("dish__unit")
