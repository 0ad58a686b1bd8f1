"""Demo children, groups and classes for every school of the chosen scale (issue 3, item 12).

Trường Mầm non Sao Sáng follows seed 002's breakdown exactly: creche 2 groups / 55 children, 3-year-olds
5 classes / 130, 4-year-olds 4 / 117, 5-year-olds 5 / 173, i.e. 16 groups and 475 children (the seed's text
says 480, its breakdown adds up to 475). Those figures break the charter (Thông tư 52/2020, Điều 15: at most
25 in a 25-36-month group and in a 3-4-year-old class), so the over-full groups carry the principal's
recorded override instead of being hidden.

Every other school gets groups sized to its teachers: the org demo staffs a school at the norm of 2.2
teachers a group (Thông tư 19/2023, Điều 5), and the groups are drawn at one per 2.05 teachers, so schools
run a little short of teachers as many do (and the city reaches about 150,000 children), mostly within
the maxima of the Rule rows ``group_max.*``, and children whose
birth dates fit the band (calc.ages: kindergarten by birth year, creche by age in months). Rows are written
in bulk (COPY on PostgreSQL), a chunk of schools at a time so that the national scale keeps memory bounded.
No history rows: the demo is a starting state, not a change anyone made.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import F, Max
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from mamnon.calc import ages
from mamnon.calc.text import fold
from mamnon.children.ethnicity import KINH
from mamnon.children.models import (
    AuthorisedPickup,
    Child,
    ChildSupport,
    Enrolment,
    Group,
    GroupTeacher,
    Guardian,
    RuleOverride,
)
from mamnon.core import clock
from mamnon.core.demo import DemoContext, register
from mamnon.core.rules import rules_in_force
from mamnon.org.models import OrgUnit, School, SchoolYear, Site, Staff

TEACHERS_PER_GROUP = 2.05  # below the 2.2 norm: the demo's schools are a little short of teachers
CHUNK_SCHOOLS = 250  # schools generated and written together (bounded memory at the national scale)
DEMO_PIN = "1234"  # every Sao Sáng guardian's handover PIN in the demo
CONSENT_VERSION = "NĐ13-2023-v1"  # consent to personal-data processing (Nghị định 13/2023)

# Age bands as plain strings (psycopg would dump a str-Enum member by its name).
C3_12, C13_24, C25_36 = ages.CRECHE_3_12, ages.CRECHE_13_24, ages.CRECHE_25_36
K3, K4, K5 = ages.KINDER_3, ages.KINDER_4, ages.KINDER_5
MIXED_CRECHE, MIXED_KINDER = "mixed_creche", "mixed_kinder"
KINDER = (K3, K4, K5, MIXED_KINDER)
BANDS = (C3_12, C13_24, C25_36, K3, K4, K5, MIXED_CRECHE, MIXED_KINDER)
# Charter maxima (Thông tư 52/2020, Điều 15) when no Rule row is in force.
FALLBACK_MAX = {C3_12: 15, C13_24: 20, C25_36: 25, K3: 25, K4: 30, K5: 35, MIXED_CRECHE: 20, MIXED_KINDER: 35}
GROUP_NAME = {  # usual Vietnamese names; letters as schools use them (A = 5-year-olds ... D = creche)
    C3_12: "Nhóm trẻ 3-12 tháng F", C13_24: "Nhóm trẻ 13-24 tháng E", C25_36: "Nhà trẻ D",
    K3: "Mẫu giáo bé C", K4: "Mẫu giáo nhỡ B", K5: "Mẫu giáo lớn A",
    MIXED_CRECHE: "Nhóm trẻ ghép ", MIXED_KINDER: "Lớp mẫu giáo ghép ",
}

# Seed 002 (Kế hoạch 88/KH-MNSS, 2023-2024): band, groups, children; the first site hosts the rest.
SAO_SANG_PLAN = [(K5, 5, 173), (K4, 4, 117), (K3, 5, 130), (C25_36, 2, 55)]
SAO_SANG_SECOND_SITE = {"Nhà trẻ D1", "Nhà trẻ D2", "Mẫu giáo bé C4", "Mẫu giáo bé C5"}
SAO_SANG_DISABLED_IN = ("Mẫu giáo bé C1", "Mẫu giáo bé C3")  # inclusive classes (Thông tư 03/2018)
SAO_SANG_OVERRIDE_REASON = (
    "Nhu cầu gửi trẻ trên địa bàn thị trấn An Lão vượt số phòng học hiện có; nhà trường nhận {n} trẻ "
    "(vượt mức {max} theo Điều 15 Thông tư 52/2020/TT-BGDĐT) theo Kế hoạch 88/KH-MNSS, bố trí đủ giáo viên "
    "và đã báo cáo Phòng GD&ĐT huyện An Lão."
)
SAO_SANG_INCLUSION_NOTE = " Lớp có 01 trẻ khuyết tật học hòa nhập, giáo viên được bồi dưỡng giáo dục hòa nhập."

# --- names -----------------------------------------------------------------------------------------------
# Family names with rough national shares (Nguyễn about 38%); the north writes Hoàng and Vũ, the south
# Huỳnh and Võ, so the two regions weigh those differently.
FAMILY = [
    ("Nguyễn", 38, 38), ("Trần", 11, 11), ("Lê", 9.5, 9.5), ("Phạm", 7, 7), ("Hoàng", 4.5, 1.2),
    ("Huỳnh", 0.3, 4), ("Vũ", 4.5, 0.8), ("Võ", 0.4, 4), ("Phan", 3.5, 4.5), ("Trương", 1.5, 2),
    ("Bùi", 2.2, 1.8), ("Đặng", 2.1, 2), ("Đỗ", 2, 1.2), ("Ngô", 1.4, 1.3), ("Hồ", 1, 1.6), ("Dương", 1.1, 1),
    ("Lý", 0.5, 0.6), ("Đinh", 1, 0.6), ("Đoàn", 0.9, 0.7), ("Lương", 0.6, 0.5), ("Mai", 0.6, 0.6),
    ("Cao", 0.5, 0.5), ("Tạ", 0.4, 0.2), ("Trịnh", 0.6, 0.3), ("Phùng", 0.4, 0.2), ("Tô", 0.4, 0.3),
    ("Lưu", 0.4, 0.4), ("Vương", 0.3, 0.3), ("Hà", 0.5, 0.3), ("Lâm", 0.2, 0.8),
]
BOY_MIDDLE = ["Minh", "Đức", "Gia", "Văn", "Hoàng", "Quang", "Bảo", "Anh", "Đăng", "Tuấn", "Hải", "Trung",
              "Thành", "Nhật", "Hữu", "Khánh", "Tiến", "Phúc", "Duy", "Thiên", "Trọng", "Công"]
BOY_GIVEN = ["An", "Khang", "Huy", "Nam", "Khoa", "Phúc", "Minh", "Đức", "Long", "Quân", "Bảo", "Dũng", "Hiếu",
             "Hưng", "Kiên", "Lâm", "Nhật", "Phong", "Sơn", "Tùng", "Vinh", "Duy", "Trí", "Thịnh", "Hải", "Đạt",
             "Tú", "Việt", "Khôi", "Lộc", "Nguyên", "Phát", "Thiện", "Tuấn", "Kiệt", "Quang", "Anh", "Khải"]
GIRL_MIDDLE = ["Ngọc", "Bảo", "Minh", "Khánh", "Gia", "Phương", "Thảo", "Hà", "Tuệ", "An", "Diệp", "Thu",
               "Quỳnh", "Hoài", "Thanh", "Mai", "Thị", "Hải", "Kim", "Tường", "Linh", "Hồng"]
GIRL_GIVEN = ["An", "Anh", "Chi", "Linh", "Ngọc", "Nhi", "Vy", "Trang", "Hân", "Thư", "My", "Châu", "Hà", "Mai",
              "Ngân", "Quyên", "Tâm", "Yến", "Uyên", "Khuê", "Trâm", "Hương", "Thảo", "Lam", "Nhiên", "Như",
              "Phương", "Diệp", "Vân", "Hoa", "Giang", "Ly"]
MOTHER_MIDDLE = ["Thị"] * 9 + ["Ngọc", "Thu", "Thanh", "Hồng", "Phương", "Minh", "Thùy", "Kim", "Diệu", "Hải"]
MOTHER_GIVEN = ["Lan", "Hương", "Hà", "Mai", "Trang", "Linh", "Hoa", "Nga", "Thảo", "Yến", "Hạnh", "Dung",
                "Huyền", "Nhung", "Thúy", "Hằng", "Phương", "Loan", "Oanh", "Vân", "Ngọc", "Quỳnh", "Thủy"]
FATHER_MIDDLE = ["Văn"] * 8 + ["Đức", "Minh", "Quang", "Xuân", "Hữu", "Thanh", "Ngọc", "Mạnh", "Trọng", "Duy"]
FATHER_GIVEN = ["Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Thắng", "Cường", "Sơn", "Trung", "Quân", "Hiếu",
                "Tùng", "Đạt", "Phong", "Thành", "Hoàng", "Huy", "Khánh", "Tiến", "Mạnh", "Việt"]
PICKUP_RELATIONS = [("Bà ngoại", "F"), ("Bà nội", "F"), ("Ông ngoại", "M"), ("Ông nội", "M"),
                    ("Dì (em gái mẹ)", "F"), ("Cô (em gái bố)", "F"), ("Chú (em trai bố)", "M")]
# Mobile prefixes of Viettel, MobiFone, VinaPhone, Vietnamobile and Gmobile (091 is left to the demo logins).
PHONE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098", "070",
                  "076", "077", "078", "079", "089", "090", "093", "081", "082", "083", "084", "085", "088",
                  "094", "056", "058", "059", "099"]
# Disability types of Luật Người khuyết tật 2010, Điều 3 khoản 1, and levels of khoản 2.
DISABILITY_TYPES = [("Khuyết tật vận động", 20), ("Khuyết tật nghe, nói", 25), ("Khuyết tật nhìn", 8),
                    ("Khuyết tật thần kinh, tâm thần", 15), ("Khuyết tật trí tuệ", 17), ("Khuyết tật khác", 15)]
DISABILITY_LEVELS = [("mild", 70), ("severe", 25), ("very_severe", 5)]

# Province codes that open the 12-digit personal identification number (the pre-2025 codes of the
# province whose name each of the 34 kept), and the rough share of ethnic-minority children with their
# main groups (demo approximations from the 2019 census, not statistics).
PROVINCE_ID_CODE = {
    "Hà Nội": "001", "Cao Bằng": "004", "Tuyên Quang": "008", "Lào Cai": "010", "Điện Biên": "011",
    "Lai Châu": "012", "Sơn La": "014", "Thái Nguyên": "019", "Lạng Sơn": "020", "Quảng Ninh": "022",
    "Phú Thọ": "025", "Bắc Ninh": "027", "Hải Phòng": "031", "Hưng Yên": "033", "Ninh Bình": "037",
    "Thanh Hóa": "038", "Nghệ An": "040", "Hà Tĩnh": "042", "Quảng Trị": "045", "Huế": "046", "Đà Nẵng": "048",
    "Quảng Ngãi": "051", "Khánh Hòa": "056", "Gia Lai": "064", "Đắk Lắk": "066", "Lâm Đồng": "068",
    "Tây Ninh": "072", "Đồng Nai": "075", "Hồ Chí Minh": "079", "Vĩnh Long": "086", "Đồng Tháp": "087",
    "An Giang": "089", "Cần Thơ": "092", "Cà Mau": "096",
}
MINORITIES = {
    "Hải Phòng": (0.006, ["04", "02", "06", "07", "18"]), "Cao Bằng": (0.95, ["02", "07", "08", "09"]),
    "Lai Châu": (0.85, ["03", "08", "09", "35", "25"]), "Điện Biên": (0.82, ["03", "08", "29"]),
    "Sơn La": (0.83, ["03", "08", "06", "09"]), "Lạng Sơn": (0.83, ["07", "02", "09"]),
    "Tuyên Quang": (0.7, ["02", "08", "09", "07"]), "Lào Cai": (0.55, ["02", "08", "09", "25", "07"]),
    "Thái Nguyên": (0.4, ["02", "07", "09", "15"]), "Phú Thọ": (0.3, ["06", "09"]), "Gia Lai": (0.3, ["10", "13"]),
    "Đắk Lắk": (0.3, ["12", "07", "02", "20"]), "Lâm Đồng": (0.2, ["16", "28", "20"]), "Cần Thơ": (0.2, ["05", "04"]),
    "Thanh Hóa": (0.17, ["06", "03"]), "Nghệ An": (0.14, ["03", "29", "08"]), "Quảng Ngãi": (0.15, ["19", "14", "13"]),
    "Quảng Ninh": (0.12, ["09", "02", "18"]), "Vĩnh Long": (0.12, ["05"]), "An Giang": (0.1, ["05", "17", "04"]),
    "Khánh Hòa": (0.1, ["21", "17"]), "Quảng Trị": (0.06, ["23", "31"]), "Hồ Chí Minh": (0.06, ["04", "05", "17"]),
    "Đồng Nai": (0.05, ["22", "04", "32"]), "Cà Mau": (0.05, ["05", "04"]), "Bắc Ninh": (0.04, ["07", "02", "18"]),
    "Đà Nẵng": (0.03, ["26", "14"]), "Huế": (0.03, ["31", "26"]),
}
DEFAULT_MINORITIES = (0.01, ["06", "02", "04", "07", "03"])
SOUTH = {"Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Đắk Lắk", "Lâm Đồng", "Hồ Chí Minh", "Đồng Nai",
         "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang"}


def demo_today() -> dt.date:
    """The demo's 'today' (the date in Viet Nam). Tests pin it to keep the generated history a fixed size."""
    return clock.today()


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware datetime at a local wall-clock time on a day (Viet Nam keeps no daylight saving time)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=_local_zone())


@functools.cache
def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- bulk writing ------------------------------------------------------------------------------------------
def bulk_copy(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (value tuples in the order of ``fields``) in bulk, without save(), signals or history.

    PostgreSQL: COPY FROM STDIN; other databases: executemany in batches. Values must be plain Python
    values (str, int, bool, date, aware datetime, Decimal, None), never enum members. Concrete columns not
    named get their model default (or NULL, '' or now), so callers only name what they decide.
    """
    opts = model._meta
    named = [opts.get_field(name) for name in fields]
    rest = [f for f in opts.concrete_fields if f not in named and not isinstance(f, AutoFieldMixin)]
    now = timezone.now()

    def filler(f):
        if f.has_default():
            return f.get_default()
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return now
        if f.null:
            return None
        if f.empty_strings_allowed and f.blank:
            return ""
        raise ValueError(f"{model.__name__}.{f.name} needs a value")

    consts = tuple(filler(f) for f in rest)
    columns = [f.column for f in named + rest]
    qn = connection.ops.quote_name
    count = 0
    if connection.vendor == "postgresql":
        sql = f"COPY {qn(opts.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            write = copy.write_row
            for row in rows:
                write((*row, *consts) if consts else row)
                count += 1
        return count
    # SQLite and others: let each field adapt the values that need it (dates, datetimes, decimals).
    fields_all = named + rest
    adapt = [(i, f) for i, f in enumerate(fields_all)
             if f.get_internal_type() in ("DateField", "DateTimeField", "DecimalField")]
    sql = (f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    caches: list[dict] = [{} for _ in adapt]  # dates and times repeat a lot: adapt each value once
    batch: list[list] = []
    with connection.cursor() as cursor:
        for row in rows:
            values = [*row, *consts]
            for (i, f), cache in zip(adapt, caches, strict=True):
                value = values[i]
                if value is not None:
                    out = cache.get(value)
                    if out is None:
                        out = cache[value] = f.get_db_prep_save(value, connection)
                    values[i] = out
            batch.append(values)
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


@contextmanager
def bulk_load(*model_classes: type[models.Model], progress=None):
    """Load big tables as PostgreSQL's manual advises ("Populating a Database": remove indexes and foreign
    keys, load with COPY, add them back).

    Row by row, PostgreSQL checks each inserted row's deferred foreign keys at commit (about 100 s for the
    city's three million attendance rows) and updates eight indexes per attendance row (half the load time).
    Dropping the tables' foreign keys, unique constraints and secondary indexes for the load and adding them
    back under the same names and definitions checks the same keys and uniqueness in one pass each. The
    primary keys stay. PostgreSQL refuses to alter a table with checks still pending in the transaction, so
    those run first (SET CONSTRAINTS ALL IMMEDIATE, as Django's test teardown does). It is all one
    transaction: a failure rolls the constraints back too. Other databases: nothing to do. ``progress`` is
    the DemoContext's, to show the rebuilding (a minute and a half at the national scale).
    """
    if connection.vendor != "postgresql":
        yield
        return
    qn = connection.ops.quote_name
    tables = [m._meta.db_table for m in model_classes]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid), k.contype FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype IN ('f', 'u') AND c.relname = ANY(%s) "
            "AND pg_table_is_visible(c.oid) ORDER BY k.contype, c.relname, k.conname",
            [tables],
        )
        constraints = cursor.fetchall()  # foreign keys ('f') sort before unique constraints ('u')
        cursor.execute(
            "SELECT ic.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid "
            "WHERE t.relname = ANY(%s) AND pg_table_is_visible(t.oid) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY ic.relname",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _definition, _kind in constraints:
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {qn(name)}")
    yield
    advance = progress("Chỉ mục, khóa (indexes, keys)", len(indexes) + len(constraints)) if progress else None
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        statements = [definition for _name, definition in indexes] + [  # unique constraints, then foreign keys
            f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}"
            for table, name, definition, _kind in reversed(constraints)]
        for sql in statements:
            cursor.execute(sql)
            if advance:
                advance(1)


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(*model_classes: type[models.Model]) -> None:
    """After inserting rows with ids chosen here, let the database continue after the largest."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(model_classes)):
            cursor.execute(sql)


def current_year() -> SchoolYear:
    return SchoolYear.objects.get(is_current=True)


# --- planning ------------------------------------------------------------------------------------------------
@dataclass
class SchoolInfo:
    id: int
    kind: str
    commune_id: int | None
    province: str  # place name ("Hải Phòng")
    teachers: list[tuple[int, int | None]] = field(default_factory=list)  # (staff id, user id)
    sites: list[int] = field(default_factory=list)  # main site first


@dataclass
class GroupPlan:
    id: int
    school: SchoolInfo
    band: str
    name: str
    size: int
    site_id: int | None
    full_day: bool = True
    semi_boarding: bool = True
    english: bool = False
    disabled: int = 0  # children with a disability placed here (at most 2, Thông tư 03/2018)
    children: list[int] = field(default_factory=list)


def _p(pairs) -> np.ndarray:
    w = np.array([w for _v, w in pairs], dtype=float)
    return w / w.sum()


DISABILITY_TYPE_P, DISABILITY_LEVEL_P = _p(DISABILITY_TYPES), _p(DISABILITY_LEVELS)


class _NameParts:
    """One list of middle names and one of given names, as arrays, with their folded forms."""

    def __init__(self, middles: list[str], givens: list[str]):
        self.middles = np.array(middles, dtype=object)
        self.givens = np.array(givens, dtype=object)
        self.middles_folded = np.array([fold(m) for m in middles], dtype=object)
        self.givens_folded = np.array([fold(g) for g in givens], dtype=object)
        # "Minh Minh": a given name equal to the middle one is moved to the next given name.
        self.clash = np.array([[m == g for g in givens] for m in middles], dtype=bool)


class Names:
    """Vectorised Vietnamese names: family name by region, middle and given name by sex and generation."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.family = np.array([f for f, _n, _s in FAMILY], dtype=object)
        self.family_folded = np.array([fold(f) for f, _n, _s in FAMILY], dtype=object)
        north = np.array([n for _f, n, _s in FAMILY], dtype=float)
        south = np.array([s for _f, _n, s in FAMILY], dtype=float)
        self.family_p = {"north": north / north.sum(), "south": south / south.sum()}
        self.parts = {
            "boy": _NameParts(BOY_MIDDLE, BOY_GIVEN), "girl": _NameParts(GIRL_MIDDLE, GIRL_GIVEN),
            "mother": _NameParts(MOTHER_MIDDLE, MOTHER_GIVEN), "father": _NameParts(FATHER_MIDDLE, FATHER_GIVEN),
            "grandmother": _NameParts(["Thị"], MOTHER_GIVEN),
            "grandfather": _NameParts(["Văn", "Đức", "Xuân"], FATHER_GIVEN),
        }

    def families(self, n: int, region: str) -> np.ndarray:
        return self.rng.choice(len(self.family), size=n, p=self.family_p[region])

    def full(self, families: np.ndarray, kind: str, double_middle: float = 0.0,
             folded: bool = False) -> tuple[list[str], list[str] | None]:
        """A name for each family-name index: (names, folded names if asked)."""
        rng, parts = self.rng, self.parts[kind]
        n = len(families)
        mid = rng.integers(0, len(parts.middles), n)
        giv = rng.integers(0, len(parts.givens), n)
        clash = parts.clash[mid, giv]
        giv[clash] = (giv[clash] + 1) % len(parts.givens)
        middle, middle_f = parts.middles[mid], parts.middles_folded[mid]
        if double_middle:  # "Nguyễn Ngọc Bảo Anh": a second middle name now and then
            second = rng.integers(0, len(parts.middles), n)
            two = (rng.random(n) < double_middle) & (second != mid) & ~parts.clash[second, giv]
            middle[two] = middle[two] + " " + parts.middles[second[two]]
            middle_f[two] = middle_f[two] + " " + parts.middles_folded[second[two]]
        names = [f"{a} {b} {c}" for a, b, c in zip(self.family[families].tolist(), middle.tolist(),
                                                     parts.givens[giv].tolist(), strict=True)]
        if not folded:
            return names, None
        return names, [f"{a} {b} {c}" for a, b, c in zip(self.family_folded[families].tolist(), middle_f.tolist(),
                                                           parts.givens_folded[giv].tolist(), strict=True)]


class Numbers:
    """Unique-looking mobile numbers and personal identification numbers.

    The last 7 digits of a phone are a bijection of a running counter (so no two guardians share one);
    the last 6 digits of an identification number likewise, per province, century/sex digit and birth year.
    """

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.phone_n = 0
        self.phone_offset = int(rng.integers(0, 10**7))
        self.id_counters: dict[tuple[str, int, int], int] = {}
        self.id_offset = int(rng.integers(0, 10**6))

    def phones(self, n: int) -> list[str]:
        prefixes = self.rng.integers(0, len(PHONE_PREFIXES), n)
        out = []
        for i in range(n):
            k = self.phone_n + i
            out.append(f"{PHONE_PREFIXES[prefixes[i]]}{(k * 7777777 + self.phone_offset) % 10**7:07d}")
        self.phone_n += n
        return out

    def personal_id(self, province: str, sex: str, born: dt.date) -> str:
        # Thông tư 59/2021/TT-BCA: province of birth (3 digits), century and sex (2 = male, 3 = female in
        # the 2000s), year of birth (2 digits), then 6 digits.
        code = PROVINCE_ID_CODE.get(province, "031")
        century_sex = 2 if sex == "M" else 3
        key = (code, century_sex, born.year % 100)
        k = self.id_counters.get(key, 0)
        self.id_counters[key] = k + 1
        return f"{code}{century_sex}{born.year % 100:02d}{(k * 7919 + self.id_offset) % 10**6:06d}"


def _split(total: int, parts: int) -> list[int]:
    """total over parts as evenly as possible, the larger shares first."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _bands_for(school: SchoolInfo, groups: int, rng: np.random.Generator) -> list[str]:
    if school.kind == School.Kind.INDEPENDENT_GROUP:
        return [MIXED_KINDER] if groups == 1 else [MIXED_CRECHE] + [MIXED_KINDER] * (groups - 1)
    if school.kind == School.Kind.CRECHE:
        creche = groups
    elif school.kind == School.Kind.KINDERGARTEN:
        creche = 0
    else:
        creche = max(0, min(groups - 3, max(1, round(groups * rng.uniform(0.08, 0.2)))))
    kinder = groups - creche
    k5 = math.ceil(kinder * 0.4)
    k4 = math.ceil((kinder - k5) / 2)
    bands = [K5] * k5 + [K4] * k4 + [K3] * (kinder - k5 - k4)
    creche_bands = [C25_36] * creche
    if creche >= 2 and rng.random() < 0.5:
        creche_bands[-1] = C13_24
    if creche >= 3 and rng.random() < 0.2:
        creche_bands[-2] = C3_12
    return bands + creche_bands


def _plan_school(school: SchoolInfo, maxima: dict, independent_max: int, rng: np.random.Generator,
                 next_group: list[int], english_share: float) -> list[GroupPlan]:
    """Groups of one (not Sao Sáng) school: as many as its teachers allow, sized near the charter maxima."""
    n_teachers = len(school.teachers)
    independent = school.kind == School.Kind.INDEPENDENT_GROUP
    groups = max(1, round(n_teachers / (2 if independent else TEACHERS_PER_GROUP)))
    bands = _bands_for(school, groups, rng)
    english = rng.random() < english_share
    counters: dict[str, int] = {}
    plans = []
    for i, band in enumerate(bands):
        top = maxima[band]
        if independent:
            size = int(rng.integers(12, 21)) if band == MIXED_CRECHE else int(rng.integers(18, 34))
        else:  # classes are kept full, and about one in five is a little over the charter's figure
            roll = rng.random()
            size = top + int(rng.integers(1, 5)) if roll < 0.22 else (
                top if roll < 0.6 else max(8, round(top * rng.uniform(0.92, 1.0))))
        counters[band] = counters.get(band, 0) + 1
        site = school.sites[0] if len(school.sites) == 1 or i < len(bands) * 0.6 else \
            school.sites[1 + i % (len(school.sites) - 1)]
        plans.append(GroupPlan(
            id=next_group[0], school=school, band=band, name=f"{GROUP_NAME[band]}{counters[band]}", size=size,
            site_id=site, full_day=bool(rng.random() < 0.98) or independent,
            semi_boarding=bool(rng.random() < 0.97) or independent,
            english=english and band in (K4, K5),
        ))
        next_group[0] += 1
    if independent:  # Thông tư 13/2018: an independent group takes at most 70 children
        while sum(p.size for p in plans) > independent_max:
            max(plans, key=lambda p: p.size).size -= 1
    return plans


def _plan_sao_sang(school: SchoolInfo, next_group: list[int]) -> list[GroupPlan]:
    plans = []
    for band, groups, children in SAO_SANG_PLAN:
        for i, size in enumerate(_split(children, groups)):
            name = f"{GROUP_NAME[band]}{i + 1}"
            site = school.sites[1] if name in SAO_SANG_SECOND_SITE and len(school.sites) > 1 else school.sites[0]
            plans.append(GroupPlan(id=next_group[0], school=school, band=band, name=name, size=size, site_id=site,
                                   english=band in KINDER, disabled=int(name in SAO_SANG_DISABLED_IN)))
            next_group[0] += 1
    return plans


def _place_disabilities(plans: list[GroupPlan], maxima: dict, inclusion: tuple[int, int],
                        rng: np.random.Generator) -> None:
    """About 1% of children have a disability, in groups kept within the lowered limit (Thông tư 19/2023,
    Điều 5: 5 places fewer for each such child; Thông tư 03/2018: at most 2 in a group; both Rule rows)."""
    reduction, most = inclusion
    want = int(rng.binomial(sum(p.size for p in plans), 0.01))
    for per_group in range(1, most + 1):
        eligible = [p for p in plans if p.disabled == per_group - 1 and maxima[p.band] - reduction * per_group >= 8]
        if not want or not eligible:
            break
        for k in rng.choice(len(eligible), size=min(want, len(eligible)), replace=False):
            plan = eligible[k]
            plan.disabled += 1
            plan.size = min(plan.size, maxima[plan.band] - reduction * plan.disabled)
        want -= min(want, len(eligible))


def _assign_teachers(plans: list[GroupPlan], teachers: list[tuple[int, int | None]]) -> list[tuple]:
    """Two teachers a group (the first leads, Điều lệ: one main responsible teacher), extras as a third."""
    if not teachers or not plans:
        return []
    rows = []
    seen = set()
    for i, plan in enumerate(plans):
        for k, is_lead in ((2 * i, True), (2 * i + 1, False)):
            staff_id = teachers[k % len(teachers)][0]
            if (plan.id, staff_id) not in seen:
                seen.add((plan.id, staff_id))
                rows.append((plan.id, staff_id, plan.school.id, is_lead))
    for j, (staff_id, _user) in enumerate(teachers[2 * len(plans):]):
        plan = plans[j % len(plans)]
        if (plan.id, staff_id) not in seen:
            seen.add((plan.id, staff_id))
            rows.append((plan.id, staff_id, plan.school.id, False))
    return rows


# --- the generator -----------------------------------------------------------------------------------------
class ChildrenBuilder:
    """Generates one chunk of schools at a time and writes it with bulk_copy."""

    def __init__(self, ctx: DemoContext, year: SchoolYear):
        self.ctx = ctx
        self.year = year
        self.rng = np.random.default_rng([ctx.seed, 20])
        self.names = Names(self.rng)
        self.numbers = Numbers(self.rng)
        self.next_group = [next_id(Group)]
        self.next_child = next_id(Child)
        self.next_guardian = next_id(Guardian)
        self.next_pickup = next_id(AuthorisedPickup)
        codes = [f"group_max.{b}" for b in BANDS] + [
            "independent_group_children_max", "group_disability_reduction", "group_disability_max"]
        rules = {code: int(rule.value) for code, rule in rules_in_force(codes, on=year.start_date).items()}
        self.maxima = {b: rules.get(f"group_max.{b}", FALLBACK_MAX[b]) for b in BANDS}
        self.independent_max = rules.get("independent_group_children_max", 70)
        self.inclusion = (rules.get("group_disability_reduction", 5), rules.get("group_disability_max", 2))
        self.birth_days = self._birth_days(year.start_date)
        self.pin_hash = make_password(DEMO_PIN)  # hashed once: Argon2 is slow on purpose
        self.created_at = at(year.start_date, 7)
        units = list(OrgUnit.objects.exclude(level__is_school=True).values_list("id", "name", "level__code",
                                                                                 "parent_id"))
        self.unit_name = {uid: name for uid, name, _lvl, _p in units}
        self.unit_level = {uid: lvl for uid, _n, lvl, _p in units}
        self.unit_parent = {uid: parent for uid, _n, _lvl, parent in units}
        self.siblings: dict[int, list[int]] = {}
        for uid, _n, lvl, parent in units:
            if lvl == "commune":
                self.siblings.setdefault(parent, []).append(uid)
        self.address_tail: dict[int, tuple[str, str]] = {}
        self.sao_sang: list[GroupPlan] = []
        self.counts = {"groups": 0, "children": 0}

    @staticmethod
    def _birth_days(start: dt.date) -> dict[str, np.ndarray]:
        days = np.arange(np.datetime64(dt.date(start.year - 6, 1, 1)), np.datetime64(start))
        bands = ages.age_bands(days, start)
        out = {b: days[bands == b] for b in ages.BANDS}
        out[MIXED_CRECHE] = days[(bands == C13_24) | (bands == C25_36)]
        out[MIXED_KINDER] = days[(bands == K3) | (bands == K4) | (bands == K5)]
        return out

    def _place(self, unit_id: int) -> tuple[str, str]:
        """('Tổ dân phố', 'Thị trấn An Lão, huyện An Lão, Hải Phòng') for a commune: the word for its hamlets,
        and its name with its district (if any) and province."""
        out = self.address_tail.get(unit_id)
        if out is None:
            name = self.unit_name.get(unit_id, "")
            parts = [name]
            parent = self._parent_of(unit_id)
            while parent is not None:
                level, parent_name = self.unit_level.get(parent), self.unit_name.get(parent, "")
                if level == "district":
                    parts.append(parent_name.replace("Phòng GD&ĐT ", ""))
                elif level == "province":
                    parts.append(parent_name.replace("Sở GD&ĐT ", ""))
                parent = self._parent_of(parent)
            hamlet = "Tổ dân phố" if name.startswith(("Phường", "Thị trấn")) else "Thôn"
            out = self.address_tail[unit_id] = (hamlet, ", ".join(p for p in parts if p))
        return out

    def _parent_of(self, unit_id: int) -> int | None:
        return self.unit_parent.get(unit_id)

    def schools(self, ids: list[int]) -> list[SchoolInfo]:
        provinces = {uid: name.replace("Sở GD&ĐT ", "") for uid, name in self.unit_name.items()
                     if self.unit_level.get(uid) == "province"}
        out = []
        for sid, kind, commune, path in School.objects.filter(pk__in=ids).values_list(
                "unit_id", "kind", "commune_id", "unit__path").order_by("unit__path"):
            province = next((provinces[int(x)] for x in path.strip("/").split("/") if int(x) in provinces), "")
            out.append(SchoolInfo(id=sid, kind=kind, commune_id=commune, province=province))
        return out

    def run(self, school_ids: list[int], sao_sang_id: int) -> None:
        infos = self.schools(school_ids)
        advance = self.ctx.progress("Trẻ em (children)", len(infos))
        english_share = 0.15  # seed 000: 11% of the city's kindergarten children learn English
        for start in range(0, len(infos), CHUNK_SCHOOLS):
            chunk = infos[start:start + CHUNK_SCHOOLS]
            by_id = {s.id: s for s in chunk}
            for staff_id, unit_id, user_id in Staff.objects.filter(
                    unit_id__in=by_id, position=Staff.Position.TEACHER, active=True).order_by(
                    "unit_id", "id").values_list("id", "unit_id", "user_id"):
                by_id[unit_id].teachers.append((staff_id, user_id))
            for site_id, school_id in Site.objects.filter(school_id__in=by_id).order_by(
                    "school_id", "-is_main", "id").values_list("id", "school_id"):
                by_id[school_id].sites.append(site_id)
            plans: list[GroupPlan] = []
            teacher_rows: list[tuple] = []
            for school in chunk:
                if school.id == sao_sang_id:
                    # The demo teacher (gv.saosang) leads the first class, Mẫu giáo lớn A1.
                    school.teachers.sort(key=lambda t: t[1] is None)
                    mine = _plan_sao_sang(school, self.next_group)
                    self.sao_sang = mine
                else:
                    mine = _plan_school(school, self.maxima, self.independent_max, self.rng, self.next_group,
                                        english_share)
                    _place_disabilities(mine, self.maxima, self.inclusion, self.rng)
                teacher_rows += _assign_teachers(mine, school.teachers)
                plans += mine
            self._write_chunk(plans, teacher_rows, sao_sang_id)
            advance(len(chunk))

    def _write_chunk(self, plans: list[GroupPlan], teacher_rows: list[tuple], sao_sang_id: int) -> None:
        year = self.year
        bulk_copy(Group, ["id", "school_id", "school_year_id", "site_id", "name", "age_band", "full_day",
                          "semi_boarding", "english", "active"],
                  ((p.id, p.school.id, year.id, p.site_id, p.name, p.band, p.full_day, p.semi_boarding, p.english,
                    True) for p in plans))
        bulk_copy(GroupTeacher, ["group_id", "staff_id", "school_id", "is_lead"], teacher_rows)
        children, supports, guardians, pickups, enrolments = [], [], [], [], []
        for plan in plans:
            self._children_of(plan, plan.school.id == sao_sang_id, children, supports, guardians, pickups)
            enrolments += [(cid, plan.id, plan.school.id, year.start_date) for cid in plan.children]
        bulk_copy(Child, ["id", "school_id", "full_name", "name_folded", "birth_date", "sex", "ethnicity",
                          "personal_id", "address", "residence_commune_id", "created_at"], children)
        bulk_copy(ChildSupport, ["child_id", "school_id", "disability_type", "disability_level", "poor_household",
                                 "near_poor_household", "ethnic_minority_disadvantaged", "orphan"], supports)
        bulk_copy(Guardian, ["id", "child_id", "school_id", "full_name", "relation", "phone", "is_primary",
                             "pin_hash", "consent_at", "consent_version"], guardians)
        bulk_copy(AuthorisedPickup, ["id", "child_id", "school_id", "full_name", "relation", "phone", "valid_from",
                                     "valid_to"], pickups)
        bulk_copy(Enrolment, ["child_id", "group_id", "school_id", "start_date"], enrolments)
        self.counts["groups"] += len(plans)
        self.counts["children"] += len(children)

    def _children_of(self, plan: GroupPlan, sao_sang: bool, children, supports, guardians, pickups) -> None:
        rng, names, school = self.rng, self.names, plan.school
        n = plan.size
        region = "south" if school.province in SOUTH else "north"
        days = self.birth_days[plan.band]
        born = days[rng.integers(0, len(days), n)].astype(object)
        boys = rng.random(n) < 0.51
        families = names.families(n, region)
        ids = list(range(self.next_child, self.next_child + n))
        self.next_child += n
        plan.children = ids
        full_names: list[str] = [""] * n
        folded_names: list[str] = [""] * n
        for kind, who, double in (("boy", np.flatnonzero(boys), 0.08), ("girl", np.flatnonzero(~boys), 0.12)):
            got, got_folded = names.full(families[who], kind, double, folded=True)
            for k, i in enumerate(who.tolist()):
                full_names[i], folded_names[i] = got[k], got_folded[k]
        share, groups = MINORITIES.get(school.province, DEFAULT_MINORITIES)
        minority = (rng.random(n) < share).tolist()
        ethnic = rng.integers(0, len(groups), n).tolist()
        has_id = (rng.random(n) < 0.92).tolist()
        elsewhere = (rng.random(n) < 0.08).tolist()  # living in a neighbouring commune
        house = rng.integers(1, 13, n).tolist()
        siblings = self.siblings.get(self._parent_of(school.commune_id) if school.commune_id else None) or []
        pick = rng.integers(0, max(1, len(siblings)), n).tolist()
        flags = rng.random((n, 4))
        # Nghị định 105/2020 support: poor and near-poor households, ethnic minorities in disadvantaged areas,
        # orphans; far more of them in the mountain provinces.
        poor = (flags[:, 0] < (0.15 if share >= 0.5 else 0.015)).tolist()
        near_poor = (flags[:, 1] < 0.02).tolist()
        minority_flag = (flags[:, 2] < (0.6 if share >= 0.3 else 0.1)).tolist()
        orphan = (flags[:, 3] < 0.003).tolist()
        disabled = set(rng.choice(n, size=min(plan.disabled, n), replace=False).tolist()) if plan.disabled else set()
        dis_type = rng.choice(len(DISABILITY_TYPES), size=n, p=DISABILITY_TYPE_P) if disabled else None
        dis_level = rng.choice(len(DISABILITY_LEVELS), size=n, p=DISABILITY_LEVEL_P) if disabled else None
        boys_l = boys.tolist()
        for i, cid in enumerate(ids):
            sex = "M" if boys_l[i] else "F"
            commune = siblings[pick[i]] if elsewhere[i] and siblings else school.commune_id
            hamlet, place = self._place(commune) if commune else ("Thôn", school.province)
            children.append((
                cid, school.id, full_names[i], folded_names[i], born[i], sex,
                groups[ethnic[i]] if minority[i] else KINH,
                self.numbers.personal_id(school.province, sex, born[i]) if has_id[i] else None,
                f"{hamlet} {house[i]}, {place}", commune, self.created_at,
            ))
            is_poor = poor[i]
            is_near_poor = near_poor[i] and not is_poor
            is_minority = minority[i] and minority_flag[i]
            if i in disabled or is_poor or is_near_poor or is_minority or orphan[i]:
                supports.append((
                    cid, school.id, DISABILITY_TYPES[dis_type[i]][0] if i in disabled else "",
                    DISABILITY_LEVELS[dis_level[i]][0] if i in disabled else "", is_poor, is_near_poor, is_minority,
                    orphan[i],
                ))
        self._guardians(plan, families, sao_sang, guardians, pickups)

    def _guardians(self, plan: GroupPlan, families: np.ndarray, sao_sang: bool, guardians, pickups) -> None:
        """One guardian a child (two at Sao Sáng: mother and father, with the demo PIN), and at Sao Sáng
        some grandparents or relatives on the authorised pick-up list."""
        rng, names, school = self.rng, self.names, plan.school
        n = plan.size
        region = "south" if school.province in SOUTH else "north"
        mothers = names.full(names.families(n, region), "mother")[0]
        fathers = names.full(families, "father")[0]  # the child has the father's family name
        grannies = names.full(names.families(n, region), "grandmother")[0]
        relation = rng.random(n)
        consent = rng.random(n) < 0.95
        consent_day = rng.integers(0, 10, n)
        pin = self.pin_hash if sao_sang else ""
        phones = self.numbers.phones(2 * n)
        for i, cid in enumerate(plan.children):
            consent_at = at(self.year.start_date + dt.timedelta(days=int(consent_day[i])), 7, 30) \
                if consent[i] else None
            version = CONSENT_VERSION if consent[i] else ""
            if sao_sang:
                who = [(mothers[i], "mother", True), (fathers[i], "father", False)]
            elif relation[i] < 0.68:
                who = [(mothers[i], "mother", True)]
            elif relation[i] < 0.95:
                who = [(fathers[i], "father", True)]
            else:
                who = [(grannies[i], "grandparent", True)]
            for k, (name, rel, primary) in enumerate(who):
                guardians.append((self.next_guardian, cid, school.id, name, rel, phones[2 * i + k], primary, pin,
                                  consent_at, version))
                self.next_guardian += 1
        if not sao_sang:
            return
        with_pickup = rng.random(n) < 0.35
        rel = rng.integers(0, len(PICKUP_RELATIONS), n)
        extra_phones = self.numbers.phones(n)
        old = names.full(names.families(n, region), "grandmother")[0]
        men = names.full(names.families(n, region), "grandfather")[0]
        for i, cid in enumerate(plan.children):
            if with_pickup[i]:
                label, sex = PICKUP_RELATIONS[rel[i]]
                pickups.append((self.next_pickup, cid, school.id, old[i] if sex == "F" else men[i], label,
                                extra_phones[i], None, None))
                self.next_pickup += 1

    def finish(self, sao_sang_id: int) -> dict:
        """The demo parent and the principal's overrides at Sao Sáng; the ids the next generators need."""
        User = get_user_model()
        users = {u.username: u for u in User.objects.filter(username__in=["ht.saosang", "phuhuynh.saosang"])}
        plans = {p.name: p for p in self.sao_sang}
        parent_child = None
        first = plans.get("Mẫu giáo lớn A1")
        parent = users.get("phuhuynh.saosang")
        if first and parent:
            parent_child = first.children[0]
            # Her mother holds the parent login (and its phone, so she can log in with it) and has consented.
            Guardian.objects.filter(child_id=parent_child, relation="mother").update(
                user=parent, phone=parent.phone or F("phone"), consent_at=at(self.year.start_date, 7, 30),
                consent_version=CONSENT_VERSION)
        principal = users.get("ht.saosang")
        if principal:
            overrides = []
            for plan in self.sao_sang:
                top = self.maxima[plan.band]
                if plan.size > top:
                    reason = SAO_SANG_OVERRIDE_REASON.format(n=plan.size, max=top)
                    if plan.disabled:
                        reason += SAO_SANG_INCLUSION_NOTE
                    overrides.append(RuleOverride(school_id=sao_sang_id, group_id=plan.id,
                                                  rule_code=f"group_max.{plan.band}", reason=reason,
                                                  decided_by=principal))
            RuleOverride.objects.bulk_create(overrides)
            RuleOverride.objects.filter(school_id=sao_sang_id).update(decided_at=at(self.year.start_date, 8))
        reset_sequences(Group, Child, Guardian, AuthorisedPickup)
        return {
            "school_year_id": self.year.id,
            "sao_sang_group_ids": [p.id for p in self.sao_sang],
            "parent_child_id": parent_child,
            **self.counts,
        }


@register("children", 20)
def generate(ctx: DemoContext) -> None:
    org = ctx.data["org"]
    builder = ChildrenBuilder(ctx, current_year())
    with bulk_load(Group, GroupTeacher, Child, ChildSupport, Guardian, AuthorisedPickup, Enrolment,
                   progress=ctx.progress):
        builder.run(org["school_ids"], org["sao_sang_id"])
        ctx.data["children"] = builder.finish(org["sao_sang_id"])
