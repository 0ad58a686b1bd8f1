"""Demo facilities for every school: profile, rooms, kitchens, toilets, and the groups' equipment.

Distributions follow seed 000's figures (Hải Phòng 2022-2023): about 80% one-way kitchens, 77% standard
toilets, 97% of groups with the minimum equipment, about 35% of schools with an online meeting room,
nearly all online with management software. Sao Sáng (seed 002) is described room by room, with a closed
stocktake and a purchase plan made from its groups' shortfalls. The minimum list is the shipped starter
subset (catalogue.STARTER). Rows are written in bulk (children.demo.bulk_copy), without history rows.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model
from django.db.models import Count

from mamnon.children.demo import bulk_copy, bulk_load
from mamnon.children.models import Enrolment, Group
from mamnon.core import clock
from mamnon.core.demo import DemoContext, register
from mamnon.facilities import catalogue, services
from mamnon.facilities.models import EquipmentItem, FacilityProfile, GroupEquipment, Room
from mamnon.facilities.selectors import EQUIPMENT_BAND
from mamnon.org.models import School, SchoolYear, Site

SOFTWARE = ["SMAS", "QLMN (CSDL ngành)", "Vietschool", "eNetViet", "MISA EMIS"]
K, C, Q = Room.Kind, Room.Construction, Room.Condition
CHUNK = 100
SAO_SANG_ROOMS = [  # name, kind, construction, area, extra
    ("Phòng giáo dục thể chất", K.FUNCTION_ROOM, C.PERMANENT, 96, {}),
    ("Phòng giáo dục nghệ thuật", K.FUNCTION_ROOM, C.PERMANENT, 72, {}),
    ("Bếp ăn một chiều", K.KITCHEN, C.PERMANENT, 85, {"one_way": True, "clean_water": True, "supply_contract": True,
                                                      "food_safety_cert": True}),
    ("Bếp điểm trường lẻ", K.KITCHEN, C.SEMI_PERMANENT, 30, {"clean_water": True, "supply_contract": True}),
    ("Thư viện thân thiện", K.LIBRARY, C.PERMANENT, 48, {}),
    ("Phòng tin học cho trẻ", K.COMPUTER_ROOM, C.PERMANENT, 54, {}),
    ("Phòng họp trực tuyến", K.ONLINE_MEETING, C.PERMANENT, 40, {}),
    ("Văn phòng nhà trường", K.OFFICE, C.PERMANENT, 36, {}),
    ("Phòng y tế", K.HEALTH, C.PERMANENT, 18, {}),
    ("Kho thiết bị", K.STORE, C.SEMI_PERMANENT, 20, {"condition": Q.FAIR}),
]


def _year() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).first()


class FacilityBuilder:
    def __init__(self, ctx: DemoContext, year: SchoolYear):
        self.ctx = ctx
        self.year = year
        self.rng = np.random.default_rng(ctx.seed + 26)
        self.counts = {"rooms": 0, "equipment_lines": 0, "profiles": 0}

    def run(self, school_ids: list[int], sao_sang_id: int) -> None:
        schools = {s.pk: s for s in School.objects.filter(pk__in=school_ids).select_related("unit")}
        sites: dict[int, list[int]] = {}
        for sid, school_id in Site.objects.filter(school_id__in=school_ids).order_by("school_id", "-is_main", "pk") \
                .values_list("id", "school_id"):
            sites.setdefault(school_id, []).append(sid)
        groups: dict[int, list[tuple]] = {}
        for gid, school_id, band, name, site_id in Group.objects.filter(
                school_year=self.year, school_id__in=school_ids, active=True).order_by("school_id", "id") \
                .values_list("id", "school_id", "age_band", "name", "site_id"):
            groups.setdefault(school_id, []).append((gid, band, name, site_id))
        kids = dict(Enrolment.objects.filter(group__school_year=self.year, end_date__isnull=True)
                    .values("group_id").annotate(n=Count("id")).values_list("group_id", "n"))
        items: dict[str, list[EquipmentItem]] = {}
        for it in EquipmentItem.objects.filter(active=True):
            items.setdefault(it.age_band, []).append(it)
        ids = [s for s in school_ids if s in sites]
        advance = self.ctx.progress("Cơ sở vật chất (facilities)", len(ids))
        websites = []
        for start in range(0, len(ids), CHUNK):
            profiles, rooms, holdings = [], [], []
            for school_id in ids[start:start + CHUNK]:
                school = schools[school_id]
                gs = groups.get(school_id, [])
                n_children = sum(kids.get(g[0], 0) for g in gs)
                detail = school_id == sao_sang_id
                profiles.append(self._profile(school, n_children, detail))
                rooms += self._rooms(school, sites[school_id], gs, kids, detail)
                holdings += self._equipment(school_id, gs, kids, items, detail)
                if not school.website and (detail or self.rng.random() < 0.85):
                    websites.append(school_id)
            self.counts["profiles"] += bulk_copy(FacilityProfile, [
                "school_id", "urban", "land_area", "yard_area", "grass_area", "internet", "management_software",
                "cameras", "updated_at"], profiles)
            self.counts["rooms"] += bulk_copy(Room, [
                "school_id", "site_id", "name", "kind", "construction", "area", "condition", "group_id", "in_use",
                "one_way", "clean_water", "supply_contract", "food_safety_cert", "meets_standard"], rooms)
            self.counts["equipment_lines"] += bulk_copy(GroupEquipment, [
                "school_id", "group_id", "item_id", "quantity", "damaged", "updated_at"], holdings)
            advance(min(CHUNK, len(ids) - start))
        for school_id in websites:  # a few hundred short updates, once
            code = schools[school_id].unit.code.lower().replace("_", "-") if schools[school_id].unit_id else school_id
            School.objects.filter(pk=school_id).update(website=f"https://mn-{code}.edu.vn")

    def _profile(self, school: School, n_children: int, detail: bool) -> tuple:
        rng = self.rng
        now = dt.datetime.now(dt.UTC)
        if detail:  # Sao Sáng: seed 002's main site in Thị trấn An Lão, 475 children
            return (school.pk, False, Decimal("6850"), Decimal("2400"), Decimal("1150"), True, "SMAS", 16, now)
        urban = bool(rng.random() < 0.3)
        per_child = rng.uniform(7.0, 16.0) if urban else rng.uniform(9.0, 18.0)
        land = Decimal(int(max(n_children, 20) * per_child))
        yard = Decimal(int(land * Decimal(str(round(rng.uniform(0.3, 0.5), 2)))))
        grass = Decimal(int(yard * Decimal(str(round(float(np.clip(rng.beta(4, 5), 0, 1)), 2)))))
        internet = bool(rng.random() < 0.98)
        software = SOFTWARE[int(rng.integers(len(SOFTWARE)))] if internet and rng.random() < 0.95 else ""
        return (school.pk, urban, land, yard, grass, internet, software, int(rng.integers(0, 13)), now)

    def _room(self, school_id, site_id, name, kind, construction=C.PERMANENT, area=20, condition=Q.GOOD,
              group_id=None, one_way=False, clean_water=False, supply_contract=False, food_safety_cert=False,
              meets_standard=False, in_use=True) -> tuple:
        return (school_id, site_id, name, str(kind), str(construction), Decimal(str(area)), str(condition), group_id,
                in_use, one_way, clean_water, supply_contract, food_safety_cert, meets_standard)

    def _construction(self) -> tuple[str, str]:
        r, q = self.rng.random(), self.rng.random()
        # A school has ~20 rooms: 1% temporary and 2% degraded rooms flag about one school in five for each.
        construction = C.PERMANENT if r < 0.87 else C.SEMI_PERMANENT if r < 0.99 else C.TEMPORARY
        condition = Q.GOOD if q < 0.82 else Q.FAIR if q < 0.98 else Q.POOR
        return construction, condition

    def _rooms(self, school: School, sites: list[int], groups, kids, detail: bool) -> list[tuple]:
        rng, sid, main = self.rng, school.pk, sites[0]
        out = []
        for gid, _band, name, site_id in groups:
            if not detail and rng.random() < 0.04:
                continue  # a group sharing another's room
            n = kids.get(gid, 0)
            area = round(max(n, 10) * (rng.uniform(1.6, 2.4) if detail else rng.uniform(1.3, 2.4)), 1)
            construction, condition = (C.PERMANENT, Q.GOOD) if detail else self._construction()
            out.append(self._room(sid, site_id or main, f"Phòng {name}", K.GROUP_ROOM, construction, area, condition,
                                  group_id=gid))
        n_groups = max(len(groups), 1)
        if detail:
            for name, kind, construction, area, extra in SAO_SANG_ROOMS:
                site = sites[1] if name == "Bếp điểm trường lẻ" and len(sites) > 1 else main
                out.append(self._room(sid, site, name, kind, construction, area, **extra))
            for k in range(8):
                out.append(self._room(sid, main, f"Nhà vệ sinh khu {chr(65 + k)}", K.TOILET, C.PERMANENT, 24,
                                      meets_standard=k < 7))
            return out
        for site_id in sites:
            construction, condition = self._construction()
            one_way = bool(rng.random() < 0.80)
            out.append(self._room(sid, site_id, "Bếp ăn" + (" một chiều" if one_way else ""), K.KITCHEN, construction,
                                  round(rng.uniform(25, 90)), condition, one_way=one_way,
                                  clean_water=bool(rng.random() < 0.95), supply_contract=bool(rng.random() < 0.92),
                                  food_safety_cert=bool(rng.random() < 0.85)))
        for k in range(max(1, math.ceil(n_groups / 2))):
            construction, condition = self._construction()
            out.append(self._room(sid, sites[k % len(sites)], f"Nhà vệ sinh {k + 1}", K.TOILET, construction,
                                  round(rng.uniform(12, 30)), condition, meets_standard=bool(rng.random() < 0.77)))
        public = school.ownership == School.Ownership.PUBLIC
        for kind, name, p, area in ((K.FUNCTION_ROOM, "Phòng giáo dục thể chất - nghệ thuật", 0.85, 80),
                                    (K.LIBRARY, "Thư viện", 0.92 if public else 0.6, 40),
                                    (K.COMPUTER_ROOM, "Phòng tin học", 0.6, 45),
                                    (K.ONLINE_MEETING, "Phòng họp trực tuyến", 0.35, 35),
                                    (K.OFFICE, "Văn phòng", 1.0, 30)):
            if rng.random() < p:
                construction, condition = self._construction()
                out.append(self._room(sid, main, name, kind, construction, round(area * rng.uniform(0.7, 1.3)),
                                      condition))
        return out

    def _equipment(self, school_id: int, groups, kids, items, detail: bool) -> list[tuple]:
        rng = self.rng
        now = dt.datetime.now(dt.UTC)
        out = []
        for gid, band, _name, _site in groups:
            its = items.get(EQUIPMENT_BAND.get(band, band), [])
            if not its:
                continue
            n = kids.get(gid, 0)
            need = [math.ceil(float(it.quantity) * n - 1e-9) if it.basis == "child" else math.ceil(float(it.quantity))
                    for it in its]
            short = set()
            if rng.random() < (0.12 if detail else 0.03):  # about 97% of groups meet the list (seed 000)
                short = set(rng.choice(len(its), size=int(rng.integers(1, 3)), replace=False).tolist())
            for k, (it, q) in enumerate(zip(its, need, strict=True)):
                spare = int(rng.integers(0, 3))
                damaged = int(rng.integers(0, 2)) if rng.random() < 0.2 else 0
                quantity = q + spare + damaged
                if k in short:
                    quantity = max(q - int(rng.integers(1, 3)), 0)
                    damaged = 0
                out.append((school_id, gid, it.pk, quantity, damaged, now))
        return out

    def sao_sang(self, sao_sang_id: int) -> None:
        """A closed stocktake at the start of the year and a purchase plan from today's shortfalls."""
        principal = get_user_model().objects.filter(username="ht.saosang").first()
        school = School.objects.filter(pk=sao_sang_id).first()
        if principal is None or school is None:
            return
        from django.core.exceptions import ValidationError

        day = max(self.year.start_date, min(clock.today(), self.year.end_date) - dt.timedelta(days=30))
        take = services.stocktake_start(school=school, year=self.year, day=day, actor=principal,
                                        note="Kiểm kê thiết bị đầu năm học")
        services.stocktake_close(stocktake=take, actor=principal)
        try:
            services.purchase_plan_from_shortfalls(school=school, year=self.year, actor=principal)
        except ValidationError:
            pass  # nothing short this time


@register("facilities", 26)
def generate(ctx: DemoContext) -> None:
    org = ctx.data.get("org")
    year = _year()
    if not org or year is None:
        return
    catalogue.import_starter(actor=None)
    builder = FacilityBuilder(ctx, year)
    with bulk_load(FacilityProfile, Room, GroupEquipment, progress=ctx.progress):
        builder.run(org["school_ids"], org["sao_sang_id"])
    builder.sao_sang(org["sao_sang_id"])
    ctx.data["facilities"] = builder.counts
