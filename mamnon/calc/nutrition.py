"""Nutrient arithmetic of menus (pure; numpy).

Composition values are per 100 g of the edible part (Bảng thành phần thực phẩm Việt Nam, 2007). A ration is
a list of rows (food, net grams per child) tagged with the day (or day and band) they belong to; every
function works on all rows at once, so a month of menus for a whole district is a handful of array
operations.

Energy is the table's kcal. The shares of energy from protein, lipid and glucid use 4, 9 and 4 kcal per gram
(the Atwater factors the programme uses) over the energy of the three, 4P + 9L + 4G, so the three shares add up
to 100 %. Vitamin A is in retinol equivalents: retinol + beta-carotene / 6 (µg).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Columns of a composition matrix, in this order.
COLUMNS = ("energy", "protein", "lipid", "glucid", "fibre", "calcium", "iron", "vitamin_a", "vitamin_b1",
           "vitamin_c")
ENERGY, PROTEIN, LIPID, GLUCID, FIBRE, CALCIUM, IRON, VITAMIN_A, VITAMIN_B1, VITAMIN_C = range(len(COLUMNS))
KCAL_PER_G = np.array([4.0, 9.0, 4.0])  # protein, lipid, glucid
BETA_CAROTENE_PER_RE = 6.0


def vitamin_a_re(retinol_ug, beta_carotene_ug):
    """Vitamin A in µg retinol equivalents (missing values count as 0)."""
    r = np.nan_to_num(np.asarray(retinol_ug, dtype=float))
    b = np.nan_to_num(np.asarray(beta_carotene_ug, dtype=float))
    return r + b / BETA_CAROTENE_PER_RE


def row_nutrients(grams, composition) -> np.ndarray:
    """(n, k) nutrients of each row: grams / 100 x the food's composition row (NaN counts as 0)."""
    grams = np.asarray(grams, dtype=float)
    return grams[:, None] / 100.0 * np.nan_to_num(np.asarray(composition, dtype=float))


def group_sums(groups, values, n_groups: int | None = None) -> np.ndarray:
    """Sum ``values`` (n,) or (n, k) by integer group labels 0..n_groups-1."""
    groups = np.asarray(groups, dtype=np.int64)
    values = np.asarray(values, dtype=float)
    n = int(n_groups if n_groups is not None else (groups.max() + 1 if groups.size else 0))
    if values.ndim == 1:
        return np.bincount(groups, weights=values, minlength=n)
    out = np.zeros((n, values.shape[1]))
    np.add.at(out, groups, values)
    return out


def energy_shares(protein, lipid, glucid) -> np.ndarray:
    """(n, 3) % of the energy of the three macronutrients from protein, lipid and glucid."""
    kcal = np.column_stack([np.asarray(protein, float), np.asarray(lipid, float), np.asarray(glucid, float)])
    kcal = kcal * KCAL_PER_G
    total = kcal.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, kcal / np.where(total > 0, total, 1) * 100.0, 0.0)


def purchase_grams(net_grams, inedible_pct) -> np.ndarray:
    """Grams to buy for ``net_grams`` of edible part: net / (1 - inedible share)."""
    return np.asarray(net_grams, float) / (1.0 - np.asarray(inedible_pct, float) / 100.0)


def row_cost(net_grams, inedible_pct, price_per_kg) -> np.ndarray:
    """Cost (VND, float) of each row: grams bought / 1000 x price per kg."""
    return purchase_grams(net_grams, inedible_pct) / 1000.0 * np.asarray(price_per_kg, float)


@dataclass(frozen=True)
class Norm:
    """The norms of a band: energy at school (kcal) and the three energy shares (%), as (min, max)."""

    energy: tuple[float, float]
    protein_pct: tuple[float, float]
    lipid_pct: tuple[float, float]
    glucid_pct: tuple[float, float]

    def as_array(self) -> np.ndarray:
        """(4, 2): energy, protein %, lipid %, glucid % x (min, max)."""
        return np.array([self.energy, self.protein_pct, self.lipid_pct, self.glucid_pct], dtype=float)


@dataclass
class Analysis:
    """Per group (a day, or a day and band): totals, shares, animal shares, cost, and the pass marks."""

    totals: np.ndarray  # (g, k) in COLUMNS order
    shares: np.ndarray  # (g, 3) % energy from P, L, G
    animal_protein_pct: np.ndarray  # (g,)
    animal_lipid_pct: np.ndarray  # (g,)
    cost: np.ndarray  # (g,) VND per child
    checks: np.ndarray  # (g, 4) bool: energy, protein %, lipid %, glucid % within the norm
    budget_ok: np.ndarray  # (g,) bool

    @property
    def passed(self) -> np.ndarray:
        return self.checks.all(axis=1)


def _within(values, bounds, tol=1e-9):
    return (values >= bounds[..., 0] - tol) & (values <= bounds[..., 1] + tol)


def analyse(*, groups, grams, composition, animal, inedible_pct, price_per_kg, norms, budget,
            n_groups: int | None = None) -> Analysis:
    """Analyse every group at once.

    ``groups`` (n,) group label of each ration row; ``grams`` (n,) net grams per child; ``composition``
    (n, k) per 100 g; ``animal`` (n,) bool; ``inedible_pct`` and ``price_per_kg`` (n,); ``norms`` (g, 4, 2)
    (see Norm.as_array) or one (4, 2) for all groups; ``budget`` (g,) or a number: food money per child.
    """
    groups = np.asarray(groups, dtype=np.int64)
    n = int(n_groups if n_groups is not None else (groups.max() + 1 if groups.size else 0))
    rows = row_nutrients(grams, composition)
    totals = group_sums(groups, rows, n)
    animal = np.asarray(animal, dtype=bool)
    animal_pl = group_sums(groups, rows[:, [PROTEIN, LIPID]] * animal[:, None], n)
    with np.errstate(invalid="ignore", divide="ignore"):
        ap = np.where(totals[:, PROTEIN] > 0, animal_pl[:, 0] / np.where(totals[:, PROTEIN] > 0,
                                                                          totals[:, PROTEIN], 1) * 100, 0.0)
        al = np.where(totals[:, LIPID] > 0, animal_pl[:, 1] / np.where(totals[:, LIPID] > 0,
                                                                        totals[:, LIPID], 1) * 100, 0.0)
    shares = energy_shares(totals[:, PROTEIN], totals[:, LIPID], totals[:, GLUCID])
    cost = group_sums(groups, row_cost(grams, inedible_pct, price_per_kg), n)
    norms = np.broadcast_to(np.asarray(norms, dtype=float), (n, 4, 2))
    measured = np.column_stack([totals[:, ENERGY], shares])
    checks = _within(measured, norms)
    budget_ok = cost <= np.broadcast_to(np.asarray(budget, dtype=float), (n,)) + 1e-6
    return Analysis(totals=totals, shares=shares, animal_protein_pct=ap, animal_lipid_pct=al, cost=cost,
                    checks=checks, budget_ok=budget_ok)


def meets_norms(energy, protein, lipid, glucid, norms) -> np.ndarray:
    """(g,) bool: energy and the three energy shares of each group within its norm.

    ``energy``, ``protein``, ``lipid``, ``glucid``: (g,) totals per group (kcal, g); ``norms``: (g, 4, 2) or one
    (4, 2) (see Norm.as_array). The same test as ``analyse(...).passed``, from totals alone.
    """
    energy = np.asarray(energy, dtype=float)
    measured = np.column_stack([energy, energy_shares(protein, lipid, glucid)])
    norms = np.broadcast_to(np.asarray(norms, dtype=float), (len(energy), 4, 2))
    return _within(measured, norms).all(axis=1)
