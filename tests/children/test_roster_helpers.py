"""Helpers of the roster tests (no tests here): real .xlsx files written with openpyxl, uploaded through the views."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import parse_qs, urlparse

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from mamnon.children.models import Child, Enrolment, Guardian
from mamnon.children.roster import COLUMNS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [c.header for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]


def make_xlsx(rows: list[dict] | list[list], *, headers: list[str] | None = None, title: str = "Danh sách trẻ",
              preamble: tuple = ()) -> bytes:
    """A workbook whose first sheet holds ``headers`` (the template's by default) and ``rows``.

    Rows given as dicts are laid out in the template's column order (missing keys: empty cells).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for line in preamble:
        ws.append(list(line))
    ws.append(headers if headers is not None else HEADERS)
    for r in rows:
        ws.append([r.get(k) for k in KEYS] if isinstance(r, dict) else list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def child_row(group, /, **overrides) -> dict:
    """A valid row for ``group`` of the classroom fixture (G1: 5-year-olds born 2018; G2: 25-36 months)."""
    born = "15/03/2018" if group.age_band == "k5" else "15/01/2021"
    row = {
        "full_name": "Nguyễn Văn An", "birth_date": born, "sex": "Nam", "ethnicity": "Kinh", "personal_id": None,
        "address": "Thị trấn An Lão", "guardian_name": "Nguyễn Thị Hoa", "guardian_relation": "Mẹ",
        "guardian_phone": "0912345678", "group": group.name,
    }
    row.update(overrides)
    return row


def counts() -> tuple[int, ...]:
    """Rows of every table an import writes, history included."""
    return (Child.objects.count(), Guardian.objects.count(), Enrolment.objects.count(), Child.history.count(),
            Guardian.history.count(), Enrolment.history.count())


def upload(client, content: bytes, *, school, start: str | dt.date = "05/09/2023", name: str = "roster.xlsx"):
    if isinstance(start, dt.date):
        start = start.strftime("%d/%m/%Y")
    file = SimpleUploadedFile(name, content, content_type=XLSX)
    return client.post(reverse("children:roster-import"), {"school": school.pk, "file": file, "start_date": start})


def token_of(response) -> str:
    assert response.status_code == 302, getattr(response, "content", b"")[:2000]
    return parse_qs(urlparse(response["Location"]).query)["token"][0]


def preview(client, content: bytes, *, school, **kw):
    """Upload and open the preview: (preview response, token)."""
    token = token_of(upload(client, content, school=school, **kw))
    response = client.get(reverse("children:roster-preview"), {"token": token})
    return response, token


def confirm(client, token: str):
    return client.post(reverse("children:roster-confirm"), {"token": token})
