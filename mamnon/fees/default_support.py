"""The national support policies loaded by the data migration; provinces add their own resolutions as rows
(SupportPolicy.unit = the province) in the admin.

Nghị định 105/2020/NĐ-CP (08/09/2020, in force 01/11/2020), Điều 7: kindergarten children (mẫu giáo) in one
of the listed situations get lunch support of 160,000 đồng a month, for the months actually attended, at
most 9 months a school year. The situations mapped onto children.ChildSupport's flags: living in a
disadvantaged commune or village (ethnic_minority_disadvantaged), without a carer (orphan), in a poor or
near-poor household, with a disability in inclusive education; and the children of martyrs, heroes of the
armed forces, war invalids (or people treated as such) and sick soldiers, which the fees side records itself
(fees.SupportEligibility, situation ``war_merit``, with the proving paper and its period).
"""

import datetime as dt

ND105 = "Nghị định 105/2020/NĐ-CP, Điều 7 (hỗ trợ ăn trưa đối với trẻ em mẫu giáo)"

POLICIES = [
    dict(code="nd105-an-trua", name="Hỗ trợ ăn trưa trẻ mẫu giáo (NĐ 105/2020)", legal_basis=ND105,
         amount_per_month=160000, max_months_per_year=9, kindergarten_only=True, for_poor=True,
         for_near_poor=True, for_ethnic_minority_disadvantaged=True, for_orphan=True, for_disability=True,
         for_war_merit=True, effective_from=dt.date(2020, 11, 1)),
]


def load_default_support(policy_model) -> int:
    """Create the rows missing; fields the (historical) model does not have yet are left to later migrations."""
    fields = {f.name for f in policy_model._meta.get_fields()}
    added = 0
    for row in POLICIES:
        row = {k: v for k, v in row.items() if k in fields}
        _obj, created = policy_model.objects.get_or_create(code=row.pop("code"),
                                                           effective_from=row.pop("effective_from"), defaults=row)
        added += created
    return added
