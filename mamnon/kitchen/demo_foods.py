"""Demo-only staple foods (rice, pork, beef, fish, tofu, oil, sugar, milk, vegetables, noodles) for the demo
generator (kitchen.demo), so that its menus can be realistic and meet the energy norms.

These are NOT the official table: the values are deliberately rounded, generic figures (whole kcal, protein /
lipid / glucid to 0.5 g, energy about 4 P + 9 L + 4 G), written for the demo and copied from no file. Every row
says so in its source text, codes are ``DEMO-...``, and everything but energy, protein, lipid, glucid and the
inedible share stays blank. A school enters the official Bảng thành phần thực phẩm Việt Nam 2007 itself
(kitchen.importer). The shipped starter catalogue (kitchen.starter) never loads these rows.
"""

from __future__ import annotations

SOURCE = ("Giá trị minh họa cho dữ liệu demo (làm tròn), không phải số liệu chính thức của Bảng thành phần thực "
          "phẩm Việt Nam 2007; hãy nhập bảng chính thức.")

# code, name, group, animal, dry, inedible %, kcal, protein g, lipid g, glucid g (per 100 g edible part)
FOODS = [
    ("DEMO-GAO-TE", "Gạo tẻ (demo)", "cereal", False, True, 0, 345, 8.0, 1.0, 76.0),
    ("DEMO-MI-SOI", "Mì sợi (demo)", "cereal", False, True, 0, 349, 11.0, 1.0, 74.0),
    ("DEMO-KHOAI-TAY", "Khoai tây (demo)", "tuber", False, False, 15, 88, 2.0, 0.0, 20.0),
    ("DEMO-DAU-PHU", "Đậu phụ (demo)", "pulse", False, False, 0, 96, 11.0, 5.5, 0.5),
    ("DEMO-BI-DO", "Bí đỏ (demo)", "vegetable", False, False, 15, 28, 1.0, 0.0, 6.0),
    ("DEMO-CA-ROT", "Cà rốt (demo)", "vegetable", False, False, 10, 36, 1.0, 0.0, 8.0),
    ("DEMO-CA-CHUA", "Cà chua (demo)", "vegetable", False, False, 5, 20, 1.0, 0.0, 4.0),
    ("DEMO-RAU-MUONG", "Rau muống (demo)", "vegetable", False, False, 15, 22, 3.0, 0.0, 2.5),
    ("DEMO-BAP-CAI", "Bắp cải (demo)", "vegetable", False, False, 10, 28, 2.0, 0.0, 5.0),
    ("DEMO-DAU-AN", "Dầu ăn (demo)", "fat", False, True, 0, 900, 0.0, 100.0, 0.0),
    ("DEMO-THIT-LON-NAC", "Thịt lợn nạc (demo)", "meat", True, False, 2, 139, 19.0, 7.0, 0.0),
    ("DEMO-THIT-BO", "Thịt bò (demo)", "meat", True, False, 2, 116, 21.0, 3.5, 0.0),
    ("DEMO-CA", "Cá (demo)", "fish", True, False, 40, 95, 18.0, 2.5, 0.0),
    ("DEMO-SUA-TUOI", "Sữa bò tươi (demo)", "milk", True, False, 0, 64, 3.0, 3.5, 5.0),
    ("DEMO-SUA-BOT", "Sữa bột (demo)", "milk", True, True, 0, 486, 25.0, 26.0, 38.0),
    ("DEMO-DUONG", "Đường (demo)", "sugar", False, True, 0, 398, 0.0, 0.0, 99.5),
]
FIELDS = ("code", "name", "group", "animal", "dry", "inedible_pct", "energy_kcal", "protein_g", "lipid_g",
          "glucid_g")


def rows() -> list[dict]:
    """The demo foods as Food field values (nationwide rows, like the starter's); other nutrients blank."""
    return [dict(zip(FIELDS, values, strict=True), source=SOURCE) for values in FOODS]
