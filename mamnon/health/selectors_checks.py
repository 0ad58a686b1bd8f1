"""Reads of health checks, illnesses, medicine and growth charts, always through core.scoping."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.http import Http404

from mamnon.children.models import Child, Enrolment, Group
from mamnon.core import scoping
from mamnon.core.roles import OFFICER_ROLES
from mamnon.health.models import Measurement
from mamnon.health.models_checks import CHECK_READERS, HealthCheck, Illness, MedicineDose
from mamnon.org.models import School, SchoolYear

# Counts (never rows) of a school's health checks: its managers and health staff, and the offices above it.
COUNT_READERS = OFFICER_ROLES | scoping.SENSITIVE_ROLES


def current_year() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).first()


def health_children(user, roles=CHECK_READERS):
    """Children whose health records ``user`` may read (teachers: children now in their groups)."""
    return scoping.children_reached(user, roles)


def child_for_health(user, pk: int, roles=CHECK_READERS) -> Child:
    """One child whose health records (under ``roles``) ``user`` may read, or 404 (never 403)."""
    child = health_children(user, roles).select_related("school__unit").filter(pk=pk).first()
    if child is None:
        raise Http404
    return child


def may_write(user, model, child: Child) -> bool:
    return scoping.children_reached(user, model.scope_change_roles).filter(pk=child.pk).exists()


def child_history(user, child: Child, *, measurements: bool) -> dict:
    """A child's health history: examinations, illnesses, medicine and (when the caller reaches the child under
    the measurements' view roles) measurements, newest first."""
    return {
        "checks": list(HealthCheck.objects.for_user(user).filter(child=child).order_by("-date")),
        "illnesses": list(Illness.objects.for_user(user).filter(child=child).order_by("-noticed_at")),
        "doses": list(MedicineDose.objects.for_user(user).filter(child=child).select_related("handover")
                      .order_by("-given_at")),
        "measurements": list(child_measurements(child).order_by("-date")) if measurements else [],
    }


def child_measurements(child: Child):
    """Every measurement of ``child``: called only once the caller reaches the child under the measurement's
    view roles (``child_for_health(..., Measurement.scope_view_roles)``), so the chart shows the whole history,
    also the rounds taken in her earlier groups."""
    return Measurement.objects.filter(child=child).order_by("date")


def check_groups(user, year: SchoolYear | None):
    """Groups of ``year`` whose children's checks ``user`` reads, with enrolled and examined counts."""
    qs = scoping.groups_reached(user, CHECK_READERS)
    if year is None:
        return qs.none()
    qs = qs.filter(school_year=year).select_related("school__unit")
    return qs.annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__end_date__isnull=True), distinct=True),
    ).order_by("school__unit__name", "age_band", "name")


def examined_by_group(group_ids, year: SchoolYear) -> dict[int, int]:
    """Distinct children examined in each group during ``year`` (one aggregate)."""
    rows = (HealthCheck.objects.filter(group_id__in=list(group_ids), date__gte=year.start_date,
                                       date__lte=year.end_date)
            .values("group_id").annotate(n=Count("child_id", distinct=True)))
    return {r["group_id"]: r["n"] for r in rows}


def group_roster(user, group: Group, day: dt.date):
    """The group's children on ``day`` the user may read health records of."""
    on_day = Enrolment.objects.filter(group=group, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)).values("child_id")
    return health_children(user).filter(pk__in=on_day).order_by("name_folded", "birth_date")


def latest_checks(user, child_ids) -> dict[int, HealthCheck]:
    """The newest examination of each child (that the user may read)."""
    out: dict[int, HealthCheck] = {}
    for check in HealthCheck.objects.for_user(user).filter(child_id__in=list(child_ids)).order_by("child_id", "-date"):
        out.setdefault(check.child_id, check)
    return out


def check_counts(user, year: SchoolYear | None) -> list[dict]:
    """Per school in the user's reach: children enrolled, children examined in ``year``, children referred,
    illnesses and doses of medicine. Counts only: what offices see of health (never a child's row); a few
    aggregates whatever the number of schools."""
    if year is None:
        return []
    schools = scoping.restrict_to_roles(School.objects.all(), user, COUNT_READERS, "unit__path")
    ids = schools.values("pk")
    in_year = {"date__gte": year.start_date, "date__lte": year.end_date}
    checks = {r["school_id"]: r for r in HealthCheck.objects.filter(school_id__in=ids, **in_year)
              .values("school_id").annotate(examined=Count("child_id", distinct=True),
                                            referred=Count("child_id", filter=Q(referral=True), distinct=True))}

    def per_school(qs, **flt):
        return dict(qs.filter(school_id__in=ids, **flt).values("school_id").annotate(n=Count("id"))
                    .values_list("school_id", "n"))

    ill = per_school(Illness.objects, noticed_at__date__gte=year.start_date, noticed_at__date__lte=year.end_date)
    doses = per_school(MedicineDose.objects, given_at__date__gte=year.start_date, given_at__date__lte=year.end_date)
    enrolled = dict(Enrolment.objects.filter(school_id__in=ids, end_date__isnull=True, group__school_year=year)
                    .values("school_id").annotate(n=Count("child_id", distinct=True)).values_list("school_id", "n"))
    out = []
    for school in schools.select_related("unit").order_by("unit__name"):
        c = checks.get(school.pk, {})
        out.append({"school": school, "enrolled": enrolled.get(school.pk, 0), "examined": c.get("examined", 0),
                    "referred": c.get("referred", 0), "illnesses": ill.get(school.pk, 0),
                    "doses": doses.get(school.pk, 0)})
    return out
