"""Demo school days: holidays, attendance, handovers (đón - trả trẻ), absence requests and incidents.

Sao Sáng gets every school day of the current year up to the day before the demo's "today" (so that today's
register and handovers are left for the demo users to fill in), the other schools the last month of it.
Attendance is about 93-95% present with some late arrivals, sick spells of a few days, excused days and a
few unexcused ones; frail children and bad days miss more. Sao Sáng's present children have a handover
each day: dropped off 6:45-8:00 by a parent who confirms it (PIN, drawn signature or, for the demo
parent, the portal), collected 16:30-17:30 by a guardian or an authorised relative. The national scale has
no daily history (issue 2). Rows are written in bulk (children.demo.bulk_copy), no history rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model

from mamnon.attendance import services
from mamnon.attendance.models import (
    AbsenceRequest,
    Attendance,
    CalendarDay,
    GroupDay,
    Handover,
    Incident,
)
from mamnon.calc import holidays as public_holidays
from mamnon.children import demo as children_demo
from mamnon.children.demo import at, bulk_copy, bulk_load
from mamnon.children.models import AuthorisedPickup, Enrolment, Group, GroupTeacher, Guardian
from mamnon.core import clock
from mamnon.core.demo import DemoContext, register
from mamnon.org.models import OrgUnit, SchoolYear

PRESENT, LATE, EXCUSED, UNEXCUSED, SICK = range(5)
STATUS = ["present", "late", "excused", "unexcused", "sick"]
CRECHE = {"c3_12", "c13_24", "c25_36", "mixed_creche"}

SICK_NOTES = ["Sốt", "Ho, sổ mũi", "Viêm họng", "Sốt virus", "Tiêu chảy", "Viêm phế quản", "Tay chân miệng",
              "Đau bụng"]
EXCUSED_NOTES = ["Gia đình xin nghỉ", "Về quê cùng bố mẹ", "Đi khám bệnh", "Gia đình có việc", "Đi tiêm chủng",
                 "Nhà có đám cưới"]
SYMPTOMS = ["Sổ mũi, ho nhẹ", "Sốt nhẹ về đêm", "Ho có đờm", "Biếng ăn, hơi mệt", "Phát ban nhẹ ở tay"]
MEDICINES = [("Siro ho Prospan", "5 ml", "Sau bữa trưa"), ("Men vi sinh Biogaia", "5 giọt", "Sau bữa sáng"),
             ("Hạ sốt Hapacol 150", "1 gói", "Khi sốt trên 38,5°C"), ("Nước muối sinh lý nhỏ mũi", "2 giọt mỗi bên",
                                                                       "Trước giờ ngủ trưa")]
MEALS = ["Ăn hết suất", "Ăn hết suất", "Ăn hết suất", "Ăn hết 2/3 suất", "Ăn ít, cô đã động viên",
         "Ăn hết suất, xin thêm cơm"]
NAPS = ["Ngủ trưa đủ giấc", "Ngủ trưa 2 tiếng", "Ngủ 1 tiếng 30 phút", "Ngủ ít, hay trở mình"]
DAY_NOTES = ["Hôm nay con hăng hái tham gia hoạt động vẽ tranh.", "Con thuộc bài thơ mới, bố mẹ cho con đọc lại ở nhà.",
             "Con chơi đoàn kết với các bạn.", "Con hơi mệt buổi chiều, gia đình theo dõi thêm.",
             "Con tự xúc ăn giỏi.", "Con được bé ngoan của lớp."]
INCIDENTS = [
    ("Sân chơi", "Cháu chạy, vấp ngã, trầy xước đầu gối bên phải.", "Rửa vết thương bằng nước muối sinh lý, sát trùng, "
     "dán băng.", "Theo dõi tại lớp, vết thương khô, không cần đưa đi khám.", False),
    ("Lớp học", "Cháu bị bạn cào nhẹ vào má khi tranh đồ chơi.", "Rửa sạch, bôi thuốc sát trùng.",
     "Giáo viên trao đổi với phụ huynh hai cháu; nhắc nhở các cháu chơi cùng nhau.", False),
    ("Nhà vệ sinh", "Cháu trượt chân, va trán vào thành bồn rửa tay, sưng nhẹ.", "Chườm lạnh 10 phút, theo dõi "
     "tri giác.", "Không có dấu hiệu bất thường; nhà trường kiểm tra lại thảm chống trơn.", False),
    ("Phòng ăn", "Cháu bị chảy máu cam trong giờ ăn trưa.", "Cho cháu ngồi cúi đầu, bóp cánh mũi 10 phút, máu "
     "cầm.", "Nhân viên y tế theo dõi; đề nghị gia đình cho cháu khám tai mũi họng.", False),
    ("Sân chơi", "Cháu ngã từ cầu trượt, đau và sưng cổ tay trái.", "Cố định tạm cổ tay, chườm lạnh, gọi xe đưa "
     "cháu đến bệnh viện.", "Bệnh viện chẩn đoán rạn xương cổ tay, bó bột 3 tuần; nhà trường kiểm tra lại thiết "
     "bị sân chơi.", True),
]
SIGNATURE = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 60"><path d="M10 40 C 40 5, 60 55, 90 25 '
             'S 140 10, 190 35" fill="none" stroke="#000" stroke-width="2"/></svg>')


def calendar(year: SchoolYear) -> dict[dt.date, tuple[str, str]]:
    """The school year's exceptions to the Monday-Friday week: the public holidays and days in lieu, and the
    Saturdays worked in exchange (calc.holidays, Bộ luthat Lao động 2019, Điều 112), as a province gets them
    with the calendar's "import public holidays"."""
    out: dict[dt.date, tuple[str, str]] = {}
    for y in range(year.start_date.year, year.end_date.year + 1):
        for day, name in public_holidays.public_holidays(y):
            out[day] = (CalendarDay.Kind.HOLIDAY.value, name)
        for day in public_holidays.weekend_workdays(y):
            out[day] = (CalendarDay.Kind.MAKE_UP.value, "Ngày làm việc bù cho ngày nghỉ lễ")
    return {d: v for d, v in sorted(out.items()) if year.start_date <= d <= year.end_date}


def school_days(first: dt.date, last: dt.date, exceptions: dict[dt.date, tuple[str, str]]) -> list[dt.date]:
    """Monday to Friday from ``first`` to ``last``, without holidays and closures, with make-up days."""
    days, day = [], first
    while day <= last:
        kind = exceptions.get(day, (None,))[0]
        if kind == CalendarDay.Kind.MAKE_UP or (day.weekday() < 5 and kind is None):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def month_before(day: dt.date) -> dt.date:
    """The day one month before (clamped to the month's end): 22/11 -> 22/10."""
    y, m = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(y, m, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _spells(rng: np.random.Generator, p_start: np.ndarray, durations, weights) -> np.ndarray:
    """Boolean (children x days): spells starting with probability p_start and lasting a drawn number of days."""
    n, d = p_start.shape
    start = rng.random((n, d)) < p_start
    dur = rng.choice(np.array(durations), size=(n, d), p=np.array(weights) / sum(weights))
    mask = np.zeros((n, d), dtype=bool)
    for k in range(max(durations)):
        began = start & (dur > k)
        mask[:, k:] |= began[:, :d - k]
    return mask


def statuses(rng: np.random.Generator, n: int, d: int, band: str) -> np.ndarray:
    """Status codes (children x school days): about 93-95% present, creche children more often sick."""
    frail = rng.gamma(2.0, 0.5, size=(n, 1))  # some children miss far more than others
    bad_day = rng.lognormal(0.0, 0.25, size=(1, d))  # weather, a cold going round
    base = frail * bad_day
    young = 1.4 if band in CRECHE else (0.8 if band == "k5" else 1.0)
    out = np.full((n, d), PRESENT, dtype=np.int8)
    out[rng.random((n, d)) < 0.035 * rng.gamma(1.5, 2 / 3, size=(n, 1))] = LATE
    out[rng.random((n, d)) < 0.003 * base] = UNEXCUSED
    out[_spells(rng, 0.012 * base, (1, 2, 3), (6, 3, 1))] = EXCUSED
    out[_spells(rng, 0.013 * base * young, (1, 2, 3, 4, 5), (15, 30, 30, 15, 10))] = SICK
    return out


class DayBuilder:
    def __init__(self, ctx: DemoContext, year: SchoolYear, today: dt.date):
        self.ctx = ctx
        self.year = year
        self.rng = np.random.default_rng([ctx.seed, 30])
        self.off = calendar(year)
        self.last = min(today - dt.timedelta(days=1), year.end_date)
        self.today = today
        self.counts = {"attendance": 0, "group_days": 0, "handovers": 0, "absence_requests": 0, "incidents": 0}
        User = get_user_model()
        self.users = {u.username: u for u in User.objects.filter(
            username__in=["gv.saosang", "yte.saosang", "ht.saosang", "phuhuynh.saosang"])}
        teacher = self.users.get("gv.saosang")
        self.teacher_groups = set(GroupTeacher.objects.filter(staff__user=teacher).values_list(
            "group_id", flat=True)) if teacher else set()
        self.incidents: list[Incident] = []

    def write_calendar(self) -> None:
        """The public holidays on every top unit, so each school below inherits them."""
        roots = list(OrgUnit.objects.filter(parent__isnull=True).values_list("id", flat=True))
        CalendarDay.objects.bulk_create([CalendarDay(unit_id=root, date=day, kind=kind, note=note)
                                         for root in roots for day, (kind, note) in self.off.items()])

    def run(self, school_ids: list[int], sao_sang_id: int) -> None:
        if self.last < self.year.start_date:
            return
        all_days = school_days(self.year.start_date, self.last, self.off)
        month_days = [d for d in all_days if d > month_before(self.last)]
        groups: dict[int, list] = {}
        for gid, school_id, band in Group.objects.filter(school_year=self.year, school_id__in=school_ids).order_by(
                "school_id", "id").values_list("id", "school_id", "age_band"):
            groups.setdefault(school_id, []).append((gid, band))
        members: dict[int, list[int]] = {}
        for gid, cid in Enrolment.objects.filter(group__school_year=self.year, end_date__isnull=True).order_by(
                "group_id", "child_id").values_list("group_id", "child_id"):
            members.setdefault(gid, []).append(cid)
        schools = [s for s in school_ids if s in groups]
        sao_sang: list[tuple] = []
        advance = self.ctx.progress("Điểm danh (attendance)", len(schools))
        chunk = children_demo.CHUNK_SCHOOLS
        for start in range(0, len(schools), chunk):
            registers = []  # (school, group, band, children, days, status matrix)
            for school_id in schools[start:start + chunk]:
                days = all_days if school_id == sao_sang_id else month_days
                for gid, band in groups[school_id]:
                    kids = members.get(gid, [])
                    if kids and days:
                        registers.append((school_id, gid, band, kids, days, statuses(self.rng, len(kids), len(days),
                                                                                     band)))
            self._write(registers)
            self._incidents(registers, sao_sang_id)
            sao_sang += [r for r in registers if r[0] == sao_sang_id]
            advance(min(chunk, len(schools) - start))
        self._handovers(sao_sang)
        self._absence_requests(sao_sang)
        Incident.objects.bulk_create(self.incidents)
        self.counts["incidents"] = len(self.incidents)

    def _write(self, registers: list[tuple]) -> None:
        gv = self.users.get("gv.saosang")
        rng = self.rng
        saved_minute = rng.integers(0, 45, size=max(1, len(registers)))
        day_at: dict[dt.date, dt.datetime] = {}

        def rows():
            for k, (school_id, gid, _band, kids, days, matrix) in enumerate(registers):
                by = gv.id if gv and gid in self.teacher_groups else None
                # Child by child (the order of the child/date index) and plain ints: indexing numpy arrays
                # cell by cell is slow.
                by_child = matrix.tolist()
                notes = rng.integers(0, 1000, size=matrix.shape).tolist()
                late = dt.timedelta(minutes=int(saved_minute[k]))
                saved = [(day_at.get(day) or day_at.setdefault(day, at(day, 8, 30))) + late for day in days]
                for cid, row, draws in zip(kids, by_child, notes, strict=True):
                    for day, when, s, r in zip(days, saved, row, draws, strict=True):
                        if s == SICK:
                            note = SICK_NOTES[r % len(SICK_NOTES)]
                        elif s == EXCUSED:
                            note = EXCUSED_NOTES[r % len(EXCUSED_NOTES)]
                        else:
                            note = ""
                        yield (school_id, gid, cid, day, STATUS[s], note, by, when)

        self.counts["attendance"] += bulk_copy(
            Attendance, ["school_id", "group_id", "child_id", "date", "status", "note", "recorded_by_id",
                         "recorded_at"], rows())
        self.counts["group_days"] += bulk_copy(
            GroupDay, ["school_id", "group_id", "date", "saved_by_id", "saved_at"],
            ((school_id, gid, day, gv.id if gv and gid in self.teacher_groups else None,
              day_at[day] + dt.timedelta(minutes=int(saved_minute[k])))
             for k, (school_id, gid, _b, _kids, days, _m) in enumerate(registers) for day in days))

    def _incidents(self, registers: list[tuple], sao_sang_id: int) -> None:
        """A handful of minor injuries (one serious at the city scale); Sao Sáng has two in its year."""
        rng = self.rng
        by_school: dict[int, list[tuple]] = {}
        for reg in registers:
            by_school.setdefault(reg[0], []).append(reg)
        for school_id, regs in by_school.items():
            wanted = 2 if school_id == sao_sang_id else int(rng.random() < 0.015)
            for _ in range(wanted):
                school_id, gid, _band, kids, days, matrix = regs[int(rng.integers(0, len(regs)))]
                present = np.argwhere(matrix <= LATE)
                if not len(present):
                    continue
                i, j = present[int(rng.integers(0, len(present)))]
                serious = not any(x.serious for x in self.incidents) and school_id != sao_sang_id
                place, what, first_aid, follow_up, grave = INCIDENTS[-1] if serious else \
                    INCIDENTS[int(rng.integers(0, len(INCIDENTS) - 1))]
                occurred = at(days[j], 9 + int(rng.integers(0, 7)), int(rng.integers(0, 60)))
                self.incidents.append(Incident(
                    school_id=school_id, child_id=kids[i], group_id=gid, occurred_at=occurred, place=place, what=what,
                    present="Giáo viên chủ nhiệm lớp và nhân viên y tế nhà trường", first_aid=first_aid,
                    parents_informed_at=occurred + dt.timedelta(minutes=20 + int(rng.integers(0, 40))),
                    follow_up=follow_up, serious=grave,
                    recorded_by=self.users.get("yte.saosang") if school_id == sao_sang_id else None,
                ))

    def _handovers(self, registers: list[tuple]) -> None:
        """The handover book of every day a Sao Sáng child came (seed 000 and 002: teacher and parent confirm
        the child's health at drop-off and pick-up every day)."""
        rng = self.rng
        gv = self.users.get("gv.saosang")
        kids = [cid for reg in registers for cid in reg[3]]
        guardians: dict[int, dict[str, tuple[int, int | None]]] = {}
        for gid, cid, relation, user_id in Guardian.objects.filter(child_id__in=kids).order_by(
                "-is_primary", "id").values_list("id", "child_id", "relation", "user_id"):
            guardians.setdefault(cid, {}).setdefault(relation, (gid, user_id))
        pickups: dict[int, int] = dict(AuthorisedPickup.objects.filter(child_id__in=kids).values_list(
            "child_id", "id"))

        def rows():
            for school_id, gid, _band, kids, days, matrix in registers:
                by = gv.id if gv and gid in self.teacher_groups else None
                draws = rng.random(matrix.shape + (10,))
                for j, day in enumerate(days):
                    for i, cid in enumerate(kids):
                        status = matrix[i, j]
                        if status > LATE:
                            continue
                        r = draws[i, j]
                        family = guardians.get(cid, {})
                        options = list(family.values())
                        if not options:
                            continue
                        mother, father = family.get("mother", options[0]), family.get("father", options[-1])
                        brought = mother if r[0] < 0.65 else father
                        minute = (6 * 60 + 45 + int(r[1] * 75)) if status == PRESENT else (8 * 60 + 5 + int(r[1] * 40))
                        dropoff = at(day, minute // 60, minute % 60)
                        unwell = r[2] < 0.03
                        if unwell:
                            temperature = Decimal(f"{37.5 + r[3] * 0.8:.1f}")
                        else:
                            temperature = Decimal(f"{36.4 + r[3] * 6:.1f}") if r[3] < 0.1 else None
                        symptoms = SYMPTOMS[int(r[4] * len(SYMPTOMS))] if unwell else ""
                        medicine = MEDICINES[int(r[4] * len(MEDICINES))] if unwell and r[5] < 0.6 else ("", "", "")
                        confirmed, method, confirmed_at, signature = None, "", None, ""
                        if r[6] < 0.93:
                            confirmed = brought[0]
                            if brought[1]:  # a guardian with a portal account confirms on her phone
                                method, confirmed_at = "portal", dropoff + dt.timedelta(minutes=2 + int(r[7] * 20))
                            else:
                                method = "signature" if r[7] < 0.1 else "pin"
                                confirmed_at = dropoff + dt.timedelta(minutes=1)
                                signature = SIGNATURE if method == "signature" else ""
                        pick_minute = 16 * 60 + 30 + int(r[8] * 60)
                        person = pickups.get(cid) if r[9] < 0.2 else None
                        collector = None if person else (mother if r[9] < 0.65 else father)[0]
                        notes = DAY_NOTES[int(r[3] * len(DAY_NOTES))] if r[5] > 0.9 else ""
                        yield (school_id, gid, cid, day, dropoff, brought[0], "unwell" if unwell else "normal",
                               temperature, symptoms, *medicine, by, confirmed_at, confirmed, method, signature,
                               at(day, pick_minute // 60, pick_minute % 60), collector, person,
                               MEALS[int(r[4] * len(MEALS))], NAPS[int(r[7] * len(NAPS))], notes, by)

        self.counts["handovers"] += bulk_copy(Handover, [
            "school_id", "group_id", "child_id", "date", "dropoff_at", "dropoff_by_id", "state", "temperature",
            "symptoms", "medicine", "medicine_dose", "medicine_time", "dropoff_recorded_by_id", "confirmed_at",
            "confirmed_by_id", "confirm_method", "signature_svg", "pickup_at", "pickup_guardian_id",
            "pickup_person_id", "meals", "nap", "day_notes", "pickup_recorded_by_id"], rows())

    def _absence_requests(self, registers: list[tuple]) -> None:
        """Notices for most absences in the demo teacher's group (the parent's own, or taken by the teacher
        on the phone), and one for the demo parent's child on the next school day."""
        gv, parent = self.users.get("gv.saosang"), self.users.get("phuhuynh.saosang")
        if gv is None:
            return
        rng = self.rng
        own = set(Guardian.objects.filter(user=parent).values_list("child_id", flat=True)) if parent else set()
        rows = []
        for school_id, gid, _band, kids, days, matrix in registers:
            if gid not in self.teacher_groups:
                continue
            for i, cid in enumerate(kids):
                j = 0
                while j < len(days):
                    status = matrix[i, j]
                    if status not in (EXCUSED, SICK):
                        j += 1
                        continue
                    end = j
                    while end + 1 < len(days) and matrix[i, end + 1] == status:
                        end += 1
                    if rng.random() < 0.6:
                        sick = status == SICK
                        reason = (SICK_NOTES if sick else EXCUSED_NOTES)[int(rng.integers(0, 6))]
                        asked = at(days[j], 6, 30) if sick else at(days[j] - dt.timedelta(days=1), 20, 15)
                        by = parent if cid in own and parent else gv
                        rows.append((school_id, cid, days[j], days[end], f"{reason}, gia đình xin cho cháu nghỉ",
                                     sick, by.id, asked))
                    j = end + 1
        if own and parent:
            upcoming = school_days(self.today + dt.timedelta(days=1), self.year.end_date, self.off)[:1]
            school_id = registers[0][0] if registers else None
            if upcoming and school_id:
                rows.append((school_id, min(own), upcoming[0], upcoming[0],
                             "Gia đình có việc, xin cho cháu nghỉ một ngày", False, parent.id,
                             clock.now()))
        self.counts["absence_requests"] += bulk_copy(AbsenceRequest, [
            "school_id", "child_id", "date_from", "date_to", "reason", "sick", "requested_by_id", "requested_at"],
            rows)


@register("attendance", 30)
def generate(ctx: DemoContext) -> None:
    info = ctx.data.get("children")
    if not info:
        return
    year = SchoolYear.objects.get(pk=info["school_year_id"])
    builder = DayBuilder(ctx, year, children_demo.demo_today())
    builder.write_calendar()
    if ctx.scale != "national":  # issue 2: the national scale has children but no daily history
        org = ctx.data["org"]
        with bulk_load(Attendance, GroupDay, Handover, AbsenceRequest, progress=ctx.progress):
            builder.run(org["school_ids"], org["sao_sang_id"])
        services.day_counts_refresh()  # the per-group day counts, in one statement over the loaded rows
    ctx.data["attendance"] = builder.counts
