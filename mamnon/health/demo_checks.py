"""Demo health checks, illnesses and medicine given at school (``@register("health_checks", 45)``).

Every school examines its children twice a year (Thông tư liên tịch 13/2016/TTLT-BYT-BGDĐT, as practised:
regulations.md section 9): an autumn examination some five weeks into the year and a spring one in March, each
only once the demo's "today" has passed it. Findings follow rough Vietnamese preschool shares (tooth decay is
by far the most common finding; a few eye, ENT and skin findings; about one child in twenty referred).

Sao Sáng also gets the medicine its parents asked for at drop-off (every handover with a medicine gets a dose,
linked to it) and a few illnesses at school. Rows are bulk inserted (no history rows, like the other demos).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model

from mamnon.attendance.models import Handover
from mamnon.children import demo as children_demo
from mamnon.children.demo import at, bulk_copy, bulk_load
from mamnon.children.models import Enrolment
from mamnon.core.demo import DemoContext, register
from mamnon.health.models_checks import HealthCheck, Illness, MedicineDose
from mamnon.org.models import SchoolYear

EXAMINERS = ["Trạm Y tế thị trấn", "Trung tâm Y tế huyện", "Phòng khám Nhi đồng", "Trạm Y tế xã"]
TEETH = ["Sâu răng sữa", "Sâu 2 răng hàm", "Cao răng", "Sâu răng cửa"]
EYES = ["Nghi cận thị, đề nghị đo thị lực", "Viêm kết mạc nhẹ", "Lác nhẹ"]
ENT = ["Viêm mũi họng", "Amidan quá phát", "Ráy tai"]
SKIN = ["Chàm nhẹ", "Rôm sảy", "Nấm da đầu"]
REFERRALS = ["Bệnh viện Răng Hàm Mặt", "Bệnh viện Mắt", "Bệnh viện Nhi", "Trung tâm Y tế huyện"]
# (share of children, list) per area
SHARES = (("teeth", 0.28, TEETH), ("eyes", 0.03, EYES), ("ent", 0.08, ENT), ("skin", 0.03, SKIN))
ILLNESSES = [("Sốt", "38.2", "Chườm ấm, cho uống nước, báo phụ huynh"), ("Nôn sau bữa trưa", None,
             "Lau rửa, cho nằm nghỉ, theo dõi"), ("Ho nhiều, sổ mũi", None, "Vệ sinh mũi bằng nước muối sinh lý"),
             ("Sốt cao", "39.0", "Hạ sốt theo đơn gia đình gửi, báo phụ huynh đón về"),
             ("Đau bụng", None, "Cho nằm nghỉ, theo dõi tại phòng y tế")]


def weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def exam_days(year: SchoolYear, today: dt.date, offset: int) -> list[dt.date]:
    """The year's two examination days of a school (``offset`` spreads schools over a few weeks)."""
    days = [weekday_on_or_after(year.start_date + dt.timedelta(days=35 + offset)),
            weekday_on_or_after(dt.date(year.end_date.year, 3, 2) + dt.timedelta(days=offset))]
    return [d for d in days if d < today]


class ChecksBuilder:
    def __init__(self, ctx: DemoContext, year: SchoolYear, today: dt.date):
        self.ctx, self.year, self.today = ctx, year, today
        self.rng = np.random.default_rng([ctx.seed, 45])
        users = {u.username: u.pk for u in get_user_model().objects.filter(username__in=["yte.saosang",
                                                                                          "gv.saosang"])}
        self.health_user = users.get("yte.saosang")
        self.counts = {"health_checks": 0, "illnesses": 0, "medicine_doses": 0}

    def checks(self, school_ids: list[int], sao_sang_id: int) -> None:
        rows = list(Enrolment.objects.filter(end_date__isnull=True, group__school_year=self.year,
                                             school_id__in=school_ids)
                    .values_list("school_id", "group_id", "child_id", "child__birth_date", "start_date")
                    .order_by("school_id", "child_id"))
        if not rows:
            return
        advance = self.ctx.progress("Khám sức khỏe (health checks)", len(rows))
        school_offset = {sid: i % 15 for i, sid in enumerate(sorted(set(school_ids)))}
        rng = self.rng
        draws = rng.random((len(rows), 2, len(SHARES) + 3))

        def generate():
            for k, (school_id, group_id, child_id, born, start) in enumerate(rows):
                for e, day in enumerate(exam_days(self.year, self.today, school_offset.get(school_id, 0))):
                    if day < born or day < start:
                        continue
                    r = draws[k, e]
                    found = {name: (choices[int(r[j + 1] * 1000) % len(choices)] if r[j] < share else "")
                             for j, (name, share, choices) in enumerate(SHARES)}
                    referred = bool(found["eyes"]) or r[-1] < 0.03
                    referral_to = REFERRALS[1] if found["eyes"] else (
                        REFERRALS[int(r[-2] * len(REFERRALS))] if referred else "")
                    by = self.health_user if school_id == sao_sang_id else None
                    yield (school_id, child_id, group_id, day, EXAMINERS[school_id % len(EXAMINERS)],
                           found["teeth"], found["eyes"], found["ent"], found["skin"], "", referred, referral_to,
                           "", by)
                if k % 5000 == 4999:
                    advance(5000)
            advance(len(rows) % 5000)

        self.counts["health_checks"] += bulk_copy(HealthCheck, [
            "school_id", "child_id", "group_id", "date", "examiner", "teeth", "eyes", "ent", "skin", "other",
            "referral", "referral_to", "note", "recorded_by_id"], generate())

    def day_health(self, sao_sang_id: int) -> None:
        """Sao Sáng: a dose for every medicine asked for at drop-off (linked), and a few illnesses at school."""
        handovers = list(Handover.objects.filter(school_id=sao_sang_id, date__lt=self.today).exclude(medicine="")
                         .values_list("id", "child_id", "group_id", "date", "medicine", "medicine_dose")
                         .order_by("date", "child_id"))
        by = self.health_user
        self.counts["medicine_doses"] += bulk_copy(MedicineDose, [
            "school_id", "child_id", "group_id", "handover_id", "given_at", "medicine", "dose", "note",
            "given_by_id"], ((sao_sang_id, cid, gid, hid, at(day, 11, 15), med, dose, "", by)
                             for hid, cid, gid, day, med, dose in handovers))
        present = list(Handover.objects.filter(school_id=sao_sang_id, date__lt=self.today)
                       .values_list("child_id", "group_id", "date").order_by("date", "child_id"))
        if not present:
            return
        n = max(1, len(present) // 400)  # about one illness at school a week in a school of 475
        picks = np.sort(self.rng.choice(len(present), size=min(n, len(present)), replace=False))
        kinds = self.rng.integers(0, len(ILLNESSES), size=len(picks))
        minutes = self.rng.integers(9 * 60, 15 * 60, size=len(picks))
        rows = []
        for p, kind, minute in zip(picks, kinds, minutes, strict=True):
            cid, gid, day = present[p]
            symptoms, temperature, care = ILLNESSES[kind]
            rows.append((sao_sang_id, cid, gid, at(day, int(minute) // 60, int(minute) % 60), symptoms,
                         None if temperature is None else Decimal(temperature), care, True, kind == 3, by))
        self.counts["illnesses"] += bulk_copy(Illness, [
            "school_id", "child_id", "group_id", "noticed_at", "symptoms", "temperature", "care",
            "parents_informed", "sent_home", "recorded_by_id"], rows)


@register("health_checks", 45)
def generate(ctx: DemoContext) -> None:
    info = ctx.data.get("children")
    if not info or ctx.scale == "national":  # like attendance: the national scale has no school history
        return
    year = SchoolYear.objects.get(pk=info["school_year_id"])
    builder = ChecksBuilder(ctx, year, children_demo.demo_today())
    org = ctx.data["org"]
    with bulk_load(HealthCheck, Illness, MedicineDose, progress=ctx.progress):
        builder.checks(org["school_ids"], org["sao_sang_id"])
        builder.day_health(org["sao_sang_id"])
    ctx.data["health_checks"] = builder.counts
