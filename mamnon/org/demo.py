"""Demo organisation tree: Hải Phòng (three tiers, as in the seeds) or the country after the 2025 reform.

Every scale includes Trường Mầm non Sao Sáng (An Lão, Hải Phòng) as seed 002 describes it: a public
school in the town of An Lão, plan 88/KH-MNSS of 22/09/2023, 16 groups and classes, more than one site
("điểm trường 1"). The other names are synthetic except the districts of Hải Phòng and the 34 provinces.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from mamnon.calc.periods import school_year_code
from mamnon.core import clock
from mamnon.core.default_rules import load_default_rules
from mamnon.core.demo import DemoContext, register
from mamnon.core.models import Rule
from mamnon.core.roles import Role
from mamnon.org import services
from mamnon.org.models import Membership, OrgLevel, OrgUnit, OrgUnitVersion, School, SchoolYear, Site, Staff

DEMO_PASSWORD = "mamnon-demo"
SAO_SANG_CODE = "MN-SAOSANG"

LEVELS = [
    ("ministry", "Bộ GD&ĐT", 0, False, ""),
    ("province", "Tỉnh/Thành phố", 1, False, Role.PROVINCE_OFFICER),
    ("district", "Quận/Huyện", 2, False, Role.DISTRICT_OFFICER),
    ("commune", "Xã/Phường/Thị trấn", 3, False, Role.COMMUNE_OFFICER),
    ("school", "Trường/Nhóm lớp", 4, True, ""),
]

# Hải Phòng's 15 districts before 2025 (seed 000: 217 communes, 15 districts), with commune counts adding
# up to 217.
HAI_PHONG_DISTRICTS = [
    ("HONGBANG", "Quận Hồng Bàng", 11), ("NGOQUYEN", "Quận Ngô Quyền", 12), ("LECHAN", "Quận Lê Chân", 15),
    ("HAIAN", "Quận Hải An", 8), ("KIENAN", "Quận Kiến An", 10), ("DOSON", "Quận Đồ Sơn", 6),
    ("DUONGKINH", "Quận Dương Kinh", 6), ("THUYNGUYEN", "Huyện Thủy Nguyên", 35),
    ("ANDUONG", "Huyện An Dương", 16), ("ANLAO", "Huyện An Lão", 17), ("KIENTHUY", "Huyện Kiến Thụy", 18),
    ("TIENLANG", "Huyện Tiên Lãng", 22), ("VINHBAO", "Huyện Vĩnh Bảo", 30), ("CATHAI", "Huyện Cát Hải", 10),
    ("BACHLONGVI", "Huyện Bạch Long Vĩ", 1),
]
AN_LAO_COMMUNES = [
    "Thị trấn An Lão", "Thị trấn Trường Sơn", "Xã Quang Trung", "Xã Quang Hưng", "Xã Quốc Tuấn",
    "Xã Bát Trang", "Xã An Thắng", "Xã An Thái", "Xã An Tiến", "Xã Chiến Thắng", "Xã Thái Sơn",
    "Xã Tân Dân", "Xã Tân Viên", "Xã Mỹ Đức", "Xã Trường Thành", "Xã Trường Thọ", "Xã An Thọ",
]
# The 34 provinces and centrally-run cities after Nghị quyết 202/2025/QH15.
PROVINCES_2025 = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau",
    "An Giang",
]
NATIONAL_COMMUNES = 3321
NATIONAL_SCHOOLS = 15000
SMALL_DISTRICTS = ("ANLAO", "VINHBAO")

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim", "Phương"]
GIVEN = ["Lan", "Hương", "Hà", "Mai", "Trang", "Linh", "Hoa", "Nga", "Thảo", "Yến", "Hạnh", "Dung", "Huyền"]


class TreeBuilder:
    """Collects units with ids and paths assigned up front, then writes each table in one bulk insert."""

    def __init__(self, levels: dict[str, OrgLevel], valid_from: dt.date):
        self.levels = levels
        self.valid_from = valid_from
        self.next_id = (OrgUnit.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.units: list[OrgUnit] = []
        self.schools: list[School] = []
        self.sites: list[Site] = []

    def unit(self, code: str, name: str, level: str, parent: OrgUnit | None) -> OrgUnit:
        uid = self.next_id
        self.next_id += 1
        unit = OrgUnit(
            id=uid, code=code, name=name, level=self.levels[level], parent=parent,
            path=f"{parent.path if parent else ''}{uid}/", depth=parent.depth + 1 if parent else 0,
            valid_from=self.valid_from,
        )
        self.units.append(unit)
        return unit

    def school(self, code, name, parent, *, commune, ownership, kind=School.Kind.SCHOOL, sites=1, **details):
        unit = self.unit(code, name, "school", parent)
        school = School(unit=unit, ownership=ownership, kind=kind, commune=commune, **details)
        self.schools.append(school)
        for i in range(sites):
            self.sites.append(Site(school=school, name=f"Điểm trường {i + 1}", is_main=i == 0,
                                   address=details.get("address", "")))
        return school

    def save(self, progress) -> None:
        advance = progress("Đơn vị (org units)", 4)
        OrgUnit.objects.bulk_create(self.units, batch_size=2000)
        advance(1)
        OrgUnitVersion.objects.bulk_create(
            [OrgUnitVersion(unit_id=u.id, code=u.code, name=u.name, level_id=u.level_id, parent_id=u.parent_id,
                            path=u.path, valid_from=u.valid_from, change=OrgUnitVersion.Change.CREATED)
             for u in self.units],
            batch_size=2000,
        )
        advance(1)
        School.objects.bulk_create(self.schools, batch_size=2000)
        advance(1)
        Site.objects.bulk_create(self.sites, batch_size=2000)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [OrgUnit]):
                cursor.execute(sql)
        advance(1)


def _levels() -> dict[str, OrgLevel]:
    out = {}
    for code, name, rank, is_school, officer in LEVELS:
        out[code], _created = OrgLevel.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank, "is_school": is_school, "officer_role": officer}
        )
    return out


def _school_years(today: dt.date) -> None:
    current = school_year_code(today)
    first = int(current[:4])
    for y in range(2021, first + 1):
        if not SchoolYear.objects.filter(code=f"{y}-{y + 1}").exists():
            services.school_year_create(start_year=y, current=f"{y}-{y + 1}" == current)


def _sao_sang(b: TreeBuilder, parent: OrgUnit, commune: OrgUnit) -> School:
    return b.school(
        SAO_SANG_CODE, "Trường Mầm non Sao Sáng", parent, commune=commune, ownership=School.Ownership.PUBLIC,
        sites=2, address="Thị trấn An Lão, huyện An Lão, thành phố Hải Phòng",
        email="mnsaosang@haiphong.edu.vn", website="https://mnsaosang.haiphong.edu.vn",
        phone="0225 3870 000",  # synthetic; the portal shows it as the school's hotline (seed 002)
    )


def _mixed_schools(b: TreeBuilder, rng, parent, communes, n, code_prefix, counter) -> None:
    """n schools spread over communes: mostly public, some people-founded or private, some independent groups."""
    for _i in range(n):
        commune = rng.choice(communes)
        counter[0] += 1
        roll = rng.random()
        if roll < 0.68:
            ownership, kind, label = School.Ownership.PUBLIC, School.Kind.SCHOOL, "Trường Mầm non"
        elif roll < 0.72:
            ownership, kind, label = School.Ownership.PEOPLE_FOUNDED, School.Kind.SCHOOL, "Trường Mầm non"
        elif roll < 0.82:
            ownership, kind, label = School.Ownership.PRIVATE, School.Kind.KINDERGARTEN, "Trường Mẫu giáo tư thục"
        else:
            ownership, kind, label = School.Ownership.PRIVATE, School.Kind.INDEPENDENT_GROUP, "Nhóm lớp độc lập"
        place = commune.name.split(" ", 1)[-1].replace("Thị trấn ", "")
        sites = 1 if kind == School.Kind.INDEPENDENT_GROUP else rng.randint(1, 3)
        b.school(f"{code_prefix}-S{counter[0]:05d}", f"{label} {place} {counter[0]}", parent, commune=commune,
                 ownership=ownership, kind=kind, sites=sites)


def _build_hai_phong(ctx: DemoContext, b: TreeBuilder, root: OrgUnit | None) -> dict:
    rng = ctx.rng
    city = b.unit("SGD-HP", "Sở GD&ĐT Hải Phòng", "province", root)
    out = {"province": city, "districts": {}}
    counter = [0]
    for code, name, n_communes in HAI_PHONG_DISTRICTS:
        if ctx.scale == "small" and code not in SMALL_DISTRICTS:
            continue
        district = b.unit(f"PGD-{code}", name.replace("Quận", "Phòng GD&ĐT quận").replace("Huyện", "Phòng GD&ĐT huyện"),
                          "district", city)
        out["districts"][code] = district
        if code == "ANLAO":
            names = AN_LAO_COMMUNES
        else:
            place = name.split(" ", 1)[1]
            names = [f"{'Phường' if name.startswith('Quận') else 'Xã'} {place} {i + 1}" for i in range(n_communes)]
        if ctx.scale == "small":
            names = names[:6] if code == "ANLAO" else names[:2]
        communes = [b.unit(f"{code}-C{i + 1:02d}", cname, "commune", district) for i, cname in enumerate(names)]
        if code == "ANLAO":
            out["sao_sang"] = _sao_sang(b, district, communes[0])
            out["quang_trung"] = b.school("MN-QUANGTRUNG", "Trường Mầm non Quang Trung", district,
                                          commune=communes[2], ownership=School.Ownership.PUBLIC, sites=2)
            out["anlao_commune"] = communes[0]
            extra = 3 if ctx.scale == "small" else 2 * len(communes) - 2
        else:
            extra = 2 if ctx.scale == "small" else max(1, round(len(communes) * 2.08))
        _mixed_schools(b, rng, district, communes, extra, f"HP-{code}", counter)
    return out


def _build_national(ctx: DemoContext, b: TreeBuilder) -> dict:
    """Post-2025 shape: ministry > 34 provinces > communes > schools, no district level."""
    rng = ctx.rng
    ministry = b.unit("BGDDT", "Bộ Giáo dục và Đào tạo", "ministry", None)
    out = {"districts": {}}
    weights = [rng.uniform(0.5, 1.5) for _ in PROVINCES_2025]
    total = sum(weights)
    communes_per = [max(20, round(NATIONAL_COMMUNES * w / total)) for w in weights]
    communes_per[-1] += NATIONAL_COMMUNES - sum(communes_per)
    all_communes: list[tuple[OrgUnit, OrgUnit]] = []
    for p, (pname, nc) in enumerate(zip(PROVINCES_2025, communes_per, strict=True)):
        prov = b.unit(f"SGD-{p + 1:02d}", f"Sở GD&ĐT {pname}", "province", ministry)
        if pname == "Hải Phòng":
            out["province"] = prov
            an_lao = b.unit("HP-XANLAO", "Xã An Lão", "commune", prov)
            out["anlao_commune"] = an_lao
            out["sao_sang"] = _sao_sang(b, an_lao, an_lao)
            out["quang_trung"] = b.school("MN-QUANGTRUNG", "Trường Mầm non Quang Trung", an_lao,
                                          commune=an_lao, ownership=School.Ownership.PUBLIC, sites=2)
            nc -= 1
        for c in range(nc):
            kind = "Phường" if c % 4 == 0 else "Xã"
            commune = b.unit(f"SGD-{p + 1:02d}-C{c + 1:04d}", f"{kind} {pname} {c + 1}", "commune", prov)
            all_communes.append((prov, commune))
    counter = [0]
    remaining = NATIONAL_SCHOOLS - 2
    for i in range(remaining):
        prov, commune = all_communes[i % len(all_communes)] if i < len(all_communes) else rng.choice(all_communes)
        _mixed_schools(b, rng, commune, [commune], 1, prov.code, counter)
    return out


def _staff(ctx: DemoContext, schools: list[School], sao_sang: School) -> None:
    """Staff of every school: managers, about 2.2 teachers per class (Thông tư 19/2023), nurse, cooks."""
    rng = ctx.rng
    rows = []
    advance = ctx.progress("Nhân sự (staff)", len(schools))
    for school in schools:
        if school.pk == sao_sang.pk:
            groups = 16  # seed 002: 16 groups and classes, 480 children
        elif school.kind == School.Kind.INDEPENDENT_GROUP:
            groups = rng.randint(1, 3)
        else:
            groups = rng.randint(6, 20)
        positions = ["principal"] + ["vice_principal"] * (2 if groups >= 9 else 1)
        positions += ["teacher"] * round(groups * 2.2) + ["nurse", "accountant"] + ["cook"] * max(1, groups // 4)
        if school.kind == School.Kind.INDEPENDENT_GROUP:
            positions = ["principal"] + ["teacher"] * groups * 2 + ["cook"]
        for pos in positions:
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            rows.append(Staff(unit_id=school.pk, full_name=name, position=pos))
        advance(1)
    Staff.objects.bulk_create(rows, batch_size=5000)


DEMO_ROLES = [
    # (username, role, where, label)
    ("admin", Role.ADMIN, "root", "Quản trị hệ thống"),
    ("so.haiphong", Role.PROVINCE_OFFICER, "province", "Chuyên viên Sở GD&ĐT Hải Phòng"),
    ("pgd.anlao", Role.DISTRICT_OFFICER, "district:ANLAO", "Chuyên viên Phòng GD&ĐT An Lão"),
    ("pgd.vinhbao", Role.DISTRICT_OFFICER, "district:VINHBAO", "Chuyên viên Phòng GD&ĐT Vĩnh Bảo"),
    ("xa.anlao", Role.COMMUNE_OFFICER, "anlao_commune", "Cán bộ xã/thị trấn An Lão"),
    ("ht.saosang", Role.PRINCIPAL, "sao_sang", "Hiệu trưởng MN Sao Sáng"),
    ("pht.saosang", Role.VICE_PRINCIPAL, "sao_sang", "Phó hiệu trưởng MN Sao Sáng"),
    ("gv.saosang", Role.TEACHER, "sao_sang", "Giáo viên MN Sao Sáng"),
    ("yte.saosang", Role.HEALTH_STAFF, "sao_sang", "Nhân viên y tế MN Sao Sáng"),
    ("bep.saosang", Role.KITCHEN_STAFF, "sao_sang", "Nhân viên bếp MN Sao Sáng"),
    ("ketoan.saosang", Role.ACCOUNTANT, "sao_sang", "Kế toán MN Sao Sáng"),
    ("phuhuynh.saosang", Role.PARENT, "sao_sang", "Phụ huynh MN Sao Sáng"),
    ("ht.quangtrung", Role.PRINCIPAL, "quang_trung", "Hiệu trưởng MN Quang Trung"),
]


def _users(ctx: DemoContext, where: dict) -> None:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
    staff_positions = {Role.PRINCIPAL: "principal", Role.VICE_PRINCIPAL: "vice_principal", Role.TEACHER: "teacher",
                       Role.HEALTH_STAFF: "nurse", Role.KITCHEN_STAFF: "cook", Role.ACCOUNTANT: "accountant"}
    phone = 912000000
    for username, role, place, label in DEMO_ROLES:
        if place == "root":
            unit = None
        elif place.startswith("district:"):
            unit = where["districts"].get(place.split(":")[1])
        else:
            unit = where.get(place)
            unit = unit.unit if isinstance(unit, School) else unit
        if unit is None and place != "root":
            continue  # e.g. no district level in the national (post-2025) shape
        phone += 1
        user = User.objects.create(
            username=username, password=password, full_name=label, phone=f"0{phone}",
            is_superuser=role == Role.ADMIN, is_staff=role == Role.ADMIN,
        )
        if unit is not None:
            Membership.objects.create(user=user, unit=unit, role=role)
            if role in staff_positions:
                staff = Staff.objects.filter(unit=unit, position=staff_positions[role], user__isnull=True).first()
                if staff:
                    staff.user = user
                    staff.full_name = label
                    staff.save(update_fields=["user", "full_name"])
        ctx.logins.append((label, username, DEMO_PASSWORD))


@register("org", 10)
def generate(ctx: DemoContext) -> None:
    load_default_rules(Rule)  # --replace flushes every table, the migration's rows too
    levels = _levels()
    _school_years(clock.today())
    b = TreeBuilder(levels, valid_from=dt.date(2019, 9, 5))
    if ctx.scale == "national":
        where = _build_national(ctx, b)
    else:
        root = None
        where = _build_hai_phong(ctx, b, root)
    b.save(ctx.progress)
    _staff(ctx, b.schools, where["sao_sang"])
    _users(ctx, where)
    ctx.data["org"] = {
        "sao_sang_id": where["sao_sang"].pk,
        "school_ids": [s.pk for s in b.schools],
        "province_id": where["province"].pk,
    }
