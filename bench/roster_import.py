"""Benchmark: import a 5,000-row Excel roster into one school, all or nothing.

Goal (issue 3): under 3 s for read + validate + write, on SQLite and on PostgreSQL. Uses DATABASE_URL when
set (a scratch database is created beside it and dropped afterwards), else a temporary SQLite file.

The school is Sao Sáng-like (Thị trấn An Lão, Hải Phòng) with many groups of every age band and 480 children
already recorded; the roster is realistic (Vietnamese names, dates typed as text or stored as Excel dates,
phones written every way, personal ids, ethnicities by name or code). The timed path is the one the
confirmation view runs: ``roster.build_plan`` (openpyxl read-only + set lookups) then ``roster.roster_import``
(bulk inserts with their history rows in one transaction).

All or nothing is then checked twice: a file whose last row is bad writes nothing, and a valid plan whose
last personal id is taken between the check and the write (IntegrityError in the last batch of inserts)
leaves nothing either. Prints, last:

    BENCH roster_import rows=5000 seconds=...
"""

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch import scratch_database  # noqa: E402  (bench/ is the script directory)

ROWS = 5000
EXISTING = 480  # Sao Sáng's children (seed 002)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ",
          "Ngô", "Hồ", "Dương", "Đinh", "Lý", "Mạc", "Tạ"]
MIDDLE_M = ["Văn", "Minh", "Đức", "Gia", "Quốc", "Hoàng", "Anh", "Thành", "Hữu", "Bảo"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Bảo", "Khánh", "Minh", "Phương", "Thanh", "Hà", "Diệu"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Huy", "Khang", "Khoa", "Long", "Minh", "Nam", "Phúc", "Quân",
           "Sơn", "Tùng", "Việt", "Vinh", "Hải", "Hiếu", "Tuấn"]
GIVEN_F = ["Anh", "Chi", "Diệp", "Giang", "Hà", "Hân", "Linh", "Mai", "My", "Ngân", "Nhi", "Oanh", "Phương",
           "Quỳnh", "Thảo", "Trang", "Uyên", "Vy", "Yến", "Hương"]
STREETS = ["Thị trấn An Lão", "Xã Quang Trung", "Xã An Thắng", "Xã Tân Dân", "Xã Thái Sơn", "Xã An Tiến"]
ETHNIC = ["Kinh"] * 90 + ["Tày", "Mường", "Thái", "Nùng", "Hoa", "Dao", "Khơ-me", "06", "02", "hmong"]
# Group kinds of a large school: (band, name prefix, count). ~30 children a group for 5,000 rows.
GROUP_KINDS = [("c13_24", "Nhà trẻ 13-24 tháng", 10), ("c25_36", "Nhà trẻ 25-36 tháng", 30),
               ("k3", "Lớp Mầm", 40), ("k4", "Lớp Chồi", 40), ("k5", "Lớp Lá", 45), ("mixed_kinder", "Lớp ghép", 3)]


def build_school():
    """Hải Phòng > An Lão > Thị trấn An Lão > a Sao Sáng-like school, the current year, its groups, a principal."""
    from django.contrib.auth import get_user_model

    from mamnon.calc.periods import school_year_code
    from mamnon.children.models import Group
    from mamnon.core.roles import Role
    from mamnon.org import services
    from mamnon.org.models import Membership, OrgLevel, School

    levels = {}
    for code, name, rank, is_school, officer in [
        ("province", "Tỉnh/Thành phố", 1, False, Role.PROVINCE_OFFICER),
        ("district", "Quận/Huyện", 2, False, Role.DISTRICT_OFFICER),
        ("commune", "Xã/Phường/Thị trấn", 3, False, Role.COMMUNE_OFFICER),
        ("school", "Trường", 4, True, ""),
    ]:
        levels[code], _ = OrgLevel.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank, "is_school": is_school, "officer_role": officer})
    city = services.unit_create(code="HP", name="Thành phố Hải Phòng", level=levels["province"], parent=None)
    district = services.unit_create(code="ANLAO", name="Huyện An Lão", level=levels["district"], parent=city)
    commune = services.unit_create(code="TT-ANLAO", name="Thị trấn An Lão", level=levels["commune"], parent=district)
    school = services.school_create(code="MN-SAOSANG", name="Trường Mầm non Sao Sáng", parent=district,
                                    commune=commune, ownership=School.Ownership.PUBLIC)
    start_year = int(school_year_code(dt.date.today())[:4])
    year = services.school_year_create(start_year=start_year, current=True)
    groups = []
    for band, prefix, n in GROUP_KINDS:
        for i in range(1, n + 1):
            groups.append(Group(school=school, school_year=year, name=f"{prefix} {i}", age_band=band))
    Group.objects.bulk_create(groups)
    principal = get_user_model().objects.create(username="ht.bench", full_name="Hiệu trưởng")
    Membership.objects.create(user=principal, unit=school.unit, role=Role.PRINCIPAL)
    school = School.objects.select_related("unit").get(pk=school.pk)
    return school, year, list(Group.objects.filter(school=school).order_by("pk")), principal


def birth_date_for(band: str, year_start: dt.date, rng: random.Random) -> dt.date:
    y = year_start.year
    if band in ("k3", "k4", "k5", "mixed_kinder"):
        born_year = {"k3": y - 3, "k4": y - 4, "k5": y - 5}.get(band) or rng.choice([y - 3, y - 4, y - 5])
        return dt.date(born_year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    # creche by months at the start of the year; born in Y-3 already counts as a 3-year-old (birth year)
    low, high = {"c13_24": (14, 23), "c25_36": (26, 31)}[band]
    months = rng.randint(low, high)
    m = year_start.month - months
    return dt.date(y + (m - 1) // 12, (m - 1) % 12 + 1, rng.randint(1, 28))


def phone_text(n: int, rng: random.Random) -> object:
    digits = f"09{n:08d}"
    style = rng.randrange(5)
    if style == 0:
        return f"+84 {digits[1:4]} {digits[4:7]} {digits[7:]}"
    if style == 1:
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    if style == 2:
        return int(digits)  # a number cell: Excel dropped the leading zero
    return digits


def roster_rows(groups, year, rng: random.Random, *, n: int, id_base: int, phone_base: int) -> list[list]:
    rows = []
    for i in range(n):
        group = groups[i % len(groups)]
        female = rng.random() < 0.5
        name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                         rng.choice(GIVEN_F if female else GIVEN_M)])
        born = birth_date_for(group.age_band, year.start_date, rng)
        mother = f"{rng.choice(FAMILY)} Thị {rng.choice(GIVEN_F)}"
        rows.append([
            name,
            born if i % 2 else born.strftime("%d/%m/%Y"),  # real Excel dates and dates typed as text
            rng.choice(["Nữ", "F"]) if female else rng.choice(["Nam", "M"]),
            rng.choice(ETHNIC),
            f"031{id_base + i:09d}" if rng.random() < 0.8 else None,
            f"Thôn {rng.randint(1, 12)}, {rng.choice(STREETS)}",
            mother if rng.random() < 0.95 else None,
            "Mẹ" if rng.random() < 0.8 else rng.choice(["Bố", "Bà", "Ông"]),
            phone_text(phone_base + i, rng),
            group.name,
        ])
        if rows[-1][6] is None:
            rows[-1][7] = rows[-1][8] = None
    return rows


def write_xlsx(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    from mamnon.children.roster import COLUMNS, DATA_SHEET

    # Normal mode, as Excel saves: the sheet's <dimension> is written (without it openpyxl's read-only
    # loader scans the whole sheet once more just to size it).
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append([c.header for c in COLUMNS])
    for row in rows:
        ws.append(row)
    wb.save(path)


def existing_children(school, groups, year, rng) -> None:
    from mamnon.calc.text import fold
    from mamnon.children.models import Child, Enrolment, Guardian

    children = []
    for i in range(EXISTING):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
        children.append(Child(school=school, full_name=name, name_folded=fold(name), sex="M",
                              birth_date=birth_date_for(groups[i % 16].age_band, year.start_date, rng),
                              personal_id=f"031{900_000_000 + i:09d}"))
    Child.objects.bulk_create(children)
    Guardian.objects.bulk_create([Guardian(child=c, school=school, full_name="Phụ huynh", relation="mother",
                                           phone=f"08{i:08d}") for i, c in enumerate(children)])
    Enrolment.objects.bulk_create([Enrolment(child=c, group=groups[i % 16], school=school,
                                             start_date=year.start_date) for i, c in enumerate(children)])


def counts() -> tuple[int, ...]:
    from mamnon.children.models import Child, Enrolment, Guardian

    return (Child.objects.count(), Guardian.objects.count(), Enrolment.objects.count(), Child.history.count(),
            Guardian.history.count(), Enrolment.history.count())


def main() -> None:
    url, drop = scratch_database()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamnon.config.settings")
    os.environ.setdefault("MAMNON_DEBUG", "0")  # no SQL kept in memory, as in production
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import IntegrityError, connection
    from django.utils import translation

    translation.activate("vi")
    tmp = Path(tempfile.mkdtemp())
    try:
        call_command("migrate", verbosity=0)
        from mamnon.children import roster
        from mamnon.children.models import Child

        rng = random.Random(2023)
        school, year, groups, principal = build_school()
        existing_children(school, groups, year, rng)
        good = tmp / "roster.xlsx"
        write_xlsx(good, roster_rows(groups, year, rng, n=ROWS, id_base=0, phone_base=10_000_000))
        start = roster.default_start_date(year)

        before = counts()
        cpu = time.process_time()
        started = time.perf_counter()
        plan = roster.build_plan(good, school=school)
        validated = time.perf_counter()
        if not plan.ok:
            sys.exit(f"the benchmark's roster has errors: {[str(e) for e in plan.errors[:5]]} {plan.file_errors}")
        result = roster.roster_import(plan=plan, actor=principal, start_date=start)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        written = tuple(a - b for a, b in zip(counts(), before, strict=True))
        expected = (ROWS, result.guardians, ROWS, ROWS, result.guardians, ROWS)
        assert written == expected, (written, expected)
        print(f"read+validate {validated - started:.2f} s, write {seconds - (validated - started):.2f} s "
              f"(this process's CPU: {cpu:.2f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores): "
              f"{result.children} children, {result.guardians} guardians, {result.enrolments} enrolments "
              f"(+ their history), {len(plan.warnings)} duplicate warnings, {len(plan.notes)} class-size "
              f"warnings, {len(groups)} groups, vendor={connection.vendor}, file {good.stat().st_size // 1024} KB")

        # All or nothing 1: one bad row at the very end of a file of 5,000 new rows.
        bad_rows = roster_rows(groups, year, rng, n=ROWS, id_base=100_000, phone_base=30_000_000)
        bad_rows[-1][1] = "31/02/2020"
        bad = tmp / "roster-bad.xlsx"
        write_xlsx(bad, bad_rows)
        before = counts()
        try:
            roster.roster_import_file(bad, school=school, actor=principal, start_date=start)
        except roster.RosterInvalid as exc:
            errors = exc.plan.errors
            assert [(e.row, e.column) for e in errors] == [(ROWS + 1, "birth_date")], errors[:3]
        else:
            sys.exit("a roster with a bad last row was imported")
        assert counts() == before, "a rejected roster wrote rows"
        print(f"all-or-nothing: bad last row rejected ({errors[0].message}); nothing written")

        # All or nothing 2: the last row's personal id is taken after the check, so the last INSERT batch fails.
        race = tmp / "roster-race.xlsx"
        race_rows = roster_rows(groups, year, rng, n=ROWS, id_base=200_000, phone_base=50_000_000)
        race_rows[-1][4] = "031999999999"
        write_xlsx(race, race_rows)
        plan = roster.build_plan(race, school=school)
        assert plan.ok
        Child.objects.create(school=school, full_name="Trẻ chen ngang", birth_date=dt.date(2021, 5, 5), sex="F",
                             personal_id="031999999999")
        before = counts()
        try:
            roster.roster_import(plan=plan, actor=principal, start_date=start)
        except IntegrityError:
            pass
        else:
            sys.exit("a duplicate personal id slipped through the unique constraint")
        assert counts() == before, "a failed import left rows behind"
        print("all-or-nothing: insert failing in its last batch rolled back; nothing written")
        print(f"BENCH roster_import rows={ROWS} seconds={seconds:.2f}")
    finally:
        connection.close()
        drop()


if __name__ == "__main__":
    main()
