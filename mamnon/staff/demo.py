"""Demo staff records, ratings and training for every school of the chosen scale; Sao Sáng in detail.

Distributions follow the seeds (shared/domain/targets-from-seeds.md, "Staff"): about 85-92% of teachers at the
standard training level (college in preschool pedagogy or higher; target 84%), about 60% with a university
degree, nearly all managers with a university degree in preschool pedagogy, about 40% of managers and
teachers party members, professional-standard ratings of the last school year about one third Tốt and 90%
Khá or better, civil-servant ratings mostly "hoàn thành tốt", and in-service training (BDTX) for nearly everyone
this year. Sao Sáng (seed 002) meets its own targets: everyone trained in STEAM this year, nobody rated only
"hoàn thành nhiệm vụ" last year, every teacher at the standard. Everything is drawn with numpy from the
demo's seed, and written in bulk (no history rows).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.utils import timezone

from mamnon.calc import staff_ratings
from mamnon.children.demo import current_year
from mamnon.core import clock
from mamnon.core.demo import DemoContext, register
from mamnon.org.models import School, SchoolYear, Staff
from mamnon.staff.models import AnnualRating, StaffRecord, StandardRating, Training

POS = Staff.Position
TEACHING = {POS.TEACHER, POS.PRINCIPAL, POS.VICE_PRINCIPAL}
ETHNIC = (["01"] * 97) + ["02", "06", "04"]  # Hải Phòng: almost all Kinh; a few Tày, Mường, Hoa
MAJORS_OTHER = {POS.NURSE: "Y sĩ đa khoa", POS.ACCOUNTANT: "Kế toán", POS.COOK: "Kỹ thuật chế biến món ăn",
                POS.CLERK: "Văn thư lưu trữ", POS.SECURITY: "", POS.OTHER: ""}
BDTX = ["Bồi dưỡng thường xuyên: Nội dung bồi dưỡng 1 (chính trị, chính sách)",
        "Bồi dưỡng thường xuyên: Nội dung bồi dưỡng 2 (nhiệm vụ năm học của địa phương)",
        "Bồi dưỡng thường xuyên: Modun MN 3 - Xây dựng môi trường giáo dục lấy trẻ làm trung tâm"]
STEAM_COURSE = "Tập huấn phương pháp giáo dục STEAM trong trường mầm non"
PROVIDERS = ["Phòng GD&ĐT", "Sở GD&ĐT Hải Phòng", "Nhà trường"]
BATCH = 5000


def _days(rng, n, low, high):
    return rng.integers(low, high + 1, size=n)


@register("staff", 25)
def generate(ctx: DemoContext) -> None:
    org = ctx.data["org"]
    sao_sang = org["sao_sang_id"]
    school_ids = org["school_ids"]
    rng = np.random.default_rng(ctx.seed + 25)
    today = clock.today()
    year = current_year()
    previous = SchoolYear.objects.filter(start_date__lt=year.start_date).order_by("-start_date").first()
    public = set(School.objects.filter(pk__in=school_ids, ownership=School.Ownership.PUBLIC)
                 .values_list("pk", flat=True))
    rows = list(Staff.objects.filter(unit_id__in=school_ids).order_by("pk").values_list("pk", "unit_id", "position"))
    if not rows:
        return
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    school = np.array([r[1] for r in rows], dtype=np.int64)
    pos = np.array([r[2] for r in rows], dtype=object)
    n = len(ids)
    advance = ctx.progress("Hồ sơ đội ngũ (staff)", 4)
    is_teacher = pos == POS.TEACHER
    is_manager = np.isin(pos, [POS.PRINCIPAL, POS.VICE_PRINCIPAL])
    teaching = is_teacher | is_manager
    at_sao_sang = school == sao_sang
    is_public = np.isin(school, list(public))

    # Who they are: women teach; ages 22-58 (teachers), 30-55 (managers).
    male = np.where(teaching, rng.random(n) < 0.02, np.where(pos == POS.SECURITY, True, rng.random(n) < 0.2))
    age_days = np.where(is_manager, _days(rng, n, 33 * 365, 55 * 365), _days(rng, n, 22 * 365, 57 * 365))
    birth = np.datetime64(today) - age_days.astype("timedelta64[D]")
    hired = birth + (_days(rng, n, 20 * 365, 24 * 365)).astype("timedelta64[D]")
    hired = np.minimum(hired, np.datetime64(today) - np.timedelta64(30, "D"))
    joined = hired + (rng.integers(0, 12 * 365, size=n)).astype("timedelta64[D]")
    joined = np.minimum(joined, np.datetime64(year.start_date) - np.timedelta64(1, "D"))
    joined = np.maximum(joined, hired)

    # Training level: teachers university 58%, college 31%, master 2%, intermediate 8%, none 1%.
    level = np.where(is_teacher, rng.choice([3, 2, 4, 1, 0], size=n, p=[0.58, 0.31, 0.02, 0.08, 0.01]),
                     np.where(is_manager, rng.choice([3, 4], size=n, p=[0.88, 0.12]),
                              rng.choice([0, 1, 2, 3], size=n, p=[0.35, 0.35, 0.15, 0.15])))
    level = np.where(at_sao_sang & is_teacher & (level < 2), 2, level)  # Sao Sáng: every teacher at the standard
    pedagogy = np.where(teaching, (rng.random(n) < 0.97) | is_manager | at_sao_sang, False)
    upgrading = is_teacher & (level < 2) & (rng.random(n) < 0.55)
    upgraded = is_teacher & (level >= 2) & (rng.random(n) < 0.12) & (hired < np.datetime64("2020-07-01"))
    party = rng.random(n) < np.where(is_manager, 0.95, np.where(is_teacher, 0.40, 0.10))
    party_since = np.where(party, birth + (_days(rng, n, 25 * 365, 32 * 365)).astype("timedelta64[D]"),
                           np.datetime64("NaT"))
    party_since = np.where(party_since > np.datetime64(today), np.datetime64(today) - np.timedelta64(200, "D"),
                           party_since)
    party_since = np.where(party & (party_since < birth + np.timedelta64(18 * 366, "D")),
                           birth + np.timedelta64(19 * 366, "D"), party_since)
    employment = np.where(~is_public, "private",
                          np.where(teaching | np.isin(pos, [POS.NURSE, POS.ACCOUNTANT]),
                                   np.where(rng.random(n) < 0.9, "civil_servant", "contract"), "contract"))
    title = np.where((employment == "civil_servant") & teaching,
                     rng.choice(["III", "II", "I"], size=n, p=[0.35, 0.5, 0.15]), "")
    ethnicity = rng.choice(ETHNIC, size=n)

    def day(value):
        return None if np.isnat(value) else value.astype(dt.date)

    for first in range(0, n, BATCH):  # in slices: the national scale has about half a million people
        StaffRecord.objects.bulk_create([
            StaffRecord(
                staff_id=int(ids[i]), school_id=int(school[i]), sex="M" if male[i] else "F",
                birth_date=day(birth[i]), ethnicity=str(ethnicity[i]), employment=str(employment[i]),
                hired_on=day(hired[i]), joined_on=day(joined[i]), title_grade=str(title[i]),
                training_level=int(level[i]), major="Giáo dục mầm non" if pedagogy[i] else MAJORS_OTHER.get(pos[i], ""),
                preschool_pedagogy=bool(pedagogy[i]), in_upgrade_training=bool(upgrading[i]),
                upgraded_under_roadmap=bool(upgraded[i]), party_member=bool(party[i]),
                party_joined_on=day(party_since[i]),
            ) for i in range(first, min(first + BATCH, n))])
    advance(1)

    # Professional-standard ratings of last school year (decided), from a per-person ability.
    if previous is not None:
        _ratings(rng, previous, ids[teaching], school[teaching], pos[teaching], at_sao_sang[teaching])
        _annual(rng, previous, ids[teaching | np.isin(pos, [POS.NURSE, POS.ACCOUNTANT])],
                school[teaching | np.isin(pos, [POS.NURSE, POS.ACCOUNTANT])],
                at_sao_sang[teaching | np.isin(pos, [POS.NURSE, POS.ACCOUNTANT])])
    advance(1)
    _trainings(rng, year, today, ids, school, teaching, at_sao_sang)
    advance(1)
    # Sao Sáng: this year's self-assessments of a few teachers already in.
    sao_teachers = ids[at_sao_sang & is_teacher][:5]
    if len(sao_teachers):
        levels = np.clip(rng.integers(2, 4, size=(len(sao_teachers), 15)), 0, 3)
        overall = staff_ratings.overall_array(levels, staff_ratings.TEACHER_TT26)
        StandardRating.objects.bulk_create([
            StandardRating(staff_id=int(s), school_id=sao_sang, school_year=year, standard="teacher",
                           self_levels=levels[k].tolist(), self_overall=int(overall[k]),
                           self_assessed_at=clock.now())
            for k, s in enumerate(sao_teachers)])
    advance(1)
    ctx.data["staff"] = {"records": n}


def _ratings(rng, year, ids, school, pos, sao) -> None:
    n = len(ids)
    if not n:
        return
    # A profile per person (about a third Tốt, 90% Khá or better; Sao Sáng better), criteria drawn to fit it;
    # the overall rating is then computed by the circulars' rules, not taken from the profile.
    profile = np.where(sao, rng.choice([3, 2], size=n, p=[0.45, 0.55]),
                       rng.choice([3, 2, 1, 0], size=n, p=[0.33, 0.56, 0.10, 0.01]))
    width = staff_ratings.PRINCIPAL_TT25.criteria  # 18; teachers use the first 15 (TT 26/2018)
    u = rng.random((n, width))
    non_key = np.ones(width, dtype=bool)
    non_key[[k - 1 for k in staff_ratings.TEACHER_TT26.key | staff_ratings.PRINCIPAL_TT25.key]] = False
    excellent = np.where(non_key & (u < 0.25), 2, 3)
    good = np.where(u < 0.3, 3, np.where(non_key & (u > 0.92), 1, 2))
    met = np.where(u < 0.45, 2, 1)
    levels = np.select([profile[:, None] == 3, profile[:, None] == 2], [excellent, good], met).astype(np.int64)
    levels[profile == 0, rng.integers(0, 15, size=int((profile == 0).sum()))] = 0
    managers = np.isin(pos, [POS.PRINCIPAL, POS.VICE_PRINCIPAL])
    t = staff_ratings.TEACHER_TT26.criteria
    overall = np.where(managers, staff_ratings.overall_array(levels, staff_ratings.PRINCIPAL_TT25),
                       staff_ratings.overall_array(levels[:, :t], staff_ratings.TEACHER_TT26))
    self_levels = np.clip(levels + (rng.random((n, width)) < 0.15), 0, 3)
    self_overall = np.where(managers, staff_ratings.overall_array(self_levels, staff_ratings.PRINCIPAL_TT25),
                            staff_ratings.overall_array(self_levels[:, :t], staff_ratings.TEACHER_TT26))
    decided = timezone.make_aware(dt.datetime.combine(year.end_date - dt.timedelta(days=10), dt.time(9)))
    for first in range(0, n, BATCH):
        StandardRating.objects.bulk_create([StandardRating(
            staff_id=int(ids[i]), school_id=int(school[i]), school_year=year,
            standard="principal" if managers[i] else "teacher",
            self_levels=self_levels[i, :width if managers[i] else t].tolist(),
            self_overall=int(self_overall[i]), self_assessed_at=decided - dt.timedelta(days=14),
            levels=levels[i, :width if managers[i] else t].tolist(), overall=int(overall[i]), decided_at=decided,
            note="Đánh giá theo chuẩn nghề nghiệp cuối năm học") for i in range(first, min(first + BATCH, n))])


def _annual(rng, year, ids, school, sao) -> None:
    n = len(ids)
    if not n:
        return
    result = rng.choice(["excellent", "good", "completed", "not_completed"], size=n, p=[0.15, 0.68, 0.16, 0.01])
    result = np.where(sao, rng.choice(["excellent", "good"], size=n, p=[0.2, 0.8]), result)  # seed 002: none "HTNV"
    for first in range(0, n, BATCH):
        AnnualRating.objects.bulk_create([AnnualRating(staff_id=int(ids[i]), school_id=int(school[i]),
                                                       school_year=year, result=str(result[i]))
                                          for i in range(first, min(first + BATCH, n))])


def _trainings(rng, year, today, ids, school, teaching, sao) -> None:
    n = len(ids)
    span = max(1, min((today - year.start_date).days, (year.end_date - year.start_date).days) - 5)
    start = np.datetime64(year.start_date) + rng.integers(0, span, size=n).astype("timedelta64[D]")
    trained = rng.random(n) < np.where(sao, 1.0, 0.93)
    course = rng.integers(0, len(BDTX), size=n)
    rows = []
    for i in np.flatnonzero(trained):
        s = start[i].astype(dt.date)
        rows.append(Training(staff_id=int(ids[i]), school_id=int(school[i]), course=BDTX[course[i]],
                             topic="regular", hours=Decimal(int(rng.choice([20, 30, 40]))), start_date=s,
                             end_date=s + dt.timedelta(days=int(rng.integers(0, 4))),
                             provider=PROVIDERS[int(rng.integers(0, len(PROVIDERS)))], certificate=True))
        if len(rows) >= BATCH:
            Training.objects.bulk_create(rows)
            rows = []
    steam = sao | (teaching & (rng.random(n) < 0.3))
    steam_day = min(year.start_date + dt.timedelta(days=40), today)
    for i in np.flatnonzero(steam):
        rows.append(Training(staff_id=int(ids[i]), school_id=int(school[i]), course=STEAM_COURSE, topic="steam",
                             hours=Decimal(16), start_date=steam_day, end_date=steam_day,
                             provider="Phòng GD&ĐT An Lão" if sao[i] else PROVIDERS[0], certificate=True))
        if len(rows) >= BATCH:
            Training.objects.bulk_create(rows)
            rows = []
    Training.objects.bulk_create(rows)
