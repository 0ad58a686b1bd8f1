"""Benchmark: every computed indicator for every unit and period of a school year, on the city demo.

The engine (``mamnon.indicators.services.compute_period`` for the 15 periods of the current school year: the
year, 2 semesters, 3 rounds, 9 months; every registered family, schools placed in the tree as of the period's
end, numerators and denominators summed up the tree with numpy) against a baseline of hand-written SQL: one
statement per indicator family and call, that aggregates by school, places each school in the tree as it
stood on the period's end (``OrgUnitVersion``, merged schools under their successor) and sums up the tree
inside PostgreSQL (the school's path split into its ancestors).

The baseline calls each family as often as the engine does, read from the family's registration: a stock
family once per distinct (school year, stock day), a yearly one once per school year, an additive one once per
elementary part of the year (the parts summed for each period), any other once per period. One statement
serves every period that shares a call: it rolls the school figures up the tree as placed on each of those
periods' last days. Every code of every family, numerator and denominator, for every unit and period, is
checked equal between the two; a difference stops the benchmark. Timed warm (a first untimed pass). Storing
the values (``values_refresh``) is timed apart (not with ``--read-only``).

Needs PostgreSQL: DATABASE_URL names the server (a scratch database ``mamnon_bench_<hex>`` is created
beside it and dropped afterwards); without it, 127.0.0.1:5432 as postgres. ``--keep URL`` reuses a database
that already holds the demo; ``--read-only`` then opens it read only (no ANALYZE, no stored values).
``--scale national`` times the national demo as a batch (slow to build).

    BENCH indicators seconds=... baseline_seconds=... ratio=...
    BENCH indicators_store seconds=... values=...
    BENCH indicators_national seconds=... values=... compute_seconds=...   (with --scale national: the refresh,
                                                                             then the engine alone)
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# --- the baseline's SQL -----------------------------------------------------------------------------------------
#
# Every statement is PLACED, then the family's own CTEs ending in ``per_school(school_id, <figures>)``, then
# ROLLUP summing each figure up the tree for each placement day. Parameters: %(days)s (the periods' last
# days the figures are placed on) and the family's own.

# Each school once per day, with the path it had then: its version in force that day, else its current path;
# a school merged before the day (and without a version that day) under the school it was merged into, at
# the end of a chain of merges (a cycle leaves it where it is).
PLACED = """
placed0 AS (
  SELECT d.day, u.id, COALESCE(v.path, u.path) AS path, u.merged_into_id AS into_id,
         (u.merged_into_id IS NOT NULL AND u.valid_to < d.day AND v.path IS NULL) AS gone
  FROM unnest(%(days)s::date[]) AS d(day)
  CROSS JOIN org_orgunit u
  JOIN org_orglevel l ON l.id = u.level_id AND l.is_school
  LEFT JOIN LATERAL (
    SELECT v.path FROM org_orgunitversion v
    WHERE v.unit_id = u.id AND v.valid_from <= d.day AND (v.valid_to IS NULL OR v.valid_to >= d.day)
    ORDER BY v.valid_from DESC LIMIT 1
  ) v ON true
), chain(day, id, target, hops) AS (
  SELECT day, id, into_id, 1 FROM placed0 WHERE gone
  UNION ALL
  SELECT c.day, c.id, p.into_id, c.hops + 1
  FROM chain c JOIN placed0 p ON p.day = c.day AND p.id = c.target
  WHERE p.gone AND c.hops < 64
), placed AS (
  SELECT p.day, p.id, COALESCE(t.path || p.id || '/', p.path) AS path
  FROM placed0 p
  LEFT JOIN chain c ON c.day = p.day AND c.id = p.id
                   AND EXISTS (SELECT 1 FROM placed0 x WHERE x.day = c.day AND x.id = c.target AND NOT x.gone)
  LEFT JOIN placed0 t ON t.day = c.day AND t.id = c.target
)"""

ROLLUP = """
SELECT p.day, anc::bigint, {sums}
FROM per_school s JOIN placed p ON p.id = s.school_id
CROSS JOIN LATERAL unnest(string_to_array(rtrim(p.path, '/'), '/')) AS anc
GROUP BY p.day, anc
"""

# The school year of a staff or equipment window: by its code, else the newest year overlapping the window.
YEAR = """
yr AS (
  SELECT COALESCE(
    (SELECT id FROM org_schoolyear WHERE code = %(year)s),
    (SELECT id FROM org_schoolyear WHERE start_date <= %(end)s AND end_date >= %(start)s
     ORDER BY start_date DESC LIMIT 1)) AS id
)"""

# Stock, on (school year, stock day): children enrolled on the day in groups of the year, the year's active
# groups, children with a disability still at school.
CHILDREN = """
e AS (
  SELECT e.school_id,
         COUNT(*) AS total,
         COUNT(*) FILTER (WHERE g.full_day) AS fullday,
         COUNT(*) FILTER (WHERE g.age_band = 'k5') AS k5,
         COUNT(*) FILTER (WHERE g.age_band = 'k5' AND g.full_day) AS k5_full,
         COUNT(*) FILTER (WHERE g.age_band IN ('k3', 'k4', 'k5', 'mixed_kinder')) AS kinder,
         COUNT(*) FILTER (WHERE g.age_band IN ('k3', 'k4', 'k5', 'mixed_kinder') AND g.english) AS kinder_en,
         COUNT(*) FILTER (WHERE s.ownership = 'public') AS public,
         COUNT(*) FILTER (WHERE cs.disability_type <> '') AS disabled_in
  FROM children_enrolment e
  JOIN children_group g ON g.id = e.group_id
  JOIN org_schoolyear y ON y.id = g.school_year_id AND y.code = %(year)s
  JOIN org_school s ON s.unit_id = e.school_id
  LEFT JOIN children_childsupport cs ON cs.child_id = e.child_id
  WHERE e.start_date <= %(day)s AND (e.end_date IS NULL OR e.end_date >= %(day)s)
  GROUP BY e.school_id
), gr AS (
  SELECT g.school_id, COUNT(*) AS groups, COUNT(*) FILTER (WHERE g.semi_boarding) AS semi
  FROM children_group g JOIN org_schoolyear y ON y.id = g.school_year_id AND y.code = %(year)s
  WHERE g.active GROUP BY g.school_id
), dis AS (
  SELECT cs.school_id, COUNT(*) AS disabled
  FROM children_childsupport cs JOIN children_child c ON c.id = cs.child_id
  WHERE cs.disability_type <> '' AND c.status IN ('enrolled', 'transferring') GROUP BY cs.school_id
), per_school AS (
  SELECT k.school_id, e.total, e.fullday, e.k5, e.k5_full, e.kinder, e.kinder_en, e.public, e.disabled_in,
         gr.groups, gr.semi, CASE WHEN gr.groups > 0 THEN 1 ELSE 0 END AS has_groups, dis.disabled
  FROM (SELECT school_id FROM e UNION SELECT school_id FROM gr UNION SELECT school_id FROM dis) k
  LEFT JOIN e ON e.school_id = k.school_id LEFT JOIN gr ON gr.school_id = k.school_id
  LEFT JOIN dis ON dis.school_id = k.school_id
)"""

# Additive, per part of the year: child-days present and registered from the groups' day counts, from the
# part's first day to its stock day; a school with no child-day registered is left out.
ATTENDANCE = """
a AS (
  SELECT d.school_id, SUM(d.present) AS n, SUM(d.registered) AS d,
         SUM(d.present) FILTER (WHERE g.age_band = 'k5') AS n5,
         SUM(d.registered) FILTER (WHERE g.age_band = 'k5') AS d5
  FROM attendance_daycount d JOIN children_group g ON g.id = d.group_id
  WHERE d.date >= %(start)s AND d.date <= %(day)s
  GROUP BY d.school_id
), per_school AS (
  SELECT school_id,
         CASE WHEN d <> 0 THEN n END AS n, CASE WHEN d <> 0 THEN d END AS d,
         CASE WHEN d5 <> 0 THEN n5 END AS n5, CASE WHEN d5 <> 0 THEN d5 END AS d5
  FROM a
)"""

# Additive, per part of the year: a served day is a (menu, weekday) inside the part with at least one dish
# ingredient of the menu's band; its energy, protein, lipid and glucid are the sums of grams (the balanced
# portion where one is set) x composition / 100 (NULL, every food lacking the figure: 0). It meets the norms
# when energy and the energy shares (4, 9, 4 kcal/g) are within the band's norm in force on the part's last
# day (the national Rule rows norm.<band>.*; a band missing one of the eight figures: energy 0-1e9, shares
# 0-100), with a tolerance of 1e-9.
MEAL_NORMS = """
norm_rows AS (
  SELECT DISTINCT ON (r.code) split_part(r.code, '.', 2) AS band, split_part(r.code, '.', 3) AS key,
         CAST(r.value AS DOUBLE PRECISION) AS value
  FROM core_rule r
  WHERE r.code ~ '^norm\\.[^.]+\\.(energy|protein_pct|lipid_pct|glucid_pct)_(min|max)$'
    AND r.unit_id IS NULL AND r.effective_from <= %(end)s AND (r.effective_to IS NULL OR r.effective_to >= %(end)s)
  ORDER BY r.code, r.effective_from DESC
), norm AS (
  SELECT band,
         MAX(value) FILTER (WHERE key = 'energy_min') AS e0, MAX(value) FILTER (WHERE key = 'energy_max') AS e1,
         MAX(value) FILTER (WHERE key = 'protein_pct_min') AS p0,
         MAX(value) FILTER (WHERE key = 'protein_pct_max') AS p1,
         MAX(value) FILTER (WHERE key = 'lipid_pct_min') AS l0, MAX(value) FILTER (WHERE key = 'lipid_pct_max') AS l1,
         MAX(value) FILTER (WHERE key = 'glucid_pct_min') AS g0,
         MAX(value) FILTER (WHERE key = 'glucid_pct_max') AS g1
  FROM norm_rows GROUP BY band HAVING COUNT(*) = 8
), dish AS (
  SELECT di.dish_id, di.band,
         CAST(SUM(di.grams * f.energy_kcal) AS DOUBLE PRECISION) AS energy,
         CAST(SUM(di.grams * f.protein_g) AS DOUBLE PRECISION) AS protein,
         CAST(SUM(di.grams * f.lipid_g) AS DOUBLE PRECISION) AS lipid,
         CAST(SUM(di.grams * f.glucid_g) AS DOUBLE PRECISION) AS glucid
  FROM kitchen_dishingredient di JOIN kitchen_food f ON f.id = di.food_id
  GROUP BY di.dish_id, di.band
), portion AS (
  SELECT mp.item_id,
         CAST(SUM((mp.grams - di.grams) * f.energy_kcal) AS DOUBLE PRECISION) AS energy,
         CAST(SUM((mp.grams - di.grams) * f.protein_g) AS DOUBLE PRECISION) AS protein,
         CAST(SUM((mp.grams - di.grams) * f.lipid_g) AS DOUBLE PRECISION) AS lipid,
         CAST(SUM((mp.grams - di.grams) * f.glucid_g) AS DOUBLE PRECISION) AS glucid
  FROM kitchen_menuportion mp
  JOIN kitchen_menuitem mi ON mi.id = mp.item_id
  JOIN kitchen_menu m ON m.id = mi.menu_id
  JOIN kitchen_dishingredient di ON di.dish_id = mi.dish_id AND di.band = m.band AND di.food_id = mp.food_id
  JOIN kitchen_food f ON f.id = di.food_id
  WHERE m.week_start >= %(monday)s AND m.week_start <= %(last)s
  GROUP BY mp.item_id
), served AS (
  SELECT m.school_id, m.band,
         SUM(COALESCE(d.energy, 0) + COALESCE(p.energy, 0)) / 100 AS energy,
         SUM(COALESCE(d.protein, 0) + COALESCE(p.protein, 0)) / 100 AS protein,
         SUM(COALESCE(d.lipid, 0) + COALESCE(p.lipid, 0)) / 100 AS lipid,
         SUM(COALESCE(d.glucid, 0) + COALESCE(p.glucid, 0)) / 100 AS glucid
  FROM kitchen_menuitem mi
  JOIN kitchen_menu m ON m.id = mi.menu_id
  JOIN dish d ON d.dish_id = mi.dish_id AND d.band = m.band
  LEFT JOIN portion p ON p.item_id = mi.id
  WHERE m.week_start >= %(monday)s AND m.week_start <= %(last)s
    AND m.week_start + mi.weekday >= %(start)s AND m.week_start + mi.weekday <= %(last)s
  GROUP BY m.id, m.school_id, m.band, m.week_start, mi.weekday
), kcal AS (
  SELECT school_id, band, energy, protein * 4 AS kp, lipid * 9 AS kl, glucid * 4 AS kg,
         protein * 4 + lipid * 9 + glucid * 4 AS total
  FROM served
), judged AS (
  SELECT k.school_id,
         k.energy >= COALESCE(n.e0, 0) - 1e-9::float8 AND k.energy <= COALESCE(n.e1, 1e9) + 1e-9::float8
     AND CASE WHEN k.total > 0 THEN k.kp / k.total * 100 ELSE 0 END
         BETWEEN COALESCE(n.p0, 0) - 1e-9::float8 AND COALESCE(n.p1, 100) + 1e-9::float8
     AND CASE WHEN k.total > 0 THEN k.kl / k.total * 100 ELSE 0 END
         BETWEEN COALESCE(n.l0, 0) - 1e-9::float8 AND COALESCE(n.l1, 100) + 1e-9::float8
     AND CASE WHEN k.total > 0 THEN k.kg / k.total * 100 ELSE 0 END
         BETWEEN COALESCE(n.g0, 0) - 1e-9::float8 AND COALESCE(n.g1, 100) + 1e-9::float8 AS ok
  FROM kcal k LEFT JOIN norm n ON n.band = k.band
), per_school AS (
  SELECT school_id, COUNT(*) FILTER (WHERE ok) AS passed, COUNT(*) AS days FROM judged GROUP BY school_id
)"""

# Per round (a school-year window: round 3): measurements of the year's rounds with that number by school,
# children enrolled in the year's groups on the last day of the round's month.
GROWTH = """
m AS (
  SELECT ms.school_id, COUNT(*) AS measured,
         COUNT(*) FILTER (WHERE ms.wfa_status > 0) AS wfa, COUNT(*) FILTER (WHERE ms.hfa_status > 0) AS hfa,
         COUNT(*) FILTER (WHERE ms.wfh_status > 0) AS wfh,
         COUNT(*) FILTER (WHERE ms.wfa_status IN (2, 3)) AS underweight,
         COUNT(*) FILTER (WHERE ms.hfa_status IN (2, 3)) AS stunting,
         COUNT(*) FILTER (WHERE ms.wfh_status IN (2, 3)) AS wasting,
         COUNT(*) FILTER (WHERE ms.wfh_status IN (4, 5)) AS overweight,
         COUNT(*) FILTER (WHERE ms.wfh_status = 5) AS obese
  FROM health_measurement ms
  JOIN health_measurementround r ON r.id = ms.round_id AND r.number = %(round)s
  JOIN org_schoolyear y ON y.id = r.school_year_id AND y.code = %(year)s
  GROUP BY ms.school_id
), en AS (
  SELECT e.school_id, COUNT(*) AS enrolled
  FROM children_enrolment e
  JOIN children_group g ON g.id = e.group_id
  JOIN org_schoolyear y ON y.id = g.school_year_id AND y.code = %(year)s
  WHERE e.start_date <= %(ref)s AND (e.end_date IS NULL OR e.end_date >= %(ref)s)
  GROUP BY e.school_id
), per_school AS (
  SELECT COALESCE(m.school_id, en.school_id) AS school_id, m.measured, en.enrolled, m.wfa, m.hfa, m.wfh,
         m.underweight, m.stunting, m.wasting, m.overweight, m.obese
  FROM m FULL JOIN en ON en.school_id = m.school_id
)"""

# Stock, on the stock day: the schools' active staff who joined by that day (without a record: joined,
# meeting no qualification), the standard training level of the rule in force that day (default college).
QUALIFICATION = """
lvl AS (
  SELECT COALESCE(
    (SELECT trunc(value) FROM core_rule WHERE code = 'staff.qual_min_level' AND unit_id IS NULL
       AND effective_from <= %(day)s AND (effective_to IS NULL OR effective_to >= %(day)s)
     ORDER BY effective_from DESC LIMIT 1), 2) AS min_level
), per_school AS (
  SELECT s.unit_id AS school_id,
         COUNT(*) FILTER (WHERE s.position = 'teacher') AS teachers,
         COUNT(*) FILTER (WHERE s.position = 'teacher' AND r.preschool_pedagogy
                          AND r.training_level >= (SELECT min_level FROM lvl)) AS teachers_std,
         COUNT(*) FILTER (WHERE s.position = 'teacher' AND r.training_level >= 3) AS teachers_univ,
         COUNT(*) FILTER (WHERE s.position IN ('principal', 'vice_principal')) AS managers,
         COUNT(*) FILTER (WHERE s.position IN ('principal', 'vice_principal') AND r.preschool_pedagogy
                          AND r.training_level >= 3) AS managers_univ,
         COUNT(*) FILTER (WHERE s.position IN ('teacher', 'principal', 'vice_principal')) AS both_,
         COUNT(*) FILTER (WHERE s.position IN ('teacher', 'principal', 'vice_principal')
                          AND r.party_member) AS party
  FROM org_staff s
  JOIN org_orgunit u ON u.id = s.unit_id
  JOIN org_orglevel l ON l.id = u.level_id AND l.is_school
  LEFT JOIN staff_staffrecord r ON r.staff_id = s.id
  WHERE s.active AND (r.joined_on IS NULL OR r.joined_on <= %(day)s)
  GROUP BY s.unit_id
)"""

# Yearly: decided ratings of the year (TT 26/2018 teachers, TT 25/2018 principals), MET = 1, GOOD = 2.
STANDARD_RATINGS = YEAR + """, per_school AS (
  SELECT r.school_id,
         COUNT(*) FILTER (WHERE r.standard = 'teacher') AS teachers,
         COUNT(*) FILTER (WHERE r.standard = 'teacher' AND r.overall >= 1) AS teachers_met,
         COUNT(*) FILTER (WHERE r.standard = 'teacher' AND r.overall >= 2) AS teachers_good,
         COUNT(*) FILTER (WHERE r.standard = 'principal') AS managers,
         COUNT(*) FILTER (WHERE r.standard = 'principal' AND r.overall >= 1) AS managers_met
  FROM staff_standardrating r
  WHERE r.school_year_id = (SELECT id FROM yr) AND r.overall IS NOT NULL
  GROUP BY r.school_id
)"""

# Yearly: staff rated only "completed duties" in the year, a count (each school with one: 1).
ANNUAL_RATINGS = YEAR + """, per_school AS (
  SELECT r.school_id, COUNT(*) AS completed, 1 AS one
  FROM staff_annualrating r
  WHERE r.school_year_id = (SELECT id FROM yr) AND r.result = 'completed'
  GROUP BY r.school_id
)"""

# Yearly: teacher assignments per creche group and per kindergarten class, the year's active groups.
GROUP_TEACHERS = YEAR + """, per_school AS (
  SELECT g.school_id,
         COUNT(DISTINCT g.id) FILTER (WHERE g.age_band IN ('c3_12', 'c13_24', 'c25_36', 'mixed_creche'))
           AS creche_groups,
         COUNT(gt.id) FILTER (WHERE g.age_band IN ('c3_12', 'c13_24', 'c25_36', 'mixed_creche'))
           AS creche_teachers,
         COUNT(DISTINCT g.id) FILTER (WHERE g.age_band NOT IN ('c3_12', 'c13_24', 'c25_36', 'mixed_creche'))
           AS kinder_groups,
         COUNT(gt.id) FILTER (WHERE g.age_band NOT IN ('c3_12', 'c13_24', 'c25_36', 'mixed_creche'))
           AS kinder_teachers
  FROM children_group g LEFT JOIN children_groupteacher gt ON gt.group_id = g.id
  WHERE g.school_year_id = (SELECT id FROM yr) AND g.active
  GROUP BY g.school_id
)"""

# Per period: the schools' active staff who joined by the period's last day; trained: with a training that
# overlaps the period; STEAM: managers and teachers with a STEAM training in the period.
TRAINING = """
tr AS (
  SELECT t.staff_id, bool_or(t.topic = 'steam') AS steam
  FROM staff_training t WHERE t.start_date <= %(end)s AND t.end_date >= %(start)s
  GROUP BY t.staff_id
), per_school AS (
  SELECT s.unit_id AS school_id, COUNT(*) AS staff, COUNT(tr.staff_id) AS trained,
         COUNT(*) FILTER (WHERE s.position IN ('teacher', 'principal', 'vice_principal')) AS both_,
         COUNT(*) FILTER (WHERE s.position IN ('teacher', 'principal', 'vice_principal') AND tr.steam) AS steam
  FROM org_staff s
  JOIN org_orgunit u ON u.id = s.unit_id
  JOIN org_orglevel l ON l.id = u.level_id AND l.is_school
  LEFT JOIN staff_staffrecord r ON r.staff_id = s.id
  LEFT JOIN tr ON tr.staff_id = s.id
  WHERE s.active AND (r.joined_on IS NULL OR r.joined_on <= %(end)s)
  GROUP BY s.unit_id
)"""

# Yearly (read as they are now): every school, its rooms in use by kind and its facility profile. Kitchens
# and toilets only where the school has some, the library only for public schools, grass over yard only
# where a yard is recorded.
FACILITY = """
rooms AS (
  SELECT school_id,
         COUNT(*) FILTER (WHERE kind = 'kitchen') AS kitchens,
         COUNT(*) FILTER (WHERE kind = 'kitchen' AND one_way) AS one_way,
         COUNT(*) FILTER (WHERE kind = 'toilet') AS toilets,
         COUNT(*) FILTER (WHERE kind = 'toilet' AND meets_standard) AS toilets_std,
         COUNT(*) FILTER (WHERE kind = 'online_meeting') AS meeting,
         COUNT(*) FILTER (WHERE kind = 'library') AS library,
         COUNT(*) FILTER (WHERE kind = 'computer_room') AS computer
  FROM facilities_room WHERE in_use GROUP BY school_id
), per_school AS (
  SELECT s.unit_id AS school_id, r.one_way, r.kitchens, r.toilets_std, r.toilets, 1 AS one,
         CASE WHEN fp.internet AND fp.management_software ~ '[^[:space:]]' THEN 1 ELSE 0 END AS internet_sw,
         CASE WHEN r.meeting > 0 THEN 1 ELSE 0 END AS meeting,
         CASE WHEN s.website ~ '[^[:space:]]' THEN 1 ELSE 0 END AS website,
         CASE WHEN s.ownership = 'public' AND r.library > 0 THEN 1 ELSE 0 END AS library,
         CASE WHEN s.ownership = 'public' THEN 1 ELSE 0 END AS public,
         CASE WHEN r.computer > 0 THEN 1 ELSE 0 END AS computer,
         CASE WHEN fp.yard_area > 0 THEN fp.grass_area END AS grass,
         CASE WHEN fp.yard_area > 0 THEN fp.yard_area END AS yard
  FROM org_school s
  LEFT JOIN rooms r ON r.school_id = s.unit_id
  LEFT JOIN facilities_facilityprofile fp ON fp.school_id = s.unit_id
)"""

# Stock, on the stock day: the year's active groups, and those short of no active catalogue item of their
# band (mixed creche as 25-36 months, mixed kindergarten as 5-6 years): usable pieces (quantity - damaged)
# at least the item's quantity, per group or per child enrolled on the day.
EQUIPMENT = YEAR + """, grp AS (
  SELECT g.id, g.school_id,
         CASE g.age_band WHEN 'mixed_creche' THEN 'c25_36' WHEN 'mixed_kinder' THEN 'k5' ELSE g.age_band END AS band,
         (SELECT COUNT(*) FROM children_enrolment e WHERE e.group_id = g.id AND e.start_date <= %(day)s
            AND (e.end_date IS NULL OR e.end_date >= %(day)s)) AS n
  FROM children_group g
  WHERE g.school_year_id = (SELECT id FROM yr) AND g.active
), short AS (
  SELECT DISTINCT grp.id
  FROM grp JOIN facilities_equipmentitem it ON it.age_band = grp.band AND it.active
  LEFT JOIN facilities_groupequipment q ON q.group_id = grp.id AND q.item_id = it.id
  WHERE COALESCE(q.quantity - q.damaged, 0) < CASE WHEN it.basis = 'child' THEN it.quantity * grp.n ELSE it.quantity END
), per_school AS (
  SELECT grp.school_id, COUNT(*) AS groups, COUNT(*) FILTER (WHERE short.id IS NULL) AS ok
  FROM grp LEFT JOIN short ON short.id = grp.id GROUP BY grp.school_id
)"""


@dataclass
class Family:
    """One family's baseline: its SQL (CTEs ending in ``per_school``), the (numerator, denominator) figures
    of each code, and the parameters of a call for a window (None: the family gives nothing for it)."""

    name: str
    sql: str
    codes: dict[str, tuple[str, str]]
    params: Callable[[object], dict | None]

    def statement(self) -> tuple[str, list[str]]:
        figures = list(dict.fromkeys(f for pair in self.codes.values() for f in pair))
        sums = ", ".join(f"SUM(s.{f})" for f in figures)
        return "WITH RECURSIVE " + PLACED + ",\n" + self.sql.strip() + "\n" + ROLLUP.format(sums=sums), figures


def _today():
    from mamnon.core import clock

    return clock.today()


def _stock_day(w):
    today = _today()
    return None if w.start > today else min(w.end, today)


def _children_params(w):
    day = _stock_day(w)
    return None if w.school_year is None or day is None else {"year": w.school_year, "day": day}


def _attendance_params(w):
    day = _stock_day(w)
    return None if day is None else {"start": w.start, "day": day}


def _meal_params(w):
    last = _stock_day(w)  # days served up to today; the norms in force on the part's last day
    if last is None:
        return None
    return {"start": w.start, "end": w.end, "last": last, "monday": w.start - dt.timedelta(days=w.start.weekday())}


def _growth_params(w):
    from mamnon.calc import periods as P

    number = w.round_number or (3 if w.kind == P.SCHOOL_YEAR else None)
    if number is None or not w.school_year:
        return None
    return {"year": w.school_year, "round": number, "ref": P.parse_period(f"{w.school_year}/R{number}").end}


def _stock_params(w):
    day = _stock_day(w)
    return None if day is None else {"day": day}


def _year_params(w):
    return {"year": w.school_year or None, "start": w.start, "end": w.end}


def _equipment_params(w):
    day = _stock_day(w)
    return None if day is None else {**_year_params(w), "day": day}


def _window_params(w):
    # a period that has not begun has no trainings yet (the engine gives nothing)
    return None if _stock_day(w) is None else {"start": w.start, "end": w.end}


FAMILIES = [
    Family("children", CHILDREN, {
        "FULLDAY": ("fullday", "total"), "FULLDAY_5Y": ("k5_full", "k5"), "ENGLISH": ("kinder_en", "kinder"),
        "ENR_PUBLIC_SHARE": ("public", "total"), "CLASS_SIZE": ("total", "groups"),
        "INCLUSION": ("disabled_in", "disabled"), "SEMI_BOARDING": ("semi", "groups"),
        "SCHOOL_SIZE": ("groups", "has_groups")}, _children_params),
    Family("attendance", ATTENDANCE, {"ATTENDANCE": ("n", "d"), "ATTENDANCE_5Y": ("n5", "d5")}, _attendance_params),
    Family("meal_norms", MEAL_NORMS, {"MEAL_NORMS": ("passed", "days")}, _meal_params),
    Family("growth", GROWTH, {
        "GROWTH_MONITORED": ("measured", "enrolled"), "UNDERWEIGHT": ("underweight", "wfa"),
        "STUNTING": ("stunting", "hfa"), "WASTING": ("wasting", "wfh"), "OVERWEIGHT": ("overweight", "wfh"),
        "OBESE": ("obese", "wfh")}, _growth_params),
    Family("qualification", QUALIFICATION, {
        "T_QUAL_STD": ("teachers_std", "teachers"), "T_UNIV": ("teachers_univ", "teachers"),
        "M_UNIV": ("managers_univ", "managers"), "PARTY": ("party", "both_")}, _stock_params),
    Family("standard_ratings", STANDARD_RATINGS, {
        "T_PROF_STD": ("teachers_met", "teachers"), "T_PROF_KHA": ("teachers_good", "teachers"),
        "M_PRINCIPAL_STD": ("managers_met", "managers")}, _year_params),
    Family("annual_ratings", ANNUAL_RATINGS, {"STAFF_RATING": ("completed", "one")}, _year_params),
    Family("group_teachers", GROUP_TEACHERS, {
        "T_PER_CRECHE": ("creche_teachers", "creche_groups"),
        "T_PER_KINDER": ("kinder_teachers", "kinder_groups")}, _year_params),
    Family("training", TRAINING, {"TRAINED": ("trained", "staff"), "TRAINED_STEAM": ("steam", "both_")},
           _window_params),
    Family("facility", FACILITY, {
        "KITCHEN_ONEWAY": ("one_way", "kitchens"), "TOILET_STD": ("toilets_std", "toilets"),
        "INTERNET_SW": ("internet_sw", "one"), "ONLINE_MEETING": ("meeting", "one"), "WEBSITE": ("website", "one"),
        "LIBRARY": ("library", "public"), "COMPUTER_ROOM": ("computer", "one"), "GRASS_YARD": ("grass", "yard")},
           _year_params),
    Family("equipment", EQUIPMENT, {"EQUIP_MIN": ("ok", "groups")}, _equipment_params),
]


# --- the baseline's calls: as often as the engine calls each family ----------------------------------------------


def _pieces(school_year: str) -> list:
    """The elementary parts of a school year: between consecutive first days and day-after-last days of all
    its periods (whichever of them are benchmarked)."""
    from mamnon.indicators import periods
    from mamnon.indicators.registry import Window

    windows = periods.windows_of(school_year)
    cuts = sorted({w.start for w in windows} | {w.end + dt.timedelta(days=1) for w in windows})
    return [Window(code=f"{a:%Y%m%d}-{b:%Y%m%d}", kind="part", start=a, end=b - dt.timedelta(days=1),
                   school_year=school_year) for a, b in zip(cuts, cuts[1:], strict=False)]


def _registered(fam: Family):
    """The engine's function behind the family's codes; fails when the two disagree on the codes."""
    from mamnon.indicators import registry

    funcs = {registry.source_of(code) for code in fam.codes}
    if len(funcs) != 1 or None in funcs:
        raise SystemExit(f"baseline family {fam.name}: its codes are not one registered family: {sorted(fam.codes)}")
    func = funcs.pop()
    if set(func.indicator_codes) != set(fam.codes):
        raise SystemExit(f"baseline family {fam.name} covers {sorted(fam.codes)}, the engine's "
                         f"{func.__qualname__} {sorted(func.indicator_codes)}")
    return func


def check_coverage() -> None:
    """Every code the engine computes has a baseline."""
    from mamnon.indicators import registry

    covered = {code for fam in FAMILIES for code in fam.codes}
    missing = registry.computed_codes() - covered
    if missing:
        raise SystemExit(f"no baseline for the registered codes {sorted(missing)}")


def _plan(fam: Family, windows):
    """Each call the engine makes of the family: {key: (window it is called with, [windows placed on it])}.

    Additive: the parts of the year inside the window (when they tile it); yearly: once per school year; stock:
    once per (school year, stock day); otherwise once per window.
    """
    func = _registered(fam)
    calls: dict = {}
    keys_of: dict[str, list] = {}
    pieces = {y: _pieces(y) for y in {w.school_year for w in windows if w.school_year}}
    for w in windows:
        keys = None
        if func.indicator_additive and w.school_year:
            inside = [p for p in pieces[w.school_year] if w.start <= p.start and p.end <= w.end]
            if inside and inside[0].start == w.start and inside[-1].end == w.end:
                keys = [(p.code, p) for p in inside]
        if keys is None:
            if func.indicator_yearly and w.school_year:
                keys = [(("year", w.school_year), w)]
            elif func.indicator_stock:
                keys = [(("stock", w.school_year, _stock_day(w)), w)]
            else:
                keys = [(("window", w.code), w)]
        keys_of[w.code] = [k for k, _ in keys]
        for key, call_window in keys:
            calls.setdefault(key, (call_window, []))[1].append(w)
    return calls, keys_of


def baseline_pass(windows) -> dict:
    """{window code: {code: {unit: (numerator, denominator)}}}, one statement per family call."""
    from django.db import connection

    out = {w.code: {} for w in windows}
    with connection.cursor() as cur:
        for fam in FAMILIES:
            sql, figures = fam.statement()
            col = {f: i for i, f in enumerate(figures)}
            calls, keys_of = _plan(fam, windows)
            rolled: dict = {}  # key -> {day: {unit: row}}
            for key, (call_window, placed_on) in calls.items():
                params = fam.params(call_window)
                if params is None:
                    rolled[key] = {}
                    continue
                cur.execute(sql, {**params, "days": sorted({w.end for w in placed_on})})
                by_day: dict = {}
                for day, unit, *row in cur.fetchall():
                    by_day.setdefault(day, {})[unit] = row
                rolled[key] = by_day
            for w in windows:
                parts = [rolled[k].get(w.end, {}) for k in keys_of[w.code]]
                for code, (num, den) in fam.codes.items():
                    i, j = col[num], col[den]
                    values: dict[int, list[float]] = {}
                    for part in parts:
                        for unit, row in part.items():
                            acc = values.setdefault(unit, [0.0, 0.0])
                            acc[0] += float(row[i] or 0)
                            acc[1] += float(row[j] or 0)
                    out[w.code][code] = {u: (n, d) for u, (n, d) in values.items()}
    return out


def engine_pass(windows, indicators):
    from mamnon.indicators import services

    out, memo = {}, {}
    for w in windows:
        out[w.code] = services.compute_period(w, indicators, declarations=[], memo=memo)
    return out


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def check_same(engine, baseline, *, report=print) -> int:
    """Every code of every family, numerator and denominator, for every unit and period: the engine's equal
    the baseline's (units where both are 0 aside). Raises AssertionError listing the differences."""
    check_coverage()
    problems: list[str] = []
    checked = 0
    for period, codes in baseline.items():
        got = engine[period]
        for code, theirs_all in codes.items():
            theirs = {int(u): v for u, v in theirs_all.items() if v[0] or v[1]}
            if code not in got:
                problems.append(f"{period} {code}: the engine computed nothing (no Indicator row?), "
                                f"the baseline {len(theirs)} units")
                continue
            units, num, den, _schools, _src = got[code]
            mine = {int(u): (float(n), float(d)) for u, n, d in zip(units, num, den, strict=True) if n or d}
            for unit in sorted(set(mine) | set(theirs)):
                a, b = mine.get(unit, (0.0, 0.0)), theirs.get(unit, (0.0, 0.0))
                if not (_close(a[0], b[0]) and _close(a[1], b[1])):
                    problems.append(f"{period} {code} unit {unit}: engine {a[0]:g}/{a[1]:g}, "
                                    f"baseline {b[0]:g}/{b[1]:g}")
                else:
                    checked += 1
    if problems:
        for line in problems[:40]:
            report(f"MISMATCH {line}")
        raise AssertionError(f"{len(problems)} differences between the engine and the baseline "
                             f"(first: {problems[0]})")
    return checked


def _scratch() -> tuple[str, callable]:
    """A scratch database on DATABASE_URL's PostgreSQL server, else on 127.0.0.1:5432 (this needs PostgreSQL)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/scratch.py, also when imported by a test
    from scratch import scratch_database

    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/postgres"
    return scratch_database()


def run(scale: str, keep: str | None, read_only: bool = False) -> None:
    drop = lambda: None  # noqa: E731
    if keep:
        os.environ["DATABASE_URL"] = keep
    else:
        url, drop = _scratch()
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamnon.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        if not keep:
            call_command("migrate", verbosity=0)
            t = time.perf_counter()
            call_command("demo_data", scale=scale, seed=2023, verbosity=0)
            print(f"demo {scale} built in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        from mamnon.indicators import periods, services
        from mamnon.indicators.models import Indicator

        with connection.cursor() as cur:
            if read_only:  # any write (a dirty mark, a stored value) fails instead of touching the database
                cur.execute("SET default_transaction_read_only = on")
            else:
                cur.execute("ANALYZE")  # fresh planner statistics after the bulk loads, for both contenders

        year = services.current_school_year()
        windows = periods.windows_of(year)
        indicators = {i.code: i for i in Indicator.objects.all()}
        if scale == "national":
            started = time.perf_counter()
            n = services.values_refresh(school_year=year)
            refresh = time.perf_counter() - started
            t = time.perf_counter()
            engine_pass(windows, indicators)  # the same computation without storing: what storing costs
            compute = time.perf_counter() - t
            print(f"BENCH indicators_national seconds={refresh:.2f} values={n} compute_seconds={compute:.2f}")
            return
        check_coverage()
        engine_pass(windows, indicators)  # warm
        baseline_pass(windows)
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            engine = engine_pass(windows, indicators)
            e = time.perf_counter() - t
            t = time.perf_counter()
            baseline = baseline_pass(windows)
            runs.append((e, time.perf_counter() - t))
        checked = check_same(engine, baseline, report=lambda s: print(s, file=sys.stderr))
        e, b = min(r[0] for r in runs), min(r[1] for r in runs)
        n_codes = len({c for codes in baseline.values() for c in codes})
        print(f"checked {checked} unit values ({n_codes} codes, {len(windows)} periods, numerator and denominator)"
              f" equal to the baseline's", file=sys.stderr)
        if not read_only:
            t = time.perf_counter()
            n = services.values_refresh(school_year=year)
            store = time.perf_counter() - t
            print(f"BENCH indicators_store seconds={store:.2f} values={n}")
        print(f"BENCH indicators seconds={e:.3f} baseline_seconds={b:.3f} ratio={e / b:.2f}")
    finally:
        connection.close()
        drop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["city", "national"], default="city")
    parser.add_argument("--keep", help="a database URL that already holds the demo (not dropped)")
    parser.add_argument("--read-only", action="store_true",
                        help="open the database read only: no ANALYZE, no stored values (use with --keep)")
    args = parser.parse_args()
    run(args.scale, args.keep, args.read_only)


if __name__ == "__main__":
    main()
