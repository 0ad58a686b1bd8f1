"""The starter catalogue: foods preschool kitchens use, per 100 g edible part, each value taken from a public page
that quotes the Vietnamese food composition table (Viện Dinh dưỡng) for that food, cited per food.

Only what the cited page states is filled in; anything it does not give stays None (blank). Codes are the
catalogue's own identifiers ("MN-..."), not the official table's codes: none of the cited pages gives the code.
A school adds or corrects foods in its own catalogue, or imports a full table (kitchen.importer).
"""

from __future__ import annotations

# Per food: the page quoted and what it says it quotes (kept with the row, shown as the food's source).
SOURCES = {
    "vtc-egg": ("https://vtcnews.vn/khi-nao-tre-can-tranh-an-trung-ga-ar965461.html",
                "ThS.BS Trần Thị Minh Nguyệt, Viện Dinh dưỡng Quốc gia: thành phần trong 100 g trứng ăn vào"),
    "tepbac-shrimp": ("https://tepbac.com/tin-tuc/full/canxi-trong-tom-dong-nhieu-hon-tom-bien-34228.html",
                      "Bảng thành phần dinh dưỡng Việt Nam (Viện Dinh dưỡng Quốc gia), 100 g"),
    "afamily-crab": ("https://afamily.vn/nhung-nguoi-nen-han-che-an-canh-cua-20250618215823966.chn",
                     "ThS.BS Nguyễn Văn Tiến, Viện Dinh dưỡng Quốc gia: trong 100 g cua đồng"),
    "vnexpress-poultry": ("https://vnexpress.net/thit-vit-co-bo-hon-ga-4836915.html",
                          "Bác sĩ Nguyễn Thùy Linh: theo Bảng thành phần dinh dưỡng Việt Nam, trong 100 g"),
    "dspl-banana": ("https://doisongphapluat.com.vn/nhung-truong-hop-khong-nen-cho-tre-an-chuoi-tieu-a648961.html",
                    "Theo Viện Dinh dưỡng Quốc gia, trong 100 g chuối tiêu chín"),
    "vnexpress-potato": ("https://vnexpress.net/ba-meo-an-khoai-tay-khong-gay-hai-suc-khoe-4941606.html",
                         "Bác sĩ Huỳnh Tấn Vũ: theo Bảng thành phần thực phẩm Việt Nam, 100 g khoai tây"),
}

# code, name, group, animal, dry, inedible %, kcal, protein, lipid, glucid, fibre, Ca, Fe, retinol, β-carotene,
# B1, C, source key. None: the cited page does not give the value.
FOODS = [
    ("MN-TRUNG-GA", "Trứng gà", "egg", True, False, None, 166, 14.8, 11.6, 0.5, None, 55, 2.7, None, None, None,
     None, "vtc-egg"),
    ("MN-TRUNG-VIT", "Trứng vịt", "egg", True, False, None, 184, 13.0, 14.2, 1.0, None, 71, 3.2, None, None, None,
     None, "vtc-egg"),
    ("MN-TOM-DONG", "Tôm đồng", "fish", True, False, None, 90, 18.4, 1.8, None, None, 1120, 2.2, None, None, 0.02,
     None, "tepbac-shrimp"),
    ("MN-TOM-BIEN", "Tôm biển", "fish", True, False, None, 82, 17.9, 0.9, None, None, 79, 1.6, None, None, 0.04,
     None, "tepbac-shrimp"),
    ("MN-CUA-DONG", "Cua đồng", "fish", True, False, None, 87, 12.3, 3.3, 2.0, None, 5040, 4.7, None, None, None,
     None, "afamily-crab"),
    ("MN-THIT-GA", "Thịt gà", "meat", True, False, None, 199, 20.3, 4.3, None, None, None, None, None, None, None,
     None, "vnexpress-poultry"),
    ("MN-THIT-VIT", "Thịt vịt", "meat", True, False, None, 267, 17.8, 7.3, None, None, None, None, None, None, None,
     None, "vnexpress-poultry"),
    ("MN-CHUOI-TIEU", "Chuối tiêu", "fruit", False, False, None, 100, 1.5, None, 22.4, 0.8, None, None, None, 120,
     0.04, 6, "dspl-banana"),
    ("MN-KHOAI-TAY", "Khoai tây", "tuber", False, False, None, 93, 2.0, None, 20.9, 1.0, 10, 1.2, None, None,
     None, 10, "vnexpress-potato"),
]
FIELDS = ("code", "name", "group", "animal", "dry", "inedible_pct", "energy_kcal", "protein_g", "lipid_g",
          "glucid_g", "fibre_g", "calcium_mg", "iron_mg", "retinol_ug", "beta_carotene_ug", "vitamin_b1_mg",
          "vitamin_c_mg")
# The model stores these as numbers (no blank): a value the page does not give is stored as 0 and the source
# text says so. FOODS itself keeps None.
NOT_NULL = {"protein_g", "lipid_g", "glucid_g"}


def source(key: str, missing: list[str]) -> str:
    url, quoted = SOURCES[key]
    text = f"{quoted} (Bảng thành phần thực phẩm Việt Nam, Viện Dinh dưỡng); {url}"
    if missing:
        text += "; không có trong nguồn: " + ", ".join(missing)
    return text[:300]


def rows() -> list[dict]:
    out = []
    for values in FOODS:
        row = dict(zip(FIELDS, values[:-1], strict=True))
        missing = [k for k in NOT_NULL if row[k] is None]
        for key in NOT_NULL:
            if row[key] is None:
                row[key] = 0
        row["source"] = source(values[-1], sorted(missing))
        out.append(row)
    return out
