"""Reads of children, groups and enrolments, and the class-size and school-size rule checks.

Every function that returns rows a user sees takes the user and goes through ``core.scoping``. The rule
checks (``group_warnings``, ``school_warnings``) compute on counts loaded in a fixed number of queries; the
figures are ``core.Rule`` rows with their legal basis (shared/domain/regulations.md, section 1):

* Thông tư 52/2020/TT-BGDĐT (Điều lệ trường mầm non), Điều 15: at most 15/20/25 children in a creche group
  of 3-12/13-24/25-36 months, 25/30/35 in a kindergarten class of 3-4/4-5/5-6 years; a band with fewer than
  half its maximum may be taught in a mixed-age group (nhóm/lớp ghép).
* Thông tư 19/2023/TT-BGDĐT, Điều 5 khoản 2 điểm a: each child with a disability counts 5 fewer places,
  for at most 2 such children; Thông tư 03/2018/TT-BGDĐT: at most 2 children with disabilities per class.
* Thông tư 13/2020/TT-BGDĐT, Điều 5 khoản 2: a preschool has 9 to 20 groups (5 in disadvantaged areas).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from mamnon.calc import ages
from mamnon.calc.text import fold
from mamnon.children.models import (
    AgeBand,
    Child,
    ChildSupport,
    Enrolment,
    Group,
    GroupTeacher,
    Guardian,
    RuleOverride,
    Transfer,
)
from mamnon.core import clock, scoping
from mamnon.core.models import Rule, normalize_phone
from mamnon.core.roles import SCHOOL_MANAGER_ROLES, Role
from mamnon.org.models import School, SchoolYear, Staff

OPEN = Q(enrolments__end_date__isnull=True)
# ``disability_type`` is blank for a child without a disability; the LEFT JOIN gives NULL for a child
# without a ChildSupport row, which the comparison also leaves out.
DISABLED = Q(enrolments__child__support__disability_type__gt="")

# --- school years ------------------------------------------------------------------------------------


def current_school_year() -> SchoolYear | None:
    """The year marked current, else the latest that has started, else the latest of all."""
    year = SchoolYear.objects.filter(is_current=True).first()
    if year is None:
        today = clock.today()
        year = SchoolYear.objects.filter(start_date__lte=today).first() or SchoolYear.objects.first()
    return year


def rule_day(year: SchoolYear, on: dt.date | None = None) -> dt.date:
    """The day whose rules apply to a year's groups: ``on`` (default today) clamped to the year's dates."""
    day = on or clock.today()
    return min(max(day, year.start_date), year.end_date)


# --- band arithmetic (pure) --------------------------------------------------------------------------

CRECHE_FAMILY = frozenset(ages.CRECHE_BANDS)
KINDER_FAMILY = frozenset(ages.KINDER_BANDS)


def band_fits(child_band: str, group_band: str) -> bool:
    """Does a child of ``child_band`` belong in a group of ``group_band``? Mixed groups take their family."""
    if group_band == AgeBand.MIXED_CRECHE:
        return child_band in CRECHE_FAMILY
    if group_band == AgeBand.MIXED_KINDER:
        return child_band in KINDER_FAMILY
    return child_band == group_band


def child_band(child: Child, year: SchoolYear) -> str:
    return ages.age_band(child.birth_date, year.start_date)


def band_label(band: str) -> str:
    if band == ages.TOO_YOUNG:
        return _("younger than creche age")
    if band == ages.TOO_OLD:
        return _("older than kindergarten age")
    try:
        return str(AgeBand(band).label)
    except ValueError:
        return band


# --- rules -------------------------------------------------------------------------------------------

GROUP_RULE_CODES = (
    *[f"group_max.{b}" for b in AgeBand.values],
    "group_mixed_fraction", "group_disability_reduction", "group_disability_max",
)
SCHOOL_RULE_CODES = ("school_groups_min", "school_groups_min_disadvantaged", "school_groups_max",
                     "independent_group_children_max")
ALL_RULE_CODES = GROUP_RULE_CODES + SCHOOL_RULE_CODES


def _ancestor_ids(path: str) -> list[int]:
    return [int(x) for x in path.strip("/").split("/") if x]


def rules_for_schools(schools, *, on: dt.date, codes=ALL_RULE_CODES) -> dict[int, dict[str, Rule]]:
    """For each school, the rule row in force on ``on`` per code, in ONE query for any number of schools.

    The same choice as ``core.rules.rules_in_force`` (the deepest unit's row first, then the newest), made
    in Python so that a district's list of groups does not cost a query per school.
    """
    schools = list(schools)
    paths = {s.pk: s.unit.path for s in schools}
    ancestors = {sid: _ancestor_ids(p) for sid, p in paths.items()}
    all_ids = {i for ids in ancestors.values() for i in ids}
    rows = list(
        Rule.objects.filter(code__in=list(codes), effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .filter(Q(unit__isnull=True) | Q(unit_id__in=all_ids))
    )
    out: dict[int, dict[str, Rule]] = {}
    for sid, ids in ancestors.items():
        depth_of = {uid: n + 1 for n, uid in enumerate(ids)}  # the root is depth 1; national rows 0
        best: dict[str, tuple] = {}
        for rule in rows:
            if rule.unit_id is not None and rule.unit_id not in depth_of:
                continue
            rank = (depth_of.get(rule.unit_id, 0), rule.effective_from)
            if rule.code not in best or rank > best[rule.code][0]:
                best[rule.code] = (rank, rule)
        out[sid] = {code: pair[1] for code, pair in best.items()}
    return out


def _int(rule: Rule | None) -> int | None:
    return int(rule.value) if rule is not None else None


@dataclass
class RuleWarning:
    """One rule a group or a school breaks; ``override`` is the principal's recorded decision, if any."""

    code: str
    message: str
    value: int
    limit: int
    legal_basis: str
    group: Group | None = None
    school_id: int | None = None
    year_code: str = ""
    override: RuleOverride | None = None

    @property
    def overridden(self) -> bool:
        return self.override is not None

    @property
    def override_code(self) -> str:
        """The ``RuleOverride.rule_code`` that records a decision about this warning.

        Group warnings are per group (a group belongs to one year); school warnings carry the year.
        """
        return self.code if self.group is not None else f"{self.code}@{self.year_code}"


@dataclass(frozen=True)
class GroupLimit:
    base: int | None  # the charter's maximum for the band
    maximum: int | None  # after the inclusion reduction
    reduction: int  # places taken off for children with disabilities
    basis: str


def group_limit(band: str, *, disabled: int, rules: dict[str, Rule]) -> GroupLimit:
    """The maximum of a group of ``band`` with ``disabled`` children with a disability (pure)."""
    rule = rules.get(f"group_max.{band}")
    if rule is None and band in (AgeBand.MIXED_CRECHE, AgeBand.MIXED_KINDER):
        # No mixed-group maximum in force (the creche one dates from TT 03/2024): the largest maximum of
        # the family's single bands applies.
        family = ages.CRECHE_BANDS if band == AgeBand.MIXED_CRECHE else ages.KINDER_BANDS
        candidates = [rules[f"group_max.{b}"] for b in family if f"group_max.{b}" in rules]
        rule = max(candidates, key=lambda r: r.value, default=None)
    if rule is None:
        return GroupLimit(None, None, 0, "")
    base = int(rule.value)
    per_child = _int(rules.get("group_disability_reduction")) or 0
    counted = disabled
    cap = _int(rules.get("group_disability_max"))
    if cap is not None:
        counted = min(disabled, cap)
    reduction = per_child * counted
    basis = rule.legal_basis
    if reduction:
        basis = f"{basis}; {rules['group_disability_reduction'].legal_basis}"
    return GroupLimit(base, max(base - reduction, 0), reduction, basis)


def evaluate_group(group: Group, *, count: int, disabled: int, band_counts: dict[str, int] | None,
                   rules: dict[str, Rule]) -> list[RuleWarning]:
    """The warnings of one group from its counts (pure: no query)."""
    out: list[RuleWarning] = []
    limit = group_limit(group.age_band, disabled=disabled, rules=rules)
    if limit.maximum is not None and count > limit.maximum:
        if limit.reduction:
            msg = _("%(name)s has %(count)d children, above its maximum of %(max)d (%(base)d for the age band, "
                    "less %(reduction)d places for the children with a disability).") % {
                "name": group.name, "count": count, "max": limit.maximum, "base": limit.base,
                "reduction": limit.reduction}
        else:
            msg = _("%(name)s has %(count)d children, above the maximum of %(max)d for its age band.") % {
                "name": group.name, "count": count, "max": limit.maximum}
        out.append(RuleWarning("group_max", msg, count, limit.maximum, limit.basis, group=group,
                               school_id=group.school_id))
    cap_rule = rules.get("group_disability_max")
    if cap_rule is not None and disabled > int(cap_rule.value):
        out.append(RuleWarning(
            "group_disability_max",
            _("%(name)s has %(disabled)d children with a disability; an inclusive class takes at most %(max)d.")
            % {"name": group.name, "disabled": disabled, "max": int(cap_rule.value)},
            disabled, int(cap_rule.value), cap_rule.legal_basis, group=group, school_id=group.school_id))
    fraction = rules.get("group_mixed_fraction")
    if band_counts and fraction is not None and group.age_band in (AgeBand.MIXED_CRECHE, AgeBand.MIXED_KINDER):
        for band in ages.BANDS:
            n = band_counts.get(band, 0)
            band_max = _int(rules.get(f"group_max.{band}"))
            if not n or band_max is None:
                continue
            threshold = Decimal(band_max) * fraction.value
            if n >= threshold:
                out.append(RuleWarning(
                    "group_mixed",
                    _("%(name)s is a mixed-age group but has %(n)d children of %(band)s, at least half of the "
                      "maximum of %(max)d: a mixed group is for bands under half the maximum.")
                    % {"name": group.name, "n": n, "band": band_label(band), "max": band_max},
                    n, int(threshold), fraction.legal_basis, group=group, school_id=group.school_id))
    return out


def evaluate_school(school: School, year: SchoolYear, *, group_count: int, child_count: int,
                    rules: dict[str, Rule]) -> list[RuleWarning]:
    """The school-size warnings of one school and year (pure)."""
    out: list[RuleWarning] = []
    common = {"school_id": school.pk, "year_code": year.code}
    if school.kind == School.Kind.INDEPENDENT_GROUP:
        cap = rules.get("independent_group_children_max")
        if cap is not None and child_count > int(cap.value):
            out.append(RuleWarning(
                "independent_group_children_max",
                _("The independent group has %(n)d children, above the maximum of %(max)d.")
                % {"n": child_count, "max": int(cap.value)},
                child_count, int(cap.value), cap.legal_basis, **common))
        return out
    low = rules.get("school_groups_min_disadvantaged" if school.disadvantaged_area else "school_groups_min")
    high = rules.get("school_groups_max")
    if low is not None and group_count < int(low.value):
        out.append(RuleWarning(
            "school_groups_min",
            _("The school has %(n)d groups in %(year)s, fewer than the minimum of %(min)d.")
            % {"n": group_count, "year": year.code, "min": int(low.value)},
            group_count, int(low.value), low.legal_basis, **common))
    if high is not None and group_count > int(high.value):
        out.append(RuleWarning(
            "school_groups_max",
            _("The school has %(n)d groups in %(year)s, more than the maximum of %(max)d.")
            % {"n": group_count, "year": year.code, "max": int(high.value)},
            group_count, int(high.value), high.legal_basis, **common))
    return out


def _overrides_for(school_ids, group_ids) -> tuple[dict, dict]:
    rows = RuleOverride.objects.filter(Q(group_id__in=list(group_ids)) | Q(school_id__in=list(school_ids),
                                                                           group__isnull=True))
    by_group: dict[tuple[int, str], RuleOverride] = {}
    by_school: dict[tuple[int, str], RuleOverride] = {}
    for o in rows.order_by("decided_at"):  # the newest decision wins
        if o.group_id is not None:
            by_group[(o.group_id, o.rule_code)] = o
        else:
            by_school[(o.school_id, o.rule_code)] = o
    return by_group, by_school


def _mixed_band_counts(groups) -> dict[int, dict[str, int]]:
    mixed = {g.pk: g for g in groups if g.age_band in (AgeBand.MIXED_CRECHE, AgeBand.MIXED_KINDER)}
    if not mixed:
        return {}
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = Enrolment.objects.filter(group_id__in=list(mixed), end_date__isnull=True).values_list(
        "group_id", "child__birth_date")
    for gid, born in rows:
        out[gid][ages.age_band(born, mixed[gid].school_year.start_date)] += 1
    return out


@dataclass
class GroupCheck:
    """A group's limit under the rules in force and what it breaks."""

    limit: GroupLimit
    warnings: list[RuleWarning]

    @property
    def open_warnings(self) -> list[RuleWarning]:
        return [w for w in self.warnings if not w.overridden]


def group_checks(groups, *, on: dt.date | None = None) -> dict[int, GroupCheck]:
    """Limit and warnings per group id, for groups annotated by ``groups_with_counts``.

    Queries: the rules (one per distinct rule day, i.e. per school year shown), the overrides, and the
    children's birth dates of mixed-age groups when there are any.
    """
    groups = list(groups)
    if not groups:
        return {}
    by_day: dict[dt.date, list[Group]] = defaultdict(list)
    for g in groups:
        by_day[rule_day(g.school_year, on)].append(g)
    rules: dict[tuple[dt.date, int], dict[str, Rule]] = {}
    for day, gs in by_day.items():
        schools = {g.school_id: g.school for g in gs}
        for sid, r in rules_for_schools(schools.values(), on=day, codes=GROUP_RULE_CODES).items():
            rules[(day, sid)] = r
    by_group, _by_school = _overrides_for([], [g.pk for g in groups])
    band_counts = _mixed_band_counts(groups)
    out: dict[int, GroupCheck] = {}
    for g in groups:
        group_rules = rules[(rule_day(g.school_year, on), g.school_id)]
        ws = evaluate_group(g, count=g.child_count, disabled=g.disabled_count, band_counts=band_counts.get(g.pk),
                            rules=group_rules)
        for w in ws:
            w.override = by_group.get((g.pk, w.override_code))
        out[g.pk] = GroupCheck(group_limit(g.age_band, disabled=g.disabled_count, rules=group_rules), ws)
    return out


def group_warnings(groups, *, on: dt.date | None = None) -> dict[int, list[RuleWarning]]:
    """Warnings per group id (see ``group_checks``)."""
    return {pk: check.warnings for pk, check in group_checks(groups, on=on).items()}


def school_warnings(schools, year: SchoolYear, *, on: dt.date | None = None) -> dict[int, list[RuleWarning]]:
    """School-size warnings per school id for ``year`` (active groups counted in one query)."""
    schools = list(schools)
    if not schools:
        return {}
    ids = [s.pk for s in schools]
    group_counts = dict(
        Group.objects.filter(school_id__in=ids, school_year=year, active=True)
        .values("school_id").annotate(n=Count("id")).values_list("school_id", "n")
    )
    child_counts = dict(
        Enrolment.objects.filter(school_id__in=ids, group__school_year=year, end_date__isnull=True)
        .values("school_id").annotate(n=Count("id")).values_list("school_id", "n")
    )
    rules = rules_for_schools(schools, on=rule_day(year, on), codes=SCHOOL_RULE_CODES)
    _by_group, by_school = _overrides_for(ids, [])
    out = {}
    for s in schools:
        ws = evaluate_school(s, year, group_count=group_counts.get(s.pk, 0), child_count=child_counts.get(s.pk, 0),
                             rules=rules[s.pk])
        for w in ws:
            w.override = by_school.get((s.pk, w.override_code))
        out[s.pk] = ws
    return out


# --- groups ------------------------------------------------------------------------------------------


def groups_with_counts(qs: QuerySet[Group]) -> QuerySet[Group]:
    """Each group with ``child_count`` (open enrolments) and ``disabled_count``, in the same query."""
    return qs.select_related("school", "school__unit", "school_year", "site").annotate(
        child_count=Count("enrolments", filter=OPEN),
        disabled_count=Count("enrolments", filter=OPEN & DISABLED),
    )


def visible_staff(user) -> QuerySet[Staff]:
    return scoping.restrict(Staff.objects.all(), user)


def with_teachers(qs: QuerySet[Group], user) -> QuerySet[Group]:
    """Prefetch each group's teacher assignments, limited to the staff the user may see (parents: none)."""
    assignments = GroupTeacher.objects.filter(staff__in=visible_staff(user)).select_related("staff").order_by(
        "-is_lead", "staff__full_name")
    return qs.prefetch_related(Prefetch("assignments", queryset=assignments, to_attr="visible_assignments"))


def groups_for(user, *, year: SchoolYear | None = None, action: str = scoping.VIEW) -> QuerySet[Group]:
    qs = scoping.restrict(Group.objects.all(), user, action)
    if year is not None:
        qs = qs.filter(school_year=year)
    return qs


def roster(group: Group, user) -> QuerySet[Enrolment]:
    """The open enrolments of a group the user may see, with the child and her guardians the user may see."""
    guardians = scoping.restrict(Guardian.objects.all(), user).order_by("-is_primary", "full_name")
    return (
        scoping.restrict(Enrolment.objects.filter(group=group, end_date__isnull=True), user)
        .select_related("child")
        .prefetch_related(Prefetch("child__guardians", queryset=guardians, to_attr="visible_guardians"))
        .order_by("child__name_folded", "child__birth_date")
    )


# --- children ----------------------------------------------------------------------------------------


def children_for(user, action: str = scoping.VIEW) -> QuerySet[Child]:
    return scoping.restrict(Child.objects.all(), user, action)


def support_for(user, child: Child) -> ChildSupport | None:
    """The child's support data, only if scoping lets the user see it."""
    return scoping.restrict(ChildSupport.objects.filter(child=child), user).first()


def visible_support(user, children) -> dict[int, ChildSupport]:
    """Support rows of ``children`` the user may see, by child id (one query)."""
    ids = [c.pk for c in children]
    if not ids:
        return {}
    return {s.child_id: s for s in scoping.restrict(ChildSupport.objects.filter(child_id__in=ids), user)}


def open_enrolment(child: Child) -> Enrolment | None:
    return child.enrolments.filter(end_date__isnull=True).select_related("group", "group__school_year").first()


_PHONE_CHARS = re.compile(r"[\s.\-()+]")
MIN_DIGITS = 4


def children_search(user, query: str, *, qs: QuerySet[Child] | None = None) -> QuerySet[Child]:
    """Children in the user's scope matching ``query``, ignoring diacritics and case.

    Digits search the personal identification number and the guardians' mobile numbers (normalised:
    '+84 912 345 678' finds 0912345678); words search the name, each word anywhere in it, so
    'nguyen an' finds 'Nguyễn Văn An'. The guardians searched are those the user may see: an office,
    which does not see family contacts, cannot probe them by number.
    """
    base = scoping.restrict(qs if qs is not None else Child.objects.all(), user)
    query = (query or "").strip()
    if not query:
        return base.none()
    digits = _PHONE_CHARS.sub("", query)
    if digits.isdigit():
        if len(digits) < MIN_DIGITS:
            return base.none()
        phone = normalize_phone(query) or digits
        guardians = scoping.restrict(Guardian.objects.filter(phone__contains=phone), user).values("child_id")
        return base.filter(Q(personal_id__startswith=digits) | Q(pk__in=guardians))
    words = fold(query).split()
    for w in words:
        base = base.filter(name_folded__contains=w)
    return base


# --- transfers ---------------------------------------------------------------------------------------


def managed_school_ids(user, roles=SCHOOL_MANAGER_ROLES) -> list[int]:
    """Schools where the user holds one of ``roles`` (a school's id is its unit's id)."""
    return [g.unit_id for g in scoping.grants(user) if g.role in roles and g.is_school]


def transfers_incoming(user) -> QuerySet[Transfer]:
    """Children released to a school the user is principal of, not yet accepted.

    Transfer rows are scoped to the sending school; the receiving principal reaches them through the
    child, which scoping shows her once released (core.scoping's transfer rule), and through her own
    principal's grant at the receiving school.
    """
    schools = School.objects.all() if scoping.is_admin(user) else School.objects.filter(
        pk__in=managed_school_ids(user, {Role.PRINCIPAL}))
    return (
        Transfer.objects.filter(accepted_at__isnull=True, to_school__in=schools,
                                child__in=scoping.restrict(Child.objects.all(), user))
        .select_related("child", "school__unit", "to_school__unit")
        .order_by("released_at")
    )
