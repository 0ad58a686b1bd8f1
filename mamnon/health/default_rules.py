"""The figures of growth monitoring, as initial Rule rows (regulations.md section 9).

Nutrition status cut-offs (z-scores) are those of the WHO Child Growth Standards 2006 (0-59 months) and the
WHO Growth Reference 2007 (5-19 years), which Vietnamese schools plot on; the switch is at 60.0 months as in
WHO's software (``mamnon.calc.nutrition_status``). The change checks are local settings: a warning at entry,
never a rule that rejects a measurement.
"""

import datetime as dt

WHO2006 = "Chuẩn tăng trưởng trẻ em WHO 2006 (trẻ 0-59 tháng)"
WHO2007 = "Quần thể tham chiếu WHO 2007 (trẻ 5-19 tuổi)"
WHO_BOTH = "Chuẩn WHO 2006 (0-59 tháng) và quần thể tham chiếu WHO 2007 (5-19 tuổi)"
WHO_SOFTWARE = "Phần mềm WHO Anthro/AnthroPlus: chuẩn 2006 dưới 60,0 tháng (số ngày / 30,4375), tham chiếu 2007 từ 60"
SEED_002 = "Kế hoạch năm học của trường (seed 002): gửi kết quả cân đo về Phòng trước 20/9, 20/12, 20/3"
LOCAL = "Quy định của đơn vị (cấu hình)"

SINCE = dt.date(2006, 4, 27)  # WHO Child Growth Standards released
SINCE_2007 = dt.date(2007, 9, 1)

RULES = [
    # code, value, meaning, legal basis, effective from
    ("nutrition.low_z", "-2", "Suy dinh dưỡng vừa (nhẹ cân, thấp còi, gầy còm/gầy): z-score dưới mức này",
     WHO_BOTH, SINCE),
    ("nutrition.severe_z", "-3", "Suy dinh dưỡng nặng: z-score dưới mức này", WHO_BOTH, SINCE),
    ("nutrition.whz_overweight", "2", "Thừa cân (cân nặng theo chiều cao, dưới 60 tháng): z-score trên mức này",
     WHO2006, SINCE),
    ("nutrition.whz_obese", "3", "Béo phì (cân nặng theo chiều cao, dưới 60 tháng): z-score trên mức này",
     WHO2006, SINCE),
    ("nutrition.baz_overweight", "1", "Thừa cân (BMI theo tuổi, từ 60 tháng): z-score trên mức này",
     WHO2007, SINCE_2007),
    ("nutrition.baz_obese", "2", "Béo phì (BMI theo tuổi, từ 60 tháng): z-score trên mức này", WHO2007, SINCE_2007),
    ("nutrition.switch_months", "60", "Từ tháng tuổi này dùng tham chiếu WHO 2007 (BMI theo tuổi)", WHO_SOFTWARE,
     SINCE_2007),
    ("growth_check.height_loss_cm", "1.0", "Cảnh báo khi chiều cao giảm quá mức này (cm) so với lần đo trước",
     LOCAL, dt.date(2000, 1, 1)),
    ("growth_check.height_gain_cm_month", "3.0", "Cảnh báo khi chiều cao tăng quá mức này (cm/tháng)", LOCAL,
     dt.date(2000, 1, 1)),
    ("growth_check.weight_change_share", "0.2", "Cảnh báo khi cân nặng thay đổi quá tỉ lệ này so với lần cân trước",
     LOCAL, dt.date(2000, 1, 1)),
    ("growth_round.deadline_day", "20", "Hạn gửi kết quả cân đo: ngày này của tháng cân đo (20/9, 20/12, 20/3)",
     SEED_002, dt.date(2000, 1, 1)),
]
