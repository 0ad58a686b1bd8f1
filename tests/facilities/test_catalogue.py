"""Import of the minimum equipment list: .csv and .xlsx, all or nothing, errors naming row and column."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from mamnon.facilities import catalogue
from mamnon.facilities.models import EquipmentItem

HEADER = "Mã,Tên thiết bị,Độ tuổi,Loại,Lĩnh vực phát triển,Đơn vị tính,Số lượng,Tính theo,Nguồn\n"


def csv_file(body: str) -> io.BytesIO:
    return io.BytesIO((HEADER + body).encode("utf-8"))


def xlsx_file(rows) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


@pytest.mark.django_db
def test_starter_subset_loads_with_its_source(world):
    created, updated = catalogue.import_starter(actor=world.user("admin"))
    # 3-12 months: the 14 items of TT 02/2010's list read on a public page; 5 other bands: 2 x 11 + 3 x 12
    # illustrative items.
    assert (created, updated) == (72, 0)
    assert set(EquipmentItem.objects.values_list("age_band", flat=True)) == {"c3_12", "c13_24", "c25_36", "k3", "k4",
                                                                              "k5"}
    assert all("02/2010" in s for s in EquipmentItem.objects.values_list("source", flat=True))
    chair = EquipmentItem.objects.get(age_band="k5", code="MG5-11")
    assert (chair.basis, chair.quantity, chair.domain) == ("child", Decimal("1"), "general")
    # Loading again updates, creates nothing.
    assert catalogue.import_starter(actor=world.user("admin")) == (0, 72)


@pytest.mark.django_db
def test_broken_rows_write_nothing_and_name_row_and_column(world):
    EquipmentItem.objects.create(code="X", name="old", age_band="k5", category="teaching", quantity=1)
    src = csv_file(
        "X,Bóng,5-6 tuổi,Thiết bị dạy học,Phát triển thể chất,quả,5,nhóm/lớp,\n"  # row 2: fine (an update)
        "Y,Vòng,7-8 tuổi,Thiết bị,Thể chất,cái,abc,nhóm,\n"  # row 3: band and quantity wrong
        "Z,Ghế,3-4 tuổi,Bàn ghế,Chung,cái,1,mỗi bàn,\n"  # row 4: category and basis wrong
        "X,Bóng lặp,5 - 6 tuổi,Đồ chơi,,quả,1,,\n"  # row 5: duplicate code for the band
        ",,3-4 tuổi,Đồ dùng,,,,,\n"  # row 6: required fields missing
    )
    with translation.override("vi"):
        plan = catalogue.build_plan(src, filename="ds.csv")
        messages = [i.message for i in plan.errors]
    assert not plan.ok
    assert any(m.startswith("Dòng 3, cột Độ tuổi") for m in messages), messages
    assert any(m.startswith("Dòng 3, cột Số lượng") for m in messages), messages
    assert any(m.startswith("Dòng 4, cột Loại") for m in messages), messages
    assert any(m.startswith("Dòng 4, cột Tính theo") for m in messages), messages
    assert any(m.startswith("Dòng 5, cột Mã") and "dòng 2" in m for m in messages), messages
    assert any(m.startswith("Dòng 6, cột Mã") for m in messages), messages
    assert any(m.startswith("Dòng 6, cột Số lượng") for m in messages), messages
    with pytest.raises(catalogue.CatalogueInvalid):
        catalogue.catalogue_import(plan=plan, actor=world.user("admin"))
    assert EquipmentItem.objects.get().name == "old"  # nothing written


@pytest.mark.django_db
def test_xlsx_import_and_per_child_decimal(world):
    src = xlsx_file([["MG4-99", "Bàn cho trẻ", "4-5 tuổi", "Đồ dùng", "Chung", "cái", 0.5, "trẻ", "TT 02/2022"],
                     ["NT3-98", "Búp bê", "25-36 tháng", "Đồ chơi", "Tình cảm - xã hội", "con", "2", "nhóm", ""]])
    plan = catalogue.build_plan(src, filename="danh-muc.xlsx")
    assert plan.ok, [i.message for i in plan.errors]
    assert catalogue.catalogue_import(plan=plan, actor=world.user("admin")) == (2, 0)
    table = EquipmentItem.objects.get(code="MG4-99")
    assert (table.age_band, table.quantity, table.basis, table.category) == ("k4", Decimal("0.5"), "child", "furniture")
    doll = EquipmentItem.objects.get(code="NT3-98")
    assert (doll.age_band, doll.domain, doll.category) == ("c25_36", "social", "teaching")


@pytest.mark.django_db
def test_files_that_are_not_catalogues(world):
    with pytest.raises(catalogue.CatalogueFileError):
        catalogue.build_plan(io.BytesIO(b"not a zip"), filename="x.xlsx")
    with pytest.raises(catalogue.CatalogueFileError):
        catalogue.build_plan(io.BytesIO(b"abc"), filename="x.pdf")
    with pytest.raises(catalogue.CatalogueFileError):
        catalogue.build_plan(io.BytesIO("Tên,Số lượng\nA,1\n".encode()), filename="x.csv")
    with pytest.raises(catalogue.CatalogueFileError):
        catalogue.build_plan(io.BytesIO(b"\xff\xfe\x00bad"), filename="x.csv")


@pytest.mark.django_db
def test_only_administrators_change_the_national_list(world):
    plan = catalogue.build_plan(csv_file("A,B,5-6 tuổi,Đồ dùng,,cái,1,,\n"), filename="x.csv")
    with pytest.raises(PermissionDenied):
        catalogue.catalogue_import(plan=plan, actor=world.user("province"))
    assert not EquipmentItem.objects.exists()


@pytest.mark.django_db
def test_starter_3_12_months_is_the_published_list(world):
    """The 3-12 months band is the list of TT 02/2010/TT-BGDĐT (amended by TT 34/2013), nhóm trẻ 3-12 tháng
    (15 trẻ), section I Đồ dùng, as printed on hoatieu.vn (codes MN011001-005 and quantities) and 123docz.net
    (items 6-15): name, unit and quantity per group, read by hand from those pages."""
    catalogue.import_starter(actor=world.user("admin"))
    got = {i.code: (i.name, i.unit_name, int(i.quantity), i.basis, i.category)
           for i in EquipmentItem.objects.filter(age_band="c3_12")}
    published = {
        "MN011001": ("Giá phơi khăn mặt", 1), "MN011002": ("Tủ (giá) ca, cốc", 1),
        "MN011003": ("Tủ đựng đồ dùng cá nhân của trẻ", 2), "MN011004": ("Tủ đựng chăn, chiếu, màn", 2),
        "MN011005": ("Giường chơi", 2), "MN011006": ("Phản", 4), "MN011008": ("Bàn cho trẻ", 2),
        "MN011009": ("Ghế cho trẻ", 10), "MN011010": ("Ghế giáo viên", 3), "MN011011": ("Bàn quấn tã", 1),
        "MN011012": ("Thùng đựng nước có vòi", 1), "MN011013": ("Thùng đựng rác", 1), "MN011014": ("Xô", 2),
        "MN011015": ("Giá để giày dép", 1),
    }
    assert got == {code: (name, "cái", qty, "group", "furniture") for code, (name, qty) in published.items()}
    assert all(len(s) <= 200 for s in EquipmentItem.objects.values_list("source", flat=True))
