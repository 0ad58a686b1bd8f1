"""Staff indicators (shared/domain/targets-from-seeds.md, "Staff"), each family one aggregate grouped by school.

Codes: T_PER_CRECHE, T_PER_KINDER (teacher assignments per creche group / kindergarten class of the year);
T_QUAL_STD (teachers at or above the standard training level, Luật Giáo dục 2019 Điều 72, the level rule in
force at the window's end), T_UNIV (teachers with a university degree or higher), M_UNIV (managers with a
university degree in preschool pedagogy or higher), PARTY (managers and teachers who are party members);
T_PROF_STD and T_PROF_KHA (teachers whose decided TT 26/2018 rating of the year is Đạt or higher / Khá or
higher, of the teachers rated: the seeds' T_PROF_STD carries both figures, so the second has a code of its
own), M_PRINCIPAL_STD (managers rated Đạt or higher under TT 25/2018, of those rated); STAFF_RATING (count of
staff rated only "hoàn thành nhiệm vụ" in the year); TRAINED (staff with a training in the window, of the
active staff), TRAINED_STEAM (managers and teachers with a STEAM training in the window).

People are the school's active ``org.Staff`` rows (and who joined the school by the window's end); a person
without a ``StaffRecord`` counts as not meeting any qualification. COMPETENCY (job-position competency
framework) has no records yet.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q

from mamnon.calc import staff_ratings
from mamnon.children.models import CRECHE_BANDS, Group
from mamnon.core.rules import rule_value
from mamnon.indicators.periods import school_year_of
from mamnon.indicators.registry import SchoolValues, Window, family
from mamnon.indicators.services import stock_day
from mamnon.org.models import Staff
from mamnon.staff.models import AnnualRating, StandardRating, Training, TrainingLevel

TEACHER = Q(position=Staff.Position.TEACHER)
MANAGER = Q(position__in=[Staff.Position.PRINCIPAL, Staff.Position.VICE_PRINCIPAL])


def people_on(day, school_ids):
    """The active staff of schools (all, or ``school_ids``) who had joined their school by ``day``."""
    qs = Staff.objects.filter(unit__level__is_school=True, active=True).filter(
        Q(record__joined_on__isnull=True) | Q(record__joined_on__lte=day))
    if school_ids is not None:
        qs = qs.filter(unit_id__in=list(school_ids))
    return qs


def _split(rows, codes_cols: dict[str, tuple[str, str]]) -> dict[str, SchoolValues]:
    rows = list(rows)
    return {code: SchoolValues.from_rows((r["sid"], r[num], r[den]) for r in rows)
            for code, (num, den) in codes_cols.items()}


# The staff on the window's stock day (its last day, or today while it runs): once per distinct day.
@family("T_QUAL_STD", "T_UNIV", "M_UNIV", "PARTY", stock=True)
def qualification_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    day = stock_day(window)
    if day is None:
        return {}
    min_level = int(rule_value("staff.qual_min_level", on=day, default=TrainingLevel.COLLEGE))
    level = "record__training_level"
    pedagogy = Q(record__preschool_pedagogy=True)
    rows = (people_on(day, school_ids).values(sid=F("unit_id")).annotate(
        teachers=Count("id", filter=TEACHER),
        teachers_std=Count("id", filter=TEACHER & pedagogy & Q(**{f"{level}__gte": min_level})),
        teachers_univ=Count("id", filter=TEACHER & Q(**{f"{level}__gte": TrainingLevel.UNIVERSITY})),
        managers=Count("id", filter=MANAGER),
        managers_univ=Count("id", filter=MANAGER & pedagogy & Q(**{f"{level}__gte": TrainingLevel.UNIVERSITY})),
        both=Count("id", filter=TEACHER | MANAGER),
        party=Count("id", filter=(TEACHER | MANAGER) & Q(record__party_member=True)),
    ).order_by())
    return _split(rows, {"T_QUAL_STD": ("teachers_std", "teachers"), "T_UNIV": ("teachers_univ", "teachers"),
                         "M_UNIV": ("managers_univ", "managers"), "PARTY": ("party", "both")})


@family("T_PROF_STD", "T_PROF_KHA", "M_PRINCIPAL_STD", yearly=True)
def standard_rating_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    year = school_year_of(window)
    qs = StandardRating.objects.filter(school_year=year, overall__isnull=False)
    if school_ids is not None:
        qs = qs.filter(school_id__in=list(school_ids))
    teacher = Q(standard=StandardRating.Standard.TEACHER)
    principal = Q(standard=StandardRating.Standard.PRINCIPAL)
    rows = qs.values(sid=F("school_id")).annotate(
        teachers=Count("id", filter=teacher),
        teachers_met=Count("id", filter=teacher & Q(overall__gte=staff_ratings.MET)),
        teachers_good=Count("id", filter=teacher & Q(overall__gte=staff_ratings.GOOD)),
        managers=Count("id", filter=principal),
        managers_met=Count("id", filter=principal & Q(overall__gte=staff_ratings.MET)),
    ).order_by()
    return _split(rows, {"T_PROF_STD": ("teachers_met", "teachers"), "T_PROF_KHA": ("teachers_good", "teachers"),
                         "M_PRINCIPAL_STD": ("managers_met", "managers")})


@family("STAFF_RATING", yearly=True)
def annual_rating_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    year = school_year_of(window)
    qs = AnnualRating.objects.filter(school_year=year, result=AnnualRating.Result.COMPLETED)
    if school_ids is not None:
        qs = qs.filter(school_id__in=list(school_ids))
    rows = qs.values_list("school_id").annotate(n=Count("id")).order_by()
    return {"STAFF_RATING": SchoolValues.from_rows((sid, n, 1) for sid, n in rows)}


@family("T_PER_CRECHE", "T_PER_KINDER", yearly=True)
def group_teachers_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    year = school_year_of(window)
    qs = Group.objects.filter(school_year=year, active=True)
    if school_ids is not None:
        qs = qs.filter(school_id__in=list(school_ids))
    creche = Q(age_band__in=[str(b) for b in CRECHE_BANDS])
    rows = qs.values(sid=F("school_id")).annotate(
        creche_groups=Count("id", distinct=True, filter=creche),
        creche_teachers=Count("assignments", filter=creche),
        kinder_groups=Count("id", distinct=True, filter=~creche),
        kinder_teachers=Count("assignments", filter=~creche),
    ).order_by()
    return _split(rows, {"T_PER_CRECHE": ("creche_teachers", "creche_groups"),
                         "T_PER_KINDER": ("kinder_teachers", "kinder_groups")})


@family("TRAINED", "TRAINED_STEAM")
def training_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    if stock_day(window) is None:  # a period that has not begun has no trainings yet
        return {}
    in_window = Training.objects.filter(staff=OuterRef("pk"), start_date__lte=window.end, end_date__gte=window.start)
    rows = people_on(window.end, school_ids).annotate(
        trained=Exists(in_window), steam=Exists(in_window.filter(topic=Training.Topic.STEAM)),
    ).values(sid=F("unit_id")).annotate(
        staff=Count("id"),
        trained_n=Count("id", filter=Q(trained=True)),
        both=Count("id", filter=TEACHER | MANAGER),
        steam_n=Count("id", filter=(TEACHER | MANAGER) & Q(steam=True)),
    ).order_by()
    return _split(rows, {"TRAINED": ("trained_n", "staff"), "TRAINED_STEAM": ("steam_n", "both")})
