"""Reads of the organisation tree."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from mamnon.core import scoping
from mamnon.org.models import Membership, OrgUnit, OrgUnitVersion, School, Staff


def units_below(unit: OrgUnit, *, include_self: bool = True) -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.filter(path__startswith=unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)


def _count_below(model, lookup: str, **filters):
    """A correlated subquery counting ``model`` rows under the outer unit's path."""
    sub = (
        model.objects.filter(**{f"{lookup}__startswith": OuterRef("path")}, **filters)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def units_with_counts(qs: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    """Each unit with the number of schools, active staff and active accounts at or below it."""
    return qs.select_related("level", "parent").annotate(
        school_count=_count_below(School, "unit__path"),
        staff_count=_count_below(Staff, "unit__path", active=True),
        account_count=_count_below(Membership, "unit__path", active=True),
    )


def home_units(user) -> QuerySet[OrgUnit]:
    """The top units of the user's scope: where their memberships are (all roots for an admin)."""
    if scoping.is_admin(user):
        return OrgUnit.objects.filter(parent__isnull=True, active=True)
    paths = scoping.scope_paths(user)
    if not paths:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__in=paths)


def version_as_of(unit: OrgUnit, day: dt.date) -> OrgUnitVersion | None:
    """What the unit was called and where it sat on ``day``."""
    return (
        unit.versions.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("parent", "level")
        .first()
    )


def tree_as_of(root: OrgUnit, day: dt.date) -> QuerySet[OrgUnitVersion]:
    """Every unit below ``root`` as it stood on ``day`` (names and paths of that day).

    The root's own path of that day is the prefix, so a commune merged away since still appears
    under the district it belonged to.
    """
    root_version = version_as_of(root, day)
    if root_version is None:
        return OrgUnitVersion.objects.none()
    return (
        OrgUnitVersion.objects.filter(path__startswith=root_version.path, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("level")
        .order_by("path")
    )
