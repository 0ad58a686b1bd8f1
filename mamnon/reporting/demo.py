"""Demo reports: the city's forms owed by its schools in the current school year, in every state.

The Sở GD&ĐT Hải Phòng defines the measurement-round report, the semester and year-end statistics and
01.ĐN-MN for its schools (the district offices consolidate); Phòng GD&ĐT Vĩnh Bảo defines seed 004's model
registration and scheme-review report (their one-off dates moved into the demo's school year). For each period
already due: about 70% of schools submitted on time, 15% late, 15% not at all (overdue); of those submitted,
some are approved, some returned with a comment, the rest wait for review. Periods under way have a few
drafts and early submissions. Sao Sáng's round 1 report waits for the An Lão officer's review, as the demo
walk-through needs. Figures come from the schools' records (one aggregate per query for all schools).
Rows are written in bulk, without history rows.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count

from mamnon.calc.periods import parse_period
from mamnon.children import demo as children_demo
from mamnon.children.demo import at
from mamnon.core.demo import DemoContext, register
from mamnon.org.models import Membership, OrgUnit, SchoolYear, Staff
from mamnon.reporting import catalogue, seed_calendar, selectors, services
from mamnon.reporting.models import Duty, Reminder, Report, ReportEvent, ReportForm, Status
from mamnon.reporting.prefill import RECORDS_QUERIES

CITY_FORMS = ("can-do", "thong-ke-hoc-ky", "thong-ke-cuoi-nam", "01-dn-mn")
SCHEME_FORMS = ("de-an-dang-ky", "de-an-so-ket")
RETURN_COMMENTS = ["Số trẻ theo độ tuổi chưa khớp với danh sách lớp, đề nghị kiểm tra lại.",
                   "Đề nghị bổ sung số trẻ thấp còi của nhóm 24-36 tháng.",
                   "Số giáo viên đạt chuẩn chưa đúng với hồ sơ nhân sự, đề nghị rà soát."]
TEXTS = {
    "model_name": "Mô hình “Cha mẹ cùng con đọc sách” phối hợp với Hội Phụ nữ xã",
    "model_content": "Tổ chức ngày hội đọc sách hằng tháng; góc sách tại lớp cho phụ huynh mượn; "
                     "truyền thông qua nhóm Zalo lớp.",
    "model_partners": "Ban đại diện cha mẹ trẻ, Hội Phụ nữ, Đoàn Thanh niên xã",
    "results": "Duy trì mô hình điểm; 100% nhóm lớp xây dựng kế hoạch phối hợp với phụ huynh hằng tháng.",
    "difficulties": "Một số phụ huynh đi làm xa, ít tham gia hoạt động của trường.",
    "proposals": "Đề nghị Phòng GD&ĐT tổ chức tham quan học tập mô hình điểm cấp huyện.",
    "commendations": "Tổ chuyên môn mẫu giáo lớn",
}


def _growth_values(rng, enrolled: int) -> dict:
    measured = max(0, enrolled - rng.randint(0, 3))
    return {"enrolled": enrolled, "measured": measured,
            "underweight": round(measured * rng.uniform(0.01, 0.05)),
            "stunting": round(measured * rng.uniform(0.02, 0.06)),
            "wasting": round(measured * rng.uniform(0, 0.02)), "overweight": round(measured * rng.uniform(0.01, 0.04)),
            "obese": round(measured * rng.uniform(0, 0.015))}


class Figures:
    """Every records query once for all schools (at ``day``), and staff counts by position."""

    def __init__(self, school_ids, year: SchoolYear, day: dt.date):
        period = parse_period(year.code)
        self.records = {code: q.func(school_ids, period, day) for code, q in RECORDS_QUERIES.items()}
        self.staff: dict[int, dict[str, int]] = {}
        for row in (Staff.objects.filter(unit_id__in=school_ids, active=True).order_by()
                    .values("unit_id", "position").annotate(n=Count("id"))):
            self.staff.setdefault(row["unit_id"], {})[row["position"]] = row["n"]

    def values(self, form, school_id: int, rng) -> dict:
        out: dict[str, object] = {}
        for f in form.fields.all():
            if f.source == "records":
                out[f.code] = self.records[f.records_query].get(school_id, 0)
        codes = {f.code for f in form.fields.all()}
        if codes & {"measured", "underweight"}:
            growth = _growth_values(rng, out.get("enrolled", 0))
            out.update({k: v for k, v in growth.items() if k != "enrolled"})
            if "obese" not in codes:  # 01.ĐN-MN counts overweight and obese together
                out["overweight"] += out["obese"]
        staff = self.staff.get(school_id, {})
        managers = staff.get("principal", 0) + staff.get("vice_principal", 0)
        teachers = staff.get("teacher", 0)
        typed = {"staff_managers": managers, "staff_teachers": teachers,
                 "staff_teachers_qualified": round(teachers * rng.uniform(0.85, 1.0)),
                 "staff_employees": sum(staff.values()) - managers - teachers,
                 "school_standard": int(rng.random() < 0.6), "rooms_solid": out.get("groups", 0),
                 "rooms_semi_solid": 0, "rooms_temporary": 0,
                 "k5_completed": out.get("enrolled_k5", 0), "models_run": rng.randint(1, 3),
                 "activities": rng.randint(3, 12), "initiatives": rng.randint(0, 4),
                 "staff_trained": rng.randint(5, 30), "parents_reached": rng.randint(50, 400), **TEXTS}
        for code, value in typed.items():
            if code in codes and code not in out:
                out[code] = value
        return {k: v for k, v in out.items() if k in codes}


@register("reporting", 95)
def generate(ctx: DemoContext) -> None:
    org = ctx.data.get("org")
    year = SchoolYear.objects.filter(is_current=True).first()
    if not org or year is None:
        return
    rng = ctx.rng
    today = children_demo.demo_today()
    city = OrgUnit.objects.get(pk=org["province_id"])
    forms = catalogue.install(city, CITY_FORMS)
    vinh_bao = OrgUnit.objects.filter(code="PGD-VINHBAO").first()
    if vinh_bao is not None:
        scheme = catalogue.install(vinh_bao, SCHEME_FORMS)
        first, second = year.start_date.year, year.end_date.year
        for form, day in zip(scheme, (dt.date(first, 10, 30), dt.date(second, 4, 2)), strict=True):
            form.due_date = day
            form.save(update_fields=["due_date"])
        forms += scheme
    periods = [(form, p) for form in forms for p in selectors.periods_of(form, year.code)]
    tick = ctx.progress("Báo cáo", len(periods))
    for form, period in periods:
        services.reports_issue(form=form, period=period)
        tick(1)

    school_ids = org["school_ids"]
    figures = Figures(school_ids, year, min(today, year.end_date))
    User = get_user_model()
    principals = dict(Membership.objects.filter(role="principal", unit_id__in=school_ids)
                      .values_list("unit_id", "user_id"))
    officers = dict(Membership.objects.filter(role="district_officer").values_list("unit_id", "user_id"))
    fallback = User.objects.filter(is_superuser=True).values_list("pk", flat=True).first()
    sao_sang = org["sao_sang_id"]
    sao_sang_unit = OrgUnit.objects.get(pk=sao_sang)
    neighbours = sorted(OrgUnit.objects.filter(parent_id=sao_sang_unit.parent_id, level__is_school=True)
                        .exclude(pk=sao_sang).values_list("pk", flat=True))
    reports = list(Report.objects.filter(form__in=forms, is_consolidation=False).select_related("unit"))
    forms_by_id = {f.pk: f for f in ReportForm.objects.filter(pk__in=[f.pk for f in forms])
                   .prefetch_related("fields")}
    events: list[ReportEvent] = []
    updated: list[Report] = []
    for report in sorted(reports, key=lambda r: (r.form_id, r.period, r.unit_id)):
        form = forms_by_id[report.form_id]
        period = parse_period(report.period)
        signer = principals.get(report.unit_id) or fallback
        reviewer = officers.get(report.unit.parent_id) or fallback
        roll = rng.random()
        review = rng.choices(["approve", "return", "wait"], [0.6, 0.1, 0.3])[0]
        if form.code == "can-do" and report.period.endswith("/R1"):
            # The walk-through: Sao Sáng on time and waiting for review; in its district one school late
            # and one that has sent nothing.
            if report.unit_id == sao_sang:
                roll, review = 0.0, "wait"
            elif report.unit_id in neighbours[:1]:
                roll = 0.99
            elif report.unit_id in neighbours[1:2]:
                roll, review = 0.8, "wait"
        if report.due_date < today:
            if roll < 0.70:
                when = at(report.due_date - timedelta(days=rng.randint(0, 5)), rng.randint(8, 16))
            elif roll < 0.85 and (today - report.due_date).days > 1:
                days_late = rng.randint(1, min(10, (today - report.due_date).days - 1))
                when = at(report.due_date + timedelta(days=days_late), rng.randint(8, 16))
            else:
                when = None
                if roll > 0.95:
                    report.status = Status.DRAFT
        elif period.start <= today and report.due_date <= today + timedelta(days=45):
            when = at(today - timedelta(days=rng.randint(1, 3)), 10) if roll < 0.2 else None
            review = "wait"
            if when is None and roll < 0.4:
                report.status = Status.DRAFT
        else:
            continue
        if when is not None and when.date() < period.start:
            when = at(period.start, 10)
        if report.status == Status.NOT_STARTED and when is None:
            continue
        report.values = figures.values(form, report.unit_id, rng)
        report.prefilled = {k: v for k, v in report.values.items()
                            if any(f.code == k and f.source == "records" for f in form.fields.all())}
        if when is not None and signer:
            report.status = Status.SUBMITTED
            report.first_submitted_at = report.submitted_at = when
            report.submitted_by_id = signer
            events.append(ReportEvent(report=report, action="submitted", actor_id=signer, at=when))
            review_at = when + timedelta(days=rng.randint(1, 4))
            if review != "wait" and review_at.date() < today and reviewer:
                if review == "approve":
                    report.status = Status.APPROVED
                    report.approved_at, report.approved_by_id = review_at, reviewer
                    events.append(ReportEvent(report=report, action="approved", actor_id=reviewer, at=review_at))
                else:
                    report.status = Status.RETURNED
                    events.append(ReportEvent(report=report, action="returned", actor_id=reviewer, at=review_at,
                                              comment=rng.choice(RETURN_COMMENTS)))
        updated.append(report)
    Report.objects.bulk_update(updated, ["status", "values", "prefilled", "first_submitted_at", "submitted_at",
                                         "submitted_by", "approved_at", "approved_by"], batch_size=2000)
    ReportEvent.objects.bulk_create(events, batch_size=5000)
    _demo_reminders(today)
    _calendar(year, sao_sang_unit, today)
    _programmes(year, city, vinh_bao, sao_sang_unit, rng)


def _calendar(year: SchoolYear, school: OrgUnit, today: dt.date) -> None:
    """Sao Sáng's month-by-month plan of seed 002 in the demo's school year (done up to last month), and a
    duty the An Lão office sets for its schools."""
    rows = []
    this_month = today.replace(day=1)
    for month in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7):
        first = services._month_in_year(year, month)
        status = Duty.Status.DONE if first < this_month else Duty.Status.PLANNED
        if month <= 5 or month >= 9:
            rows += [Duty(unit=school, school_year=year, month=first, title=t, owner="Ban giám hiệu", recurring=True,
                          status=status) for t in seed_calendar.MONTHLY]
        for m, title, due, recipient, deliverable, yearly in seed_calendar.PLAN:
            if m != month:
                continue
            due_date = None
            if due is not None:
                due_date = first.replace(day=due[1])
            rows.append(Duty(unit=school, school_year=year, month=first, due_date=due_date, title=title,
                             owner="Hiệu trưởng" if recipient else "Ban giám hiệu", deliverable=deliverable,
                             recipient=recipient, recurring=yearly,
                             status=status if (due_date is None or due_date < today) else Duty.Status.PLANNED))
    if school.parent_id:
        nov = services._month_in_year(year, 11)
        rows.append(Duty(unit_id=school.parent_id, school_year=year, month=nov, due_date=nov.replace(day=25),
                         title="Giao ban cán bộ quản lý các trường mầm non", owner="Hiệu trưởng các trường",
                         recipient="Phòng GD&ĐT", deliverable="Báo cáo nhanh tình hình tháng", recurring=True,
                         for_units_below=True))
    Duty.objects.bulk_create(rows)


def _demo_reminders(today: dt.date) -> None:
    """In-app reminders for the demo's principals and officers: their overdue and soon-due reports."""
    logins = Membership.objects.filter(user__username__in=["ht.saosang", "pgd.anlao", "pgd.vinhbao",
                                                           "ht.quangtrung"]).values_list("user_id", "unit_id")
    rows = []
    for user_id, unit_id in logins:
        for report in Report.objects.filter(unit_id=unit_id, status__in=[Status.NOT_STARTED, Status.DRAFT,
                                                                          Status.RETURNED],
                                            due_date__lte=today + timedelta(days=10)):
            kind = Reminder.Kind.OVERDUE if report.due_date < today else Reminder.Kind.DUE_SOON
            rows.append(Reminder(report=report, user_id=user_id, kind=kind, on=today))
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)


# --- programmes: seed 003's thematic programme (the city) and seed 004's scheme review (Vĩnh Bảo) -----------

CITY_PROGRAMME = {
    "name": "Xây dựng trường mầm non lấy trẻ làm trung tâm",
    "kind": "topic",
    "legal_basis": "Kế hoạch số 626/KH-BGDĐT ngày 30/6/2021 của Bộ GD&ĐT; Kế hoạch số 2145/KH-SGDĐT ngày "
                   "29/9/2021 của Sở GD&ĐT Hải Phòng (chuyên đề giai đoạn 2021-2025)",
    "description": "Duy trì, củng cố, hoàn thiện mô hình điểm chuyên đề các cấp; xây dựng mô hình điểm cấp thành "
                   "phố; lựa chọn sản phẩm điển hình, sáng kiến đưa lên kho học liệu dùng chung của GDMN thành phố.",
    # (criterion, maximum score, weight): the seed's contents of the model sites and the trained criteria.
    "criteria": [("Ứng dụng phương pháp GDMN tiên tiến", 10, 2),
                 ("Xây dựng trường mầm non xanh - an toàn - thân thiện", 10, 2),
                 ("Chuyển đổi số trong GDMN", 10, 1),
                 ("Tổ chức hoạt động nuôi dưỡng, chăm sóc, giáo dục trẻ", 10, 2),
                 ("Áp dụng phương pháp giáo dục STEAM", 10, 1)],
    "titles": ["Mô hình điểm “Trường mầm non xanh - an toàn - thân thiện”",
               "Mô hình điểm ứng dụng phương pháp STEAM trong hoạt động giáo dục trẻ",
               "Mô hình chuyển đổi số trong quản lý và tổ chức hoạt động",
               "Mô hình lớp học lấy trẻ làm trung tâm"],
}
SCHEME_PROGRAMME = {
    "name": "Sơ kết Đề án “Chăm sóc vì sự phát triển toàn diện trẻ em trong những năm đầu đời tại gia đình và "
            "cộng đồng giai đoạn 2018-2025”",
    "kind": "scheme",
    "legal_basis": "Hướng dẫn số 06/HD-SGDĐT ngày 03/10/2023; hướng dẫn sơ kết Đề án của Phòng GD&ĐT Vĩnh Bảo",
    "description": "Các cơ sở GDMN đăng ký mô hình phối hợp với phụ huynh và các lực lượng xã hội trước ngày 30/10; "
                   "lưu trữ tư liệu Đề án (ảnh, video, tài liệu); viết sáng kiến, giải pháp sáng tạo.",
    "criteria": [("Kế hoạch thực hiện Đề án phù hợp thực tiễn đơn vị", 10, 1),
                 ("Hoạt động phối hợp với phụ huynh và các lực lượng xã hội", 20, 2),
                 ("Hoạt động chuyên môn mang tính truyền thông (sân chơi, hội thi, câu lạc bộ)", 10, 1),
                 ("Sáng kiến, giải pháp sáng tạo về thực hiện Đề án", 10, 1),
                 ("Lưu trữ tư liệu Đề án (ảnh, video, tài liệu)", 10, 1)],
    "titles": ["Mô hình “Cha mẹ cùng con đọc sách” phối hợp với Hội Phụ nữ xã",
               "Mô hình vận động, tiếp nhận và sử dụng tài trợ cải tạo cơ sở vật chất",
               "Câu lạc bộ “Cha mẹ đồng hành cùng con”"],
}
INITIATIVES = [
    ("Giải pháp tổ chức góc STEAM từ nguyên vật liệu tái chế", "Tận dụng chai lọ, hộp giấy làm đồ dùng cho các "
     "hoạt động khám phá; trẻ tự chọn góc, tự đặt câu hỏi và thử nghiệm.", "Tổ chuyên môn mẫu giáo lớn"),
    ("Một số biện pháp phối hợp với phụ huynh qua nhóm Zalo lớp", "Thông tin hằng tuần về hoạt động của trẻ, "
     "gợi ý trò chơi tại nhà, phụ huynh gửi ảnh con cùng tham gia.", "Cô Nguyễn Thị Hoa"),
    ("Xây dựng môi trường lớp học lấy trẻ làm trung tâm", "Trẻ cùng cô bố trí góc chơi, bảng “Bé đến lớp”, "
     "bảng chọn góc; sản phẩm của trẻ được trưng bày ngang tầm mắt trẻ.", "Ban giám hiệu"),
]


def _tiny_png() -> bytes:
    """A real 2 x 2 PNG (a photo of the demo's evidence), built without any image library."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes([250, 200, 60] * 2) for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _programmes(year: SchoolYear, city: OrgUnit, vinh_bao, sao_sang: OrgUnit, rng) -> None:
    """The two programmes with criteria, a few registrations (Sao Sáng among them), scores, one evidence photo
    and initiatives, one in the city's library and one in Vĩnh Bảo's."""
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from mamnon.reporting.models import Criterion, Evidence, Initiative, Programme, Registration, Score

    User = get_user_model()
    admin_id = User.objects.filter(is_superuser=True).values_list("pk", flat=True).first()
    officer = dict(Membership.objects.filter(role__in=["province_officer", "district_officer"])
                   .values_list("unit_id", "user_id"))
    principal = dict(Membership.objects.filter(role="principal").values_list("unit_id", "user_id"))
    first = year.start_date.year
    plans = [(city, CITY_PROGRAMME, dt.date(first, 9, 30),
              [sao_sang.pk] + list(OrgUnit.objects.filter(parent_id=sao_sang.parent_id, level__is_school=True)
                                   .exclude(pk=sao_sang.pk).order_by("pk").values_list("pk", flat=True)[:3]))]
    if vinh_bao is not None:
        plans.append((vinh_bao, SCHEME_PROGRAMME, dt.date(first, 10, 30),
                      list(OrgUnit.objects.filter(parent_id=vinh_bao.pk, level__is_school=True).order_by("pk")
                           .values_list("pk", flat=True)[:3])))
    school_level = sao_sang.level
    for office, spec, deadline, units in plans:
        actor = officer.get(office.pk) or admin_id
        programme = Programme.objects.create(unit=office, school_year=year, kind=spec["kind"], name=spec["name"],
                                             description=spec["description"], legal_basis=spec["legal_basis"],
                                             registration_deadline=deadline, target_level=school_level)
        criteria = Criterion.objects.bulk_create([
            Criterion(programme=programme, order=i, name=n, max_score=m, weight=w)
            for i, (n, m, w) in enumerate(spec["criteria"], 1)])
        for i, unit_id in enumerate(units):
            registration = Registration.objects.create(
                programme=programme, unit_id=unit_id, title=spec["titles"][i % len(spec["titles"])],
                contact="Hiệu trưởng", registered_by_id=principal.get(unit_id) or admin_id,
                registered_at=at(deadline - timedelta(days=rng.randint(2, 20)), 9))
            if i < len(units) - 1:  # the last one is not scored yet
                Score.objects.bulk_create([
                    Score(registration=registration, criterion=c, scored_by_id=actor,
                          score=(c.max_score * Decimal(rng.randint(60, 100)) / 100).quantize(Decimal("0.5")))
                    for c in criteria])
            if unit_id == sao_sang.pk:
                evidence = Evidence(registration=registration, kind="photo", original_name="goc-steam-lop-A1.png",
                                    content_type="image/png", size=len(_tiny_png()), caption="Góc STEAM lớp A1",
                                    uploaded_by_id=principal.get(unit_id) or admin_id)
                evidence.file.save("x.png", ContentFile(_tiny_png()), save=False)
                evidence.save()
        for k, unit_id in enumerate(units[:2]):
            title, summary, authors = INITIATIVES[(k + len(spec["titles"])) % len(INITIATIVES)]
            Initiative.objects.create(unit_id=unit_id, programme=programme, title=title, summary=summary,
                                      authors=authors, submitted_by_id=principal.get(unit_id) or admin_id,
                                      library_unit=office if k == 0 else None,
                                      selected_at=at(deadline, 10) if k == 0 else None,
                                      selected_by_id=actor if k == 0 else None)
