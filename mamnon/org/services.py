"""Writes to the organisation tree. Each runs atomically and records the acting user in the audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from mamnon.calc.periods import DEFAULT_HK1_END, DEFAULT_YEAR_END, DEFAULT_YEAR_START
from mamnon.core import scoping
from mamnon.org.models import (
    Membership,
    OrgLevel,
    OrgUnit,
    OrgUnitVersion,
    School,
    SchoolYear,
    Term,
)

ONE_DAY = dt.timedelta(days=1)


def _check_parent(level: OrgLevel, parent: OrgUnit | None) -> None:
    if parent is None:
        return
    if parent.level.is_school:
        raise ValidationError({"parent": _("A school cannot have units below it.")})
    if parent.level.rank >= level.rank:
        raise ValidationError(
            {"parent": _("A unit of level %(child)s cannot sit under a unit of level %(parent)s.")
             % {"child": level.name, "parent": parent.level.name}}
        )
    if not parent.active:
        raise ValidationError({"parent": _("The parent unit is closed.")})


def _open_version(unit: OrgUnit, *, valid_from: dt.date, change: str, note: str = "") -> OrgUnitVersion:
    return OrgUnitVersion.objects.create(
        unit=unit, code=unit.code, name=unit.name, level_id=unit.level_id, parent_id=unit.parent_id,
        path=unit.path, valid_from=valid_from, change=change, note=note,
    )


def _close_versions(unit_ids: Iterable[int], *, last_day: dt.date) -> None:
    OrgUnitVersion.objects.filter(unit_id__in=list(unit_ids), valid_to__isnull=True).update(valid_to=last_day)


def _check_effective(unit: OrgUnit, effective: dt.date) -> None:
    current = unit.versions.filter(valid_to__isnull=True).first()
    if current is not None and effective <= current.valid_from:
        raise ValidationError(
            {"effective": _("The change must take effect after %(date)s, when the unit's current state began.")
             % {"date": current.valid_from.strftime("%d/%m/%Y")}}
        )


@transaction.atomic
def unit_create(
    *, code: str, name: str, level: OrgLevel, parent: OrgUnit | None, valid_from: dt.date | None = None,
    actor=None,
) -> OrgUnit:
    _check_parent(level, parent)
    unit = OrgUnit(code=code, name=name, level=level, parent=parent, valid_from=valid_from or dt.date(2000, 1, 1))
    unit.full_clean(exclude=["path", "depth"])
    unit._history_user = actor
    unit.save()
    unit.path = f"{parent.path if parent else ''}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    # The creation's audit row was written before the path existed; give it the path so the change log's
    # scoping (a prefix filter on path) shows it to the unit's managers.
    OrgUnit.history.filter(id=unit.pk).update(path=unit.path, depth=unit.depth)
    _open_version(unit, valid_from=unit.valid_from, change=OrgUnitVersion.Change.CREATED)
    return unit


@transaction.atomic
def unit_rename(*, unit: OrgUnit, name: str, effective: dt.date, actor=None, code: str | None = None) -> OrgUnit:
    """Rename (and optionally re-code) a unit from ``effective``; the old name stays in its versions."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _check_effective(unit, effective)
    unit.name = name
    change = OrgUnitVersion.Change.RENAMED
    if code and code != unit.code:
        unit.code = code
        change = OrgUnitVersion.Change.RECODED
    unit.full_clean(exclude=["path", "depth", "parent", "level", "merged_into"])
    unit._history_user = actor
    unit.save()
    _close_versions([unit.pk], last_day=effective - ONE_DAY)
    _open_version(unit, valid_from=effective, change=change)
    return unit


@transaction.atomic
def unit_move(*, unit: OrgUnit, new_parent: OrgUnit, effective: dt.date, actor=None, note: str = "") -> OrgUnit:
    """Move a unit and its whole subtree under ``new_parent`` from ``effective``.

    The paths of the subtree change in one UPDATE; every unit of the subtree gets a new version so
    that its position in earlier years stays answerable.
    """
    unit = OrgUnit.objects.select_for_update().select_related("level").get(pk=unit.pk)
    new_parent = OrgUnit.objects.select_related("level").get(pk=new_parent.pk)
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("A unit cannot be moved below itself.")})
    _check_parent(unit.level, new_parent)
    _check_effective(unit, effective)
    old_path, new_path = unit.path, f"{new_parent.path}{unit.pk}/"
    depth_shift = new_parent.depth + 1 - unit.depth
    subtree = OrgUnit.objects.filter(path__startswith=old_path)
    subtree_ids = list(subtree.values_list("pk", flat=True))
    # Every unit of the subtree gets a new version: none may have a current state starting on or after
    # ``effective`` (a child renamed later), or closing it would end it before it began.
    latest = OrgUnitVersion.objects.filter(unit_id__in=subtree_ids, valid_to__isnull=True).aggregate(
        m=Max("valid_from"))["m"]
    if latest is not None and effective <= latest:
        raise ValidationError(
            {"effective": _("The change must take effect after %(date)s, when the unit's current state began.")
             % {"date": latest.strftime("%d/%m/%Y")}}
        )
    unit.parent = new_parent
    unit._history_user = actor
    unit.save(update_fields=["parent"])
    OrgUnit.objects.filter(pk__in=subtree_ids).update(
        path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1)),
        depth=F("depth") + depth_shift,
    )
    _close_versions(subtree_ids, last_day=effective - ONE_DAY)
    moved = OrgUnit.objects.filter(pk__in=subtree_ids)
    OrgUnitVersion.objects.bulk_create(
        OrgUnitVersion(
            unit_id=u.pk, code=u.code, name=u.name, level_id=u.level_id, parent_id=u.parent_id, path=u.path,
            valid_from=effective, change=OrgUnitVersion.Change.MOVED, note=note,
        )
        for u in moved
    )
    unit.refresh_from_db()
    return unit


@transaction.atomic
def units_merge(
    *, sources: list[OrgUnit], target: OrgUnit, effective: dt.date, actor=None, note: str = ""
) -> OrgUnit:
    """Merge units into ``target`` from ``effective`` (e.g. communes merged by Nghị quyết 202/2025/QH15).

    Children of the sources move under the target; schools standing in a source commune now stand in
    the target; memberships at a source move to the target; the sources close with ``merged_into`` set
    and keep their versions for reports of earlier years.
    """
    target = OrgUnit.objects.select_related("level").get(pk=target.pk)
    if not target.active:
        raise ValidationError({"target": _("The target unit is closed.")})
    for source in sources:
        source = OrgUnit.objects.select_for_update().select_related("level").get(pk=source.pk)
        if source.pk == target.pk:
            raise ValidationError({"sources": _("A unit cannot be merged into itself.")})
        if source.level_id != target.level_id:
            raise ValidationError({"sources": _("Only units of the same level can be merged.")})
        if target.path.startswith(source.path):
            raise ValidationError({"target": _("The target lies inside a unit being merged.")})
        _check_effective(source, effective)
        for child in list(source.children.filter(active=True)):
            unit_move(unit=child, new_parent=target, effective=effective, actor=actor,
                      note=note or _("merger of %(name)s") % {"name": source.name})
        School.objects.filter(commune=source).update(commune=target)
        for m in Membership.objects.filter(unit=source):
            if not Membership.objects.filter(user_id=m.user_id, unit=target, role=m.role).exists():
                Membership.objects.create(user_id=m.user_id, unit=target, role=m.role, active=m.active)
            m.active = False
            m.save(update_fields=["active"])
        source.active = False
        source.valid_to = effective - ONE_DAY
        source.merged_into = target
        source._history_user = actor
        source.save(update_fields=["active", "valid_to", "merged_into"])
        _close_versions([source.pk], last_day=effective - ONE_DAY)
        OrgUnitVersion.objects.filter(unit=source, valid_to=effective - ONE_DAY).update(
            note=_("merged into %(name)s") % {"name": target.name}
        )
    return target


@transaction.atomic
def school_create(*, code: str, name: str, parent: OrgUnit, actor=None, **details) -> School:
    """A school-level unit and its School record in one step."""
    level = OrgLevel.objects.get(is_school=True)
    unit = unit_create(code=code, name=name, level=level, parent=parent, actor=actor)
    school = School(unit=unit, **details)
    school.full_clean()
    school._history_user = actor
    school.save()
    return school


@transaction.atomic
def membership_grant(*, actor, user, unit: OrgUnit, role: str) -> Membership:
    """Give ``user`` a role at ``unit``, if ``actor`` may (scoping.grantable_roles)."""
    if not scoping.can_grant(actor, unit, role):
        raise ValidationError({"role": _("You cannot give this role at this unit.")})
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if not created and not membership.active:
        membership.active = True
        membership.save(update_fields=["active"])
    scoping.forget(user)
    return membership


@transaction.atomic
def school_year_create(
    *, start_year: int, start=DEFAULT_YEAR_START, end=DEFAULT_YEAR_END, hk1_end=DEFAULT_HK1_END,
    current: bool = False,
) -> SchoolYear:
    """A school year with its two semesters (05/09 to 31/05 and HK1 to 15/01 unless told otherwise)."""
    code = f"{start_year}-{start_year + 1}"
    year = SchoolYear(
        code=code, start_date=dt.date(start_year, *start), end_date=dt.date(start_year + 1, *end), is_current=current
    )
    year.full_clean()
    if current:
        SchoolYear.objects.filter(is_current=True).update(is_current=False)
    year.save()
    split = dt.date(start_year if tuple(hk1_end) >= tuple(start) else start_year + 1, *hk1_end)
    Term.objects.bulk_create([
        Term(school_year=year, code="HK1", start_date=year.start_date, end_date=split),
        Term(school_year=year, code="HK2", start_date=split + ONE_DAY, end_date=year.end_date),
    ])
    return year


@transaction.atomic
def membership_set_active(*, actor, membership: Membership, active: bool) -> Membership:
    """Suspend or restore a role; only someone who could grant it may (scoping.can_grant)."""
    if not scoping.can_grant(actor, membership.unit, membership.role):
        raise ValidationError({"role": _("You cannot change this role at this unit.")})
    membership.active = active
    membership._history_user = actor
    membership.save(update_fields=["active"])
    scoping.forget(membership.user)
    return membership


@transaction.atomic
def account_set_password(*, actor, user, password: str) -> None:
    """A manager sets a new password for an account she manages (e.g. a teacher who forgot hers)."""
    from django.contrib.auth.password_validation import validate_password

    memberships = Membership.objects.filter(user=user).select_related("unit", "unit__level")
    managed = any(scoping.can_grant(actor, m.unit, m.role) for m in memberships) or scoping.is_admin(actor)
    if not managed or user.pk == actor.pk:
        raise ValidationError({"password": _("You do not manage this account.")})
    validate_password(password, user)
    user.set_password(password)
    user._history_user = actor
    user.save(update_fields=["password"])


@transaction.atomic
def unit_close(*, unit: OrgUnit, effective: dt.date, actor=None, note: str = "") -> OrgUnit:
    """Close a unit from ``effective`` (e.g. a district office dissolved on 01/07/2025).

    Its units must have been moved first; its memberships end; its versions stay for earlier reports.
    """
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.children.filter(active=True).exists():
        raise ValidationError({"effective": _("Move the units below it first: a unit with active units below "
                                              "it cannot be closed.")})
    _check_effective(unit, effective)
    unit.active = False
    unit.valid_to = effective - ONE_DAY
    unit._history_user = actor
    unit.save(update_fields=["active", "valid_to"])
    Membership.objects.filter(unit=unit, active=True).update(active=False)
    _close_versions([unit.pk], last_day=effective - ONE_DAY)
    if note:
        OrgUnitVersion.objects.filter(unit=unit, valid_to=effective - ONE_DAY).update(note=note)
    return unit
