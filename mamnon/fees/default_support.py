"""The national support policies loaded by the data migration; provinces add their own resolutions as rows
(SupportPolicy.unit = the province) in the admin.

Nghị định 105/2020/NĐ-CP of 08/09/2020 (in force 01/11/2020), Điều 7 "Chính sách hỗ trợ ăn trưa đối với trẻ em
mẫu giáo". Khoản 1 names who qualifies: children of kindergarten age (độ tuổi mẫu giáo) attending a
kindergarten class, except the children of very small ethnic minorities covered by Nghị định 57/2017/NĐ-CP,
who meet one of: (a) the father, mother or carer, or the child, lives permanently in an extremely
disadvantaged village (thôn đặc biệt khó khăn), a commune with extremely difficult socio-economic conditions,
or an extremely disadvantaged coastal or island commune (mapped onto ChildSupport.ethnic_minority_disadvantaged,
whose name is narrower than the decree's condition); (b) no carer, Nghị định 136/2013/NĐ-CP Điều 5 khoản 1
(orphan); (c) a member of a poor or near-poor household; (d) the child of a martyr, a hero of the people's armed
forces, a war invalid, a person treated as a war invalid, a sick soldier, or another group of the Ordinance on
people with meritorious services (fees.SupportEligibility, situation ``war_merit``, with its proof and period);
(đ) a child with a disability in inclusive education. Khoản 2 sets the amount: 160,000 đồng a child a month,
for the months actually attended, at most 9 months a school year. Khoản 2 and 3 were amended by Nghị định
104/2022/NĐ-CP Điều 4 khoản 1 (the amendment's own text was not read here). Mamnon does not model the
Nghị định 57/2017 exclusion: do not set these flags for such a child.

Pages read (session 4): the decree's English text, english.luatvietnam.vn/decree-no-105-2020-nd-cp-dated-
september-08-2020-of-the-government-prescribing-early-childhood-education-development-policies-190319-doc1.html
(number, date); khoản 1 quoted at lawnet.vn/giao-duc/en/do-children-in-public-preschools-in-disadvantaged-areas-
need-to-belong-to-poor-or-near-poor-househol-24184.html and lawnet.vn/giao-duc/en/what-are-cases-eligible-for-
lunch-assistance-benefit-for-preschool-children-in-vietnam-5027.html (which also names the 104/2022 amendment);
the amount, months and date in force: cuuchienbinh.vn/untitled-663/ ("160.000 đồng/trẻ/tháng theo số tháng học
thực tế, không quá 9 tháng/năm học ... hiệu lực từ ngày 1-11-2020") and lawnet.vn/thong-tin-phap-luat/en/chinh-
sach-moi/vietnam-support-vnd-160-000-of-lunch-money-each-month-for-preschool-aged-children-116215.html. The
Vietnamese text of the decree itself (vanban.chinhphu.vn, thuvienphapluat.vn) was not among the stored pages.

Hải Phòng, Nghị quyết 04/2021/NQ-HĐND (12/08/2021), "quy định một số mức hỗ trợ thực hiện Nghị định số
105/2020/NĐ-CP": as the city's portal reported it (thanhphohaiphong.gov.vn/hai-phong-ho-tro-200-000-dong-thang-
tre-mam-non-con-cnld-khu-cong-nghiep.html, 13/09/2021), 200,000 đồng a child a month for children at a licensed
dân lập or tư thục preschool whose father, mother or carer works at an industrial park under a labour contract;
50,000,000 đồng once for an independent dân lập/tư thục preschool in an industrial-park area with at least 30%
of such children; and a support for qualified teachers at such schools whose amount the page read cuts off. It
is NOT loaded: the page gives neither the date it took effect nor a months-per-year limit, and mamnon does not
record a parent's industrial-park employment nor restrict a policy to private schools (see the session-4
report).
"""

import datetime as dt

ND105 = ("Nghị định 105/2020/NĐ-CP ngày 08/09/2020, Điều 7 (hỗ trợ ăn trưa đối với trẻ em mẫu giáo): khoản 1 "
         "(đối tượng), khoản 2 (160.000 đồng/trẻ/tháng theo số tháng học thực tế, không quá 9 tháng/năm học)")

POLICIES = [
    dict(code="nd105-an-trua", name="Hỗ trợ ăn trưa trẻ mẫu giáo (NĐ 105/2020)", legal_basis=ND105,
         amount_per_month=160000, max_months_per_year=9, kindergarten_only=True, for_poor=True,
         for_near_poor=True, for_ethnic_minority_disadvantaged=True, for_orphan=True, for_disability=True,
         for_war_merit=True, effective_from=dt.date(2020, 11, 1)),
]


def update_legal_basis(policy_model) -> int:
    """Rewrite the legal basis of the rows loaded before it was corrected (the text only, nothing else)."""
    changed = 0
    for row in POLICIES:
        changed += policy_model.objects.filter(code=row["code"], effective_from=row["effective_from"]).exclude(
            legal_basis=row["legal_basis"]).update(legal_basis=row["legal_basis"])
    return changed


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
