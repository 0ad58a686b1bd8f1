"""Least-cost balancing of menus (pure; numpy + scipy's HiGHS linear programming).

Given the ration rows of one or more groups (a day and band each), find grams x_i within [lo_i, hi_i] that
meet every norm of the group (energy at school within its range; the shares of energy from protein, lipid and
glucid within theirs, with 4/9/4 kcal per gram over 4P + 9L + 4G, as ``mamnon.calc.nutrition``) at the lowest
cost, with the cost within the group's food money. Every constraint is linear in x:

    E_lo <= sum e_i x_i <= E_hi
    s_lo * sum m_i x_i <= sum k_i x_i <= s_hi * sum m_i x_i      for each of protein, lipid, glucid
    sum c_i x_i <= budget

(e: kcal per gram, m: macronutrient kcal per gram, k: the nutrient's kcal per gram, c: VND per net gram).
All groups are solved as one block LP. When it has no solution, a relaxation with one slack per constraint
(scaled so a kcal short and a percent short weigh alike) says which norms cannot be met and by how much.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from mamnon.calc.nutrition import ENERGY, GLUCID, LIPID, PROTEIN, row_cost

CONSTRAINTS = ("energy_min", "energy_max", "protein_min", "protein_max", "lipid_min", "lipid_max",
               "glucid_min", "glucid_max", "budget")


@dataclass
class Shortfall:
    group: int
    constraint: str  # one of CONSTRAINTS
    amount: float  # kcal (energy), percentage points (shares) or VND (budget)


@dataclass
class Balance:
    feasible: bool
    grams: np.ndarray  # (n,) the least-cost solution of every group that has one; the relaxation's elsewhere
    cost: np.ndarray  # (g,) VND per child
    shortfalls: list[Shortfall] = field(default_factory=list)
    message: str = ""
    group_feasible: np.ndarray | None = None  # (g,) bool


def _rows(groups, grams, composition, inedible_pct, price_per_kg, norms, budget, n):
    groups = np.asarray(groups, dtype=np.int64)
    comp = np.nan_to_num(np.asarray(composition, dtype=float)) / 100.0  # per gram
    e = comp[:, ENERGY]
    k = np.column_stack([4 * comp[:, PROTEIN], 9 * comp[:, LIPID], 4 * comp[:, GLUCID]])
    m = k.sum(axis=1)
    c = row_cost(np.ones(len(groups)), inedible_pct, price_per_kg)  # VND per net gram
    norms = np.broadcast_to(np.asarray(norms, dtype=float), (n, 4, 2))
    budget = np.broadcast_to(np.asarray(budget, dtype=float), (n,))
    lo_share = norms[groups, 1:, 0] / 100.0  # (n_rows, 3)
    hi_share = norms[groups, 1:, 1] / 100.0
    coeffs = [-e, e]
    for j in range(3):
        coeffs += [lo_share[:, j] * m - k[:, j], k[:, j] - hi_share[:, j] * m]
    coeffs.append(c)
    coeffs = np.column_stack(coeffs)  # (n_rows, 9)
    rhs = np.column_stack([-norms[:, 0, 0], norms[:, 0, 1], *([np.zeros(n)] * 6), budget])  # (g, 9)
    n_rows = len(groups)
    # Constraint (g, j) is row g * 9 + j; variable i enters the 9 rows of its group.
    row_idx = (groups[:, None] * len(CONSTRAINTS) + np.arange(len(CONSTRAINTS))[None, :]).ravel()
    col_idx = np.repeat(np.arange(n_rows), len(CONSTRAINTS))
    a = sparse.csr_matrix((coeffs.ravel(), (row_idx, col_idx)), shape=(n * len(CONSTRAINTS), n_rows))
    return a, rhs.ravel(), c, m


def balance(*, groups, grams, composition, inedible_pct, price_per_kg, norms, budget, low=None, high=None,
            spread: float = 0.30, n_groups: int | None = None, margin: float = 0.0) -> Balance:
    """Least-cost quantities meeting the norms; see the module docstring.

    ``low``/``high`` (n,) bounds in grams (NaN: ``grams`` x (1 -/+ ``spread``)); ``norms`` (g, 4, 2) or (4, 2);
    ``budget`` (g,) or a number (VND per child). ``margin`` narrows every norm range from both sides (kcal for
    energy, percentage points for the shares), so that quantities rounded for the kitchen still meet it.
    """
    if margin:
        norms = np.array(np.broadcast_to(np.asarray(norms, dtype=float), (int(
            n_groups if n_groups is not None else (np.max(groups) + 1 if len(groups) else 0)), 4, 2)))
        norms[:, :, 0] += margin
        norms[:, :, 1] -= margin
    groups = np.asarray(groups, dtype=np.int64)
    grams = np.asarray(grams, dtype=float)
    n = int(n_groups if n_groups is not None else (groups.max() + 1 if groups.size else 0))
    lo = grams * (1 - spread) if low is None else np.where(np.isnan(low), grams * (1 - spread), low)
    hi = grams * (1 + spread) if high is None else np.where(np.isnan(high), grams * (1 + spread), high)
    a, b, c, m = _rows(groups, grams, composition, inedible_pct, price_per_kg, norms, budget, n)
    bounds = np.column_stack([lo, hi])
    res = linprog(c, A_ub=a, b_ub=b, bounds=bounds, method="highs")
    if res.status == 0:
        x = res.x
        return Balance(True, x, np.bincount(groups, weights=c * x, minlength=n), message=res.message,
                       group_feasible=np.ones(n, bool))
    # Relaxation: A x - s <= b, s >= 0; minimise the scaled slacks (then the cost, a little).
    n_cons = a.shape[0]
    norms_arr = np.broadcast_to(np.asarray(norms, dtype=float), (n, 4, 2))
    budget_arr = np.broadcast_to(np.asarray(budget, dtype=float), (n,))
    scale = np.repeat(np.maximum(norms_arr[:, 0, 0], 1.0), len(CONSTRAINTS)).reshape(n, -1)
    scale[:, -1] = np.maximum(budget_arr, 1.0) / 10.0  # a tenth of the budget weighs like the whole energy norm
    weights = 1.0 / scale.ravel()
    a_relaxed = sparse.hstack([a, -sparse.identity(n_cons, format="csr")], format="csr")
    cost_weight = 1e-9
    objective = np.concatenate([c * cost_weight, weights])
    relaxed = linprog(objective, A_ub=a_relaxed, b_ub=b,
                      bounds=np.vstack([bounds, np.column_stack([np.zeros(n_cons), np.full(n_cons, np.inf)])]),
                      method="highs")
    if relaxed.status != 0:  # pragma: no cover - the relaxation always has a solution
        return Balance(False, grams, np.bincount(groups, weights=c * grams, minlength=n), message=relaxed.message)
    x = relaxed.x[: len(grams)]
    slack = relaxed.x[len(grams):].reshape(n, len(CONSTRAINTS))
    macro = np.bincount(groups, weights=m * x, minlength=n)
    shortfalls = []
    for g, j in zip(*np.nonzero(slack > 1e-6), strict=True):
        amount = slack[g, j]
        if 2 <= j <= 7:  # shares: kcal -> percentage points of the macronutrient energy
            amount = amount / macro[g] * 100 if macro[g] > 0 else float("inf")
        shortfalls.append(Shortfall(int(g), CONSTRAINTS[j], float(amount)))
    # The groups without any shortfall have a solution of their own: solve them again for the least cost.
    ok = ~(slack > 1e-6).any(axis=1)
    rows_ok = ok[groups]
    if rows_ok.any():
        keep = np.nonzero(rows_ok)[0]
        cons = (np.nonzero(ok)[0][:, None] * len(CONSTRAINTS) + np.arange(len(CONSTRAINTS))).ravel()
        sub = linprog(c[keep], A_ub=a[cons][:, keep], b_ub=b[cons], bounds=bounds[keep], method="highs")
        if sub.status == 0:
            x = x.copy()
            x[keep] = sub.x
    return Balance(False, x, np.bincount(groups, weights=c * x, minlength=n), shortfalls, message=res.message,
                   group_feasible=ok)
