"""The official layout as .xlsx (read back with openpyxl) and as a print view; LibreOffice opens it."""

import csv
import io
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from mamnon.reporting import exports, services
from mamnon.reporting.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def consolidated(round_form, world):
    services.reports_issue(form=round_form, period="2023-2024/R1")
    reports = {r.unit.code: r for r in Report.objects.filter(form=round_form).select_related("unit")}
    for key, user, enrolled, measured in (("S1a", "principal1a", 4, 4), ("S1b", "principal1b", 30, 28)):
        services.report_save(report=reports[key], values={"enrolled": enrolled, "measured": measured,
                                                          "underweight": 1, "stunting": 2, "wasting": 0,
                                                          "overweight": 1, "obese": 0}, actor=world.user(user))
        services.report_submit(report=reports[key], actor=world.user(user))
    services.report_consolidate(report=reports["D1"], actor=world.user("district1"))
    return reports


def _cells(ws):
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_school_report_xlsx_layout(consolidated, world):
    c = Client()
    c.force_login(world.user("principal1a"))
    response = c.get(reverse("reporting:report-xlsx", args=[consolidated["S1a"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == exports.XLSX_TYPE
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    cells = _cells(ws)
    assert cells["C1"] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert cells["C2"] == "Độc lập - Tự do - Hạnh phúc"
    assert cells["A1"] == "ZZ-D1" and cells["A2"] == "ZZ-S1A"  # the unit above, then the unit
    assert cells[f"A{exports.TITLE_ROW}"] == "BÁO CÁO KẾT QUẢ CÂN ĐO, CHẤM BIỂU ĐỒ TĂNG TRƯỞNG"
    rows = {v: ws.cell(row=cell.row, column=3).value for cell in ws["B"] for v in [cell.value] if v}
    assert rows["Số trẻ đang học"] == 4 and rows["Trẻ suy dinh dưỡng thể thấp còi"] == 2
    assert "HIỆU TRƯỞNG" in cells.values() and "NGƯỜI LẬP BIỂU" in cells.values()
    assert "Người dùng principal1a" in cells.values()  # who signed it off
    assert len(wb.sheetnames) == 1


def test_consolidation_xlsx_has_the_sums_and_the_units(consolidated, world):
    c = Client()
    c.force_login(world.user("district1"))
    response = c.get(reverse("reporting:report-xlsx", args=[consolidated["D1"].pk]))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    rows = {cell.value: ws.cell(row=cell.row, column=3).value for cell in ws["B"] if cell.value}
    assert rows["Số trẻ đang học"] == 34 and rows["Số trẻ được cân đo, theo dõi biểu đồ"] == 32  # 4 + 30, 4 + 28
    detail = wb.worksheets[1]
    assert [detail.cell(row=3, column=j).value for j in (2, 3)] == ["ZZ-S1a", "ZZ-S1b"]
    assert [detail.cell(row=4, column=j).value for j in (1, 2, 3)] == ["Số trẻ đang học", 4, 30]
    # Other districts and schools cannot download it.
    for key in ("district2", "principal1a", "teacher1a"):
        c.force_login(world.user(key))
        assert c.get(reverse("reporting:report-xlsx", args=[consolidated["D1"].pk])).status_code == 404


def test_print_view(consolidated, world):
    c = Client()
    c.force_login(world.user("district1"))
    body = c.get(reverse("reporting:report-print", args=[consolidated["D1"].pk])).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "Độc lập - Tự do - Hạnh phúc" in body
    assert "THỦ TRƯỞNG ĐƠN VỊ" in body and "ZZ-S1b" in body


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (.ci/run installs libreoffice-calc-nogui)")
def test_libreoffice_opens_the_xlsx(consolidated, tmp_path):
    """LibreOffice converts the consolidation's .xlsx without complaint and reads back its cells: the motto, the
    unit, the figures. A private profile directory (-env:UserInstallation) keeps parallel runs apart."""
    path = tmp_path / "report.xlsx"
    report = Report.objects.get(pk=consolidated["D1"].pk)
    path.write_bytes(exports.report_xlsx(report))
    out = tmp_path / "out"
    result = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(path)],
        check=False, timeout=180, capture_output=True, text=True)
    converted = out / "report.csv"
    assert result.returncode == 0 and converted.is_file(), (result.returncode, result.stdout, result.stderr)
    text = converted.read_text(encoding="utf-8")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "ZZ-D1" in text
    rows = list(csv.reader(io.StringIO(text)))
    figures = {row[1]: row[2] for row in rows if len(row) > 2 and row[1]}
    assert figures["Chỉ tiêu"] == "Số liệu"  # the table's header (not another app's "Item")
    assert figures["Số trẻ đang học"] == "34" and figures["Số trẻ được cân đo, theo dõi biểu đồ"] == "32"
