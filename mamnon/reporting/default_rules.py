"""Figures of the reporting domain (loaded as core.Rule rows by this app's 0002 data migration)."""

import datetime as dt

LOCAL = "Quy định của đơn vị (cấu hình); chế độ báo cáo theo Thông tư 25/2024/TT-BGDĐT"

RULES = [
    ("report_reminder_days", 3, "Nhắc hạn nộp báo cáo trước bao nhiêu ngày", LOCAL, dt.date(2020, 1, 1)),
]
