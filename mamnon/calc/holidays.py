"""Vietnam's public holidays by year, as data (no lunar arithmetic here).

Which days are holidays is fixed by Bộ luật Lao động 45/2019/QH14, Điều 112 (Tết Dương lịch 1 day, Tết Âm
lịch 5 days, Giỗ Tổ Hùng Vương 10/3 âm lịch, 30/4, 1/5, Quốc khánh 2/9 and a day beside it); the exact Tết
days, the days in lieu (nghỉ bù) and swapped working days are announced each year by the Government (Văn
phòng Chính phủ, Bộ LĐTBXH / Bộ Nội vụ notices). The Gregorian dates of Tết and of Giỗ Tổ follow the
Vietnamese lunisolar calendar (UTC+7), which differs from the Chinese one in some years.

Source of the table: generated once with python-holidays 0.109 (the ``VN`` calendar, MIT licence;
vacanza/holidays), whose Vietnamese lunisolar tables and yearly special days cite the Labour Code and the
announcements above (2024: Công văn 2450/VPCP-KGVX; 2025: Thông báo 6150/TB-BLĐTBXH; 2026: the National Day
swap), checked by hand against the announced Tết breaks 2020-2026 (23-29/01/2020, 10-16/02/2021,
31/01-04/02/2022, 20-26/01/2023, 08-14/02/2024, 27/01-01/02/2025, 16-20/02/2026). Years after the last
announcement (2027, 2028) follow the Labour Code's default pattern and must be checked when the year's
notice is published. "Ngày Văn hóa Việt Nam" (24/11, from 2026) is listed by python-holidays after
Resolution 80-NQ/TW; delete it from a unit's calendar if it does not apply.

Schools' own Tết break for children is set each year by the province (kế hoạch thời gian năm học); a
province adds those days as closures after importing these.
"""

from __future__ import annotations

import datetime as dt

# year -> (date, name in Vietnamese) in date order, days in lieu included.
VN_PUBLIC_HOLIDAYS: dict[int, tuple[tuple[dt.date, str], ...]] = {
    2020: (
        (dt.date(2020, 1, 1), "Tết Dương lịch"),
        (dt.date(2020, 1, 23), "29 Tết"),
        (dt.date(2020, 1, 24), "Giao thừa Tết Nguyên Đán"),
        (dt.date(2020, 1, 25), "Tết Nguyên Đán"),
        (dt.date(2020, 1, 26), "Mùng hai Tết Nguyên Đán"),
        (dt.date(2020, 1, 27), "Mùng ba Tết Nguyên Đán"),
        (dt.date(2020, 1, 28), "Mùng bốn Tết Nguyên Đán"),
        (dt.date(2020, 1, 29), "Mùng năm Tết Nguyên Đán"),
        (dt.date(2020, 4, 2), "Ngày Giỗ Tổ Hùng Vương"),
        (dt.date(2020, 4, 30), "Ngày Chiến thắng"),
        (dt.date(2020, 5, 1), "Ngày Quốc tế Lao động"),
        (dt.date(2020, 9, 2), "Quốc khánh"),
    ),
    2021: (
        (dt.date(2021, 1, 1), "Tết Dương lịch"),
        (dt.date(2021, 2, 10), "29 Tết"),
        (dt.date(2021, 2, 11), "Giao thừa Tết Nguyên Đán"),
        (dt.date(2021, 2, 12), "Tết Nguyên Đán"),
        (dt.date(2021, 2, 13), "Mùng hai Tết Nguyên Đán"),
        (dt.date(2021, 2, 14), "Mùng ba Tết Nguyên Đán"),
        (dt.date(2021, 2, 15), "Mùng bốn Tết Nguyên Đán"),
        (dt.date(2021, 2, 16), "Mùng năm Tết Nguyên Đán"),
        (dt.date(2021, 4, 21), "Ngày Giỗ Tổ Hùng Vương"),
        (dt.date(2021, 4, 30), "Ngày Chiến thắng"),
        (dt.date(2021, 5, 1), "Ngày Quốc tế Lao động"),
        (dt.date(2021, 5, 3), "Ngày Quốc tế Lao động (nghỉ bù)"),
        (dt.date(2021, 9, 2), "Quốc khánh"),
        (dt.date(2021, 9, 3), "Quốc khánh"),
    ),
    2022: (
        (dt.date(2022, 1, 1), "Tết Dương lịch"),
        (dt.date(2022, 1, 3), "Tết Dương lịch (nghỉ bù)"),
        (dt.date(2022, 1, 31), "Giao thừa Tết Nguyên Đán"),
        (dt.date(2022, 2, 1), "Tết Nguyên Đán"),
        (dt.date(2022, 2, 2), "Mùng hai Tết Nguyên Đán"),
        (dt.date(2022, 2, 3), "Mùng ba Tết Nguyên Đán"),
        (dt.date(2022, 2, 4), "Mùng bốn Tết Nguyên Đán"),
        (dt.date(2022, 4, 10), "Ngày Giỗ Tổ Hùng Vương"),
        (dt.date(2022, 4, 11), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        (dt.date(2022, 4, 30), "Ngày Chiến thắng"),
        (dt.date(2022, 5, 1), "Ngày Quốc tế Lao động"),
        (dt.date(2022, 5, 2), "Ngày Chiến thắng (nghỉ bù)"),
        (dt.date(2022, 5, 3), "Ngày Quốc tế Lao động (nghỉ bù)"),
        (dt.date(2022, 9, 1), "Quốc khánh"),
        (dt.date(2022, 9, 2), "Quốc khánh"),
    ),
    2023: (
        (dt.date(2023, 1, 1), "Tết Dương lịch"),
        (dt.date(2023, 1, 2), "Tết Dương lịch (nghỉ bù)"),
        (dt.date(2023, 1, 20), "29 Tết"),
        (dt.date(2023, 1, 21), "Giao thừa Tết Nguyên Đán"),
        (dt.date(2023, 1, 22), "Tết Nguyên Đán"),
        (dt.date(2023, 1, 23), "Mùng hai Tết Nguyên Đán"),
        (dt.date(2023, 1, 24), "Mùng ba Tết Nguyên Đán"),
        (dt.date(2023, 1, 25), "Mùng bốn Tết Nguyên Đán"),
        (dt.date(2023, 1, 26), "Mùng năm Tết Nguyên Đán"),
        (dt.date(2023, 4, 29), "Ngày Giỗ Tổ Hùng Vương"),
        (dt.date(2023, 4, 30), "Ngày Chiến thắng"),
        (dt.date(2023, 5, 1), "Ngày Quốc tế Lao động"),
        (dt.date(2023, 5, 2), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        (dt.date(2023, 5, 3), "Ngày Chiến thắng (nghỉ bù)"),
        (dt.date(2023, 9, 1), "Quốc khánh"),
        (dt.date(2023, 9, 2), "Quốc khánh"),
        (dt.date(2023, 9, 4), "Quốc khánh (nghỉ bù)"),
    ),
    2024: (
        (dt.date(2024, 1, 1), "Tết Dương lịch"),
        (dt.date(2024, 2, 8), "29 Tết"),
        (dt.date(2024, 2, 9), "Giao thừa Tết Nguyên Đán"),
        (dt.date(2024, 2, 10), "Tết Nguyên Đán"),
        (dt.date(2024, 2, 11), "Mùng hai Tết Nguyên Đán"),
        (dt.date(2024, 2, 12), "Mùng ba Tết Nguyên Đán"),
        (dt.date(2024, 2, 13), "Mùng bốn Tết Nguyên Đán"),
        (dt.date(2024, 2, 14), "Mùng năm Tết Nguyên Đán"),
        (dt.date(2024, 4, 18), "Ngày Giỗ Tổ Hùng Vương"),
        (dt.date(2024, 4, 29), "Ngày nghỉ (thay cho ngày 04/05/2024)"),
        (dt.date(2024, 4, 30), "Ngày Chiến thắng"),
        (dt.date(2024, 5, 1), "Ngày Quốc tế Lao động"),
        (dt.date(2024, 9, 2), "Quốc khánh"),
        (dt.date(2024, 9, 3), "Quốc khánh"),
    ),
    2025: (
        (dt.date(2025, 1, 1), "Tết Dương lịch"),
        (dt.date(2025, 1, 27), "29 Tết"),
        (dt.date(2025, 1, 28), "Giao thừa Tết Nguyên Đán"),
        (dt.date(2025, 1, 29), "Tết Nguyên Đán"),
        (dt.date(2025, 1, 30), "Mùng hai Tết Nguyên Đán"),
        (dt.date(2025, 1, 31), "Mùng ba Tết Nguyên Đán"),
        (dt.date(2025, 2, 1), "Mùng bốn Tết Nguyên Đán"),
        (dt.date(2025, 4, 7), "Ngày Giỗ Tổ Hùng Vương"),
        (dt.date(2025, 4, 30), "Ngày Chiến thắng"),
        (dt.date(2025, 5, 1), "Ngày Quốc tế Lao động"),
        (dt.date(2025, 5, 2), "Ngày nghỉ (thay cho ngày 26/04/2025)"),
        (dt.date(2025, 9, 1), "Quốc khánh"),
        (dt.date(2025, 9, 2), "Quốc khánh"),
    ),
    2026: (
        (dt.date(2026, 1, 1), "Tết Dương lịch"),
        (dt.date(2026, 2, 16), "Giao thừa Tết Nguyên Đán"),
        (dt.date(2026, 2, 17), "Tết Nguyên Đán"),
        (dt.date(2026, 2, 18), "Mùng hai Tết Nguyên Đán"),
        (dt.date(2026, 2, 19), "Mùng ba Tết Nguyên Đán"),
        (dt.date(2026, 2, 20), "Mùng bốn Tết Nguyên Đán"),
        (dt.date(2026, 4, 26), "Ngày Giỗ Tổ Hùng Vương"),
        (dt.date(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        (dt.date(2026, 4, 30), "Ngày Chiến thắng"),
        (dt.date(2026, 5, 1), "Ngày Quốc tế Lao động"),
        (dt.date(2026, 8, 31), "Ngày nghỉ (thay cho ngày 22/08/2026)"),
        (dt.date(2026, 9, 1), "Quốc khánh"),
        (dt.date(2026, 9, 2), "Quốc khánh"),
        (dt.date(2026, 11, 24), "Ngày Văn hóa Việt Nam"),
    ),
    2027: (
        (dt.date(2027, 1, 1), "Tết Dương lịch"),
        (dt.date(2027, 2, 4), "29 Tết"),
        (dt.date(2027, 2, 5), "Giao thừa Tết Nguyên Đán"),
        (dt.date(2027, 2, 6), "Tết Nguyên Đán"),
        (dt.date(2027, 2, 7), "Mùng hai Tết Nguyên Đán"),
        (dt.date(2027, 2, 8), "Mùng ba Tết Nguyên Đán"),
        (dt.date(2027, 2, 9), "Mùng bốn Tết Nguyên Đán"),
        (dt.date(2027, 2, 10), "Mùng năm Tết Nguyên Đán"),
        (dt.date(2027, 4, 16), "Ngày Giỗ Tổ Hùng Vương"),
        (dt.date(2027, 4, 30), "Ngày Chiến thắng"),
        (dt.date(2027, 5, 1), "Ngày Quốc tế Lao động"),
        (dt.date(2027, 5, 3), "Ngày Quốc tế Lao động (nghỉ bù)"),
        (dt.date(2027, 9, 2), "Quốc khánh"),
        (dt.date(2027, 9, 3), "Quốc khánh"),
        (dt.date(2027, 11, 24), "Ngày Văn hóa Việt Nam"),
    ),
    2028: (
        (dt.date(2028, 1, 1), "Tết Dương lịch"),
        (dt.date(2028, 1, 3), "Tết Dương lịch (nghỉ bù)"),
        (dt.date(2028, 1, 24), "29 Tết"),
        (dt.date(2028, 1, 25), "Giao thừa Tết Nguyên Đán"),
        (dt.date(2028, 1, 26), "Tết Nguyên Đán"),
        (dt.date(2028, 1, 27), "Mùng hai Tết Nguyên Đán"),
        (dt.date(2028, 1, 28), "Mùng ba Tết Nguyên Đán"),
        (dt.date(2028, 1, 29), "Mùng bốn Tết Nguyên Đán"),
        (dt.date(2028, 4, 4), "Ngày Giỗ Tổ Hùng Vương"),
        (dt.date(2028, 4, 30), "Ngày Chiến thắng"),
        (dt.date(2028, 5, 1), "Ngày Quốc tế Lao động"),
        (dt.date(2028, 5, 2), "Ngày Chiến thắng (nghỉ bù)"),
        (dt.date(2028, 9, 1), "Quốc khánh"),
        (dt.date(2028, 9, 2), "Quốc khánh"),
        (dt.date(2028, 9, 4), "Quốc khánh (nghỉ bù)"),
        (dt.date(2028, 11, 24), "Ngày Văn hóa Việt Nam"),
    ),
}
# Saturdays worked in exchange for a bridge day off (the swapped day is in the table above).
VN_WEEKEND_WORKDAYS: dict[int, tuple[dt.date, ...]] = {
    2024: (dt.date(2024, 5, 4),),
    2025: (dt.date(2025, 4, 26),),
    2026: (dt.date(2026, 8, 22),),
}


SOURCE = "Bộ luật Lao động 2019, Điều 112; bảng ngày theo python-holidays 0.109 (VN)"


def years() -> list[int]:
    """Years the table covers."""
    return sorted(VN_PUBLIC_HOLIDAYS)


def public_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The year's public holidays and days in lieu, in date order (empty for a year not in the table)."""
    return list(VN_PUBLIC_HOLIDAYS.get(year, ()))


def weekend_workdays(year: int) -> list[dt.date]:
    """Saturdays worked in exchange for a day off next to a holiday (make-up days)."""
    return list(VN_WEEKEND_WORKDAYS.get(year, ()))
