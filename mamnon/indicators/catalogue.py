"""The indicator catalogue as data: every code of shared/domain/targets-from-seeds.md (plus attendance).

Loaded into ``Indicator`` rows by the data migrations ``0002_catalogue`` and ``0004_catalogue_texts_vi`` (and
again by the demo after a ``--replace``); ``load_catalogue`` is idempotent, so changing a text here and running
it again updates the rows (a text change ships with a data migration that runs it, like 0004).

Each entry: code, section, kind (computed from records / from the commune census / declared by the unit /
rule checked per record), measure (``ratio``: numerator / denominator x factor; ``count``: the numerator;
``mean``: numerator / denominator), factor, unit of measure, Vietnamese and English names; in English (the
positional arguments) and in Vietnamese (``vi=``) the definition, numerator and denominator in words, the group
covered and the seed targets; the regulation, the direction (``up``: higher is better, ``down``: lower is
better) and the period it is tracked by during a school year (``month``, ``round`` = the measurement rounds,
``year``). The Vietnamese texts use the seeds' own words (trẻ, nhóm trẻ, lớp mẫu giáo, học 2 buổi/ngày...).

Whether a code is *computed* at run time does not depend on ``kind``: a code with a family registered in
``mamnon.indicators.registry`` is computed; any other code is taken from the units' declarations.
"""

from __future__ import annotations

COMPUTED, CENSUS, DECLARED, RULE = "computed", "census", "declared", "rule"
RATIO, COUNT, MEAN = "ratio", "count", "mean"
UP, DOWN = "up", "down"
MONTH, ROUND, YEAR = "month", "round", "year"

S_ACCESS, S_FACILITIES, S_QUALITY, S_CARE, S_EDUCATION, S_STAFF, S_COMMUNITY = (
    "access", "facilities", "quality", "care", "education", "staff", "community")

TT52 = "Thông tư 52/2020/TT-BGDĐT (Điều lệ trường mầm non)"
TT19_2023 = "Thông tư 19/2023/TT-BGDĐT (định mức giáo viên)"
TT13_2020 = "Thông tư 13/2020/TT-BGDĐT, Điều 5 (quy mô trường)"
ND20 = "Nghị định 20/2014/NĐ-CP; Thông tư 07/2016/TT-BGDĐT (PCGDMN trẻ 5 tuổi)"
TT19_2018 = "Thông tư 19/2018/TT-BGDĐT (kiểm định chất lượng, chuẩn quốc gia)"
TT45 = "Thông tư 45/2021/TT-BGDĐT (trường học an toàn, phòng chống tai nạn thương tích)"
TT02_2022 = "Thông tư 02/2022/TT-BGDĐT (thiết bị dạy học tối thiểu)"
QD1246 = "Quyết định 1246/QĐ-BYT (bếp ăn tập thể, an toàn thực phẩm)"
PROGRAMME = "Chương trình GDMN (VBHN 01/2021/VBHN-BGDĐT)"
WHO = "Chuẩn tăng trưởng WHO 2006; Chương trình GDMN (theo dõi sức khỏe)"
TT03_2018 = "Thông tư 03/2018/TT-BGDĐT (giáo dục hòa nhập)"
LAW2019 = "Luật Giáo dục 2019, Điều 72 (trình độ chuẩn)"
TT26_2018 = "Thông tư 26/2018/TT-BGDĐT (chuẩn nghề nghiệp giáo viên mầm non)"
TT25_2018 = "Thông tư 25/2018/TT-BGDĐT (chuẩn hiệu trưởng)"
TT25_2024 = "Thông tư 25/2024/TT-BGDĐT (chế độ báo cáo thống kê)"
ND105 = "Nghị định 105/2020/NĐ-CP (chính sách phát triển GDMN)"
TT12_2015 = "Thông tư 12/2015/TT-BGDĐT; Kế hoạch của đơn vị"
SEED_PLAN = "Kế hoạch của đơn vị (xem hạt giống)"


TEXTS = ("definition", "numerator", "denominator", "covers", "seeds")  # each kept as *_en and *_vi


def _e(code, section, kind, measure, factor, unit, name_vi, name_en, definition, numerator, denominator, covers,
       seeds, regulation, direction=UP, tracked_by=MONTH, *, vi):
    """One entry; the English texts come positionally, ``vi`` holds the same five texts in Vietnamese."""
    en = (definition, numerator, denominator, covers, seeds)
    texts = {}
    for field, text_en, text_vi in zip(TEXTS, en, vi, strict=True):
        texts[f"{field}_en"], texts[f"{field}_vi"] = text_en, text_vi
    return {
        "code": code, "section": section, "kind": kind, "measure": measure, "factor": factor, "unit": unit,
        "name_vi": name_vi, "name_en": name_en, **texts, "regulation": regulation,
        "direction": direction, "tracked_by": tracked_by,
    }


PCT = "%"
CATALOGUE = [
    # --- access and network (huy động, mạng lưới) ---
    _e("ENR_CRECHE", S_ACCESS, CENSUS, RATIO, 100, PCT, "Tỷ lệ huy động trẻ nhà trẻ",
       "Creche enrolment rate", "Children aged 3-36 months living in the area who attend a preschool.",
       "creche-age children of the area attending", "creche-age children of the area (commune census)",
       "3-36 months", "000: 42.5%; 001: >= 65% by 2025; 002: 45%", ND20, tracked_by=YEAR,
       vi=("Trẻ từ 3 đến 36 tháng tuổi sống trên địa bàn được huy động đến học tại cơ sở giáo dục mầm non.",
           "trẻ độ tuổi nhà trẻ trên địa bàn được huy động ra lớp",
           "trẻ độ tuổi nhà trẻ trên địa bàn (theo điều tra trẻ của xã)", "trẻ 3-36 tháng tuổi",
           "000: đạt 42,5%; 001: ≥ 65% đến năm 2025; 002: đạt 45%")),
    _e("ENR_KINDER", S_ACCESS, CENSUS, RATIO, 100, PCT, "Tỷ lệ huy động trẻ mẫu giáo",
       "Kindergarten enrolment rate", "Children aged 3-5 living in the area who attend a preschool.",
       "kindergarten-age children of the area attending", "kindergarten-age children of the area (census)",
       "3-5 years", "000: 97%; 001: 100%; 002: 98%", ND20, tracked_by=YEAR,
       vi=("Trẻ từ 3 đến 5 tuổi sống trên địa bàn được huy động đến học tại cơ sở giáo dục mầm non.",
           "trẻ độ tuổi mẫu giáo trên địa bàn được huy động ra lớp",
           "trẻ độ tuổi mẫu giáo trên địa bàn (theo điều tra trẻ)", "trẻ 3-5 tuổi",
           "000: đạt 97%; 001: đạt 100%; 002: đạt 98%")),
    _e("ENR_5Y", S_ACCESS, CENSUS, RATIO, 100, PCT, "Tỷ lệ huy động trẻ 5 tuổi", "Enrolment rate of 5-year-olds",
       "Five-year-olds living in the area who attend a preschool.", "5-year-olds of the area attending",
       "5-year-olds of the area (census)", "5 years", "000, 002: 100%", ND20, tracked_by=YEAR,
       vi=("Trẻ 5 tuổi sống trên địa bàn được huy động đến học tại cơ sở giáo dục mầm non.",
           "trẻ 5 tuổi trên địa bàn được huy động ra lớp", "trẻ 5 tuổi trên địa bàn (theo điều tra trẻ)", "trẻ 5 tuổi",
           "000, 002: 100% trẻ 5 tuổi được huy động đến trường")),
    _e("ENR_PUBLIC_SHARE", S_ACCESS, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ học tại cơ sở công lập",
       "Share of children in public institutions",
       "Children enrolled in public schools among all children enrolled (the rest attend non-public ones).",
       "children enrolled in public schools", "children enrolled", "all children", "001: 60% / 40%", ND105,
       vi=("Trẻ học tại các trường công lập trên tổng số trẻ đang học (số còn lại học tại cơ sở ngoài công lập).",
           "trẻ học tại trường công lập", "trẻ đang học", "toàn bộ trẻ", "001: công lập 60%, ngoài công lập 40%")),
    _e("FULLDAY", S_ACCESS, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ học 2 buổi/ngày",
       "Share of children learning two sessions a day",
       "Children enrolled in full-day (2-session) groups among all children enrolled.",
       "children in full-day groups", "children enrolled", "all children", "000, 001, 002: 100%", TT52,
       vi=("Trẻ học ở các nhóm, lớp tổ chức học 2 buổi/ngày trên tổng số trẻ đang học.", "trẻ học 2 buổi/ngày",
           "trẻ đang học", "toàn bộ trẻ", "000, 001, 002: 100% trẻ học 2 buổi/ngày")),
    _e("FULLDAY_5Y", S_ACCESS, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ 5 tuổi học 2 buổi/ngày",
       "Share of 5-year-olds learning two sessions a day",
       "Children of 5-6-year-old classes enrolled in full-day classes among all children of those classes.",
       "children of 5-year-old full-day classes", "children of 5-year-old classes", "5 years", "000: 100%", ND20,
       vi=("Trẻ các lớp mẫu giáo 5-6 tuổi học 2 buổi/ngày trên tổng số trẻ của các lớp đó.",
           "trẻ lớp 5 tuổi học 2 buổi/ngày", "trẻ các lớp 5 tuổi", "trẻ 5 tuổi",
           "000: 100% trẻ 5 tuổi học 2 buổi/ngày")),
    _e("SEMI_BOARDING", S_ACCESS, COMPUTED, RATIO, 100, PCT, "Tỷ lệ nhóm, lớp tổ chức bán trú",
       "Share of groups with semi-boarding meals", "Groups and classes of the year that serve lunch at school.",
       "semi-boarding groups", "groups and classes", "groups and classes", "001: 100%", TT19_2018,
       vi=("Nhóm, lớp trong năm học có tổ chức cho trẻ ăn bán trú tại trường.", "nhóm, lớp tổ chức bán trú",
           "nhóm, lớp", "nhóm, lớp", "001: 100% nhóm, lớp ăn bán trú")),
    _e("CLASS_SIZE", S_ACCESS, COMPUTED, MEAN, 1, "trẻ/lớp", "Số trẻ bình quân/nhóm, lớp",
       "Children per group or class", "Children enrolled divided by the groups and classes of the year; "
       "each group is also checked against the charter maximum for its age band.",
       "children enrolled", "groups and classes", "groups and classes", "002: 16 groups, 480 children",
       TT52 + ", Điều 15", direction=DOWN,
       vi=("Tổng số trẻ đang học chia cho số nhóm, lớp trong năm học; từng nhóm, lớp còn được đối chiếu với số trẻ "
           "tối đa theo độ tuổi quy định tại Điều lệ trường mầm non.", "trẻ đang học", "nhóm, lớp", "nhóm, lớp",
           "002: 16 nhóm, lớp, 480 trẻ")),
    _e("SCHOOL_SIZE", S_ACCESS, RULE, MEAN, 1, "nhóm, lớp/trường", "Số nhóm, lớp bình quân/trường",
       "Groups and classes per school", "Groups and classes of the year divided by the schools that have any; "
       "a school should have 9 to 20 (5 in disadvantaged areas).",
       "groups and classes", "schools", "schools", "000: not more than 20 after mergers", TT13_2020,
       direction=DOWN, tracked_by=YEAR,
       vi=("Số nhóm, lớp trong năm học chia cho số trường có nhóm, lớp; mỗi trường nên có từ 9 đến 20 nhóm, lớp "
           "(vùng khó khăn: tối thiểu 5).", "nhóm, lớp", "trường", "trường",
           "000: không quá 20 nhóm, lớp/trường sau khi sáp nhập")),
    _e("PCGD_COMMUNES", S_ACCESS, CENSUS, RATIO, 100, PCT, "Tỷ lệ xã đạt chuẩn PCGDMN trẻ 5 tuổi",
       "Communes recognised for universal preschool education",
       "Communes (and districts) recognised for universal preschool education of 5-year-olds.",
       "communes recognised", "communes", "communes", "000: 217/217 communes, 15/15 districts", ND20,
       tracked_by=YEAR,
       vi=("Xã (và huyện) được công nhận đạt chuẩn phổ cập giáo dục mầm non cho trẻ em 5 tuổi.",
           "xã được công nhận đạt chuẩn", "xã", "xã, phường, thị trấn", "000: 217/217 xã, 15/15 quận, huyện")),
    _e("NEW_SCHOOLS", S_ACCESS, DECLARED, COUNT, 1, "trường", "Số trường công lập xây mới",
       "New public schools built", "Public schools newly built during the period.", "new public schools", "",
       "schools", "001: 11 schools, about 862 billion VND", SEED_PLAN, tracked_by=YEAR,
       vi=("Trường mầm non công lập được xây mới trong kỳ.", "trường công lập xây mới", "", "trường",
           "001: 11 trường, khoảng 862 tỷ đồng")),
    # --- facilities and equipment ---
    _e("EQUIP_MIN", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ nhóm, lớp đủ đồ dùng, đồ chơi, thiết bị tối thiểu",
       "Share of groups with the minimum equipment", "Groups and classes holding the minimum equipment list.",
       "groups with the minimum equipment", "groups and classes", "groups and classes", "000: 97%; 002: 100%",
       TT02_2022, tracked_by=YEAR,
       vi=("Nhóm, lớp có đủ đồ dùng, đồ chơi, thiết bị dạy học tối thiểu theo danh mục.",
           "nhóm, lớp đủ đồ dùng, đồ chơi, thiết bị tối thiểu", "nhóm, lớp", "nhóm, lớp",
           "000: 97%; 002: 100% nhóm, lớp")),
    _e("KITCHEN_ONEWAY", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ bếp một chiều",
       "Share of one-way kitchens", "Kitchens built and used as one-way kitchens.", "one-way kitchens",
       "kitchens", "kitchens", "000: 80%", QD1246, tracked_by=YEAR,
       vi=("Bếp ăn được xây dựng và sử dụng đúng quy trình bếp một chiều.", "bếp một chiều", "bếp ăn", "bếp ăn",
           "000: 80% bếp ăn đúng quy chuẩn bếp 1 chiều")),
    _e("TOILET_STD", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ nhà vệ sinh đạt chuẩn",
       "Share of standard toilets", "Toilets meeting the standard.", "standard toilets", "toilets", "toilets",
       "000: 77%", TT13_2020, tracked_by=YEAR,
       vi=("Nhà vệ sinh đạt chuẩn về cơ sở vật chất.", "nhà vệ sinh đạt chuẩn", "nhà vệ sinh", "nhà vệ sinh",
           "000: 77% nhà vệ sinh đạt chuẩn")),
    _e("INTERNET_SW", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường kết nối internet, dùng phần mềm quản lý",
       "Share of schools online with management software",
       "Schools connected to the internet and using management software.", "schools connected", "schools",
       "schools", "000: 100%", SEED_PLAN, tracked_by=YEAR,
       vi=("Trường kết nối internet và sử dụng phần mềm hỗ trợ công tác quản lý.",
           "trường kết nối internet, dùng phần mềm quản lý", "trường", "trường", "000: 100% trường")),
    _e("ONLINE_MEETING", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ cơ sở có phòng họp trực tuyến",
       "Share of institutions with an online meeting room", "Institutions with an online meeting room.",
       "institutions with an online meeting room", "institutions", "institutions",
       "000: at least 35% in each district", SEED_PLAN, tracked_by=YEAR,
       vi=("Cơ sở giáo dục mầm non có phòng họp trực tuyến.", "cơ sở có phòng họp trực tuyến", "cơ sở GDMN",
           "cơ sở GDMN", "000: ít nhất 35% ở mỗi quận, huyện")),
    _e("WEBSITE", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường có trang thông tin điện tử",
       "Share of schools running a website", "Schools running their own website.", "schools with a website",
       "schools", "schools", "000, 001: 100%", "Thông tư 09/2024/TT-BGDĐT (công khai)", tracked_by=YEAR,
       vi=("Trường có trang thông tin điện tử (website) riêng.", "trường có trang thông tin điện tử", "trường",
           "trường", "000, 001: 100% trường")),
    _e("LIBRARY", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường công lập có thư viện mầm non",
       "Share of public schools with a library", "Public schools with a preschool library.",
       "public schools with a library", "public schools", "public schools", "001: 100%", SEED_PLAN,
       tracked_by=YEAR,
       vi=("Trường mầm non công lập có thư viện mầm non.", "trường công lập có thư viện", "trường công lập",
           "trường công lập", "001: 100% trường công lập")),
    _e("COMPUTER_ROOM", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường có phòng máy tính cho trẻ",
       "Share of schools with a computer room", "Schools with a computer room for children.",
       "schools with a computer room", "schools", "schools", "001: 100%", SEED_PLAN, tracked_by=YEAR,
       vi=("Trường có phòng máy tính cho trẻ.", "trường có phòng máy tính", "trường", "trường", "001: 100% trường")),
    _e("E_SCHOOL", S_FACILITIES, DECLARED, COUNT, 1, "trường", "Số trường học điện tử", "E-schools",
       "Schools run as e-schools (trường học điện tử).", "e-schools", "", "schools",
       "001: 11 by 2025, at least 1 more each year", SEED_PLAN, tracked_by=YEAR,
       vi=("Trường thực hiện mô hình “trường học điện tử”.", "trường học điện tử", "", "trường",
           "001: 11 trường đến năm 2025, mỗi năm thêm ít nhất 1 trường")),
    _e("GRASS_YARD", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ diện tích sân cỏ", "Share of grass yard area",
       "Grass area of the yards over the yards' total area.", "grass area (m²)", "yard area (m²)", "yards",
       "001: 50%", SEED_PLAN, tracked_by=YEAR,
       vi=("Diện tích sân cỏ trên tổng diện tích sân vườn.", "diện tích sân cỏ (m²)", "diện tích sân vườn (m²)",
           "sân vườn", "001: 50% diện tích sân vườn là sân cỏ")),
    # --- quality assurance and safety ---
    _e("SELF_ASSESS", S_QUALITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường hoàn thành tự đánh giá",
       "Share of schools that completed the self-assessment",
       "Schools that completed the accreditation self-assessment.", "schools with a self-assessment",
       "schools", "schools", "000: 98%", TT19_2018, tracked_by=YEAR,
       vi=("Trường đã hoàn thành tự đánh giá kiểm định chất lượng giáo dục.", "trường hoàn thành tự đánh giá", "trường",
           "trường", "000: 98% trường")),
    _e("ACCRED_L1", S_QUALITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường đạt kiểm định cấp độ 1 trở lên",
       "Share of schools accredited at level 1 or above",
       "Schools externally evaluated at accreditation level 1 or above.", "schools accredited", "schools",
       "schools", "000: 60%", TT19_2018, tracked_by=YEAR,
       vi=("Trường được đánh giá ngoài, đạt kiểm định chất lượng giáo dục cấp độ 1 trở lên.", "trường đạt kiểm định",
           "trường", "trường", "000: 60% trường")),
    _e("NATSTD", S_QUALITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường công lập đạt chuẩn quốc gia",
       "Share of public schools of national standard", "Public schools recognised as national-standard "
       "schools (new this year, and the share at level 2, are tracked as targets on the same code).",
       "public national-standard schools", "public schools", "public schools",
       "000: 6 new; 001: 95% of public schools, at least 25% at level 2", TT19_2018, tracked_by=YEAR,
       vi=("Trường công lập được công nhận đạt chuẩn quốc gia (số trường mới công nhận trong năm và tỷ lệ trường đạt "
           "mức độ 2 được theo dõi thành chỉ tiêu trên cùng mã này).", "trường công lập đạt chuẩn quốc gia",
           "trường công lập", "trường công lập",
           "000: 6 trường mới; 001: 95% trường công lập, ít nhất 25% đạt mức độ 2")),
    _e("SAFE_SCHOOL", S_QUALITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ cơ sở đạt trường học an toàn",
       "Share of safe schools", "Institutions meeting the safe-school and injury-prevention standard.",
       "institutions meeting the standard", "institutions", "institutions", "000, 001: 100%", TT45,
       tracked_by=YEAR,
       vi=("Cơ sở giáo dục mầm non đạt tiêu chuẩn trường học an toàn, phòng chống tai nạn thương tích.",
           "cơ sở đạt tiêu chuẩn", "cơ sở GDMN", "cơ sở GDMN", "000, 001: 100% cơ sở")),
    _e("INCIDENTS", S_QUALITY, DECLARED, COUNT, 1, "vụ", "Số vụ mất an toàn", "Safety incidents",
       "Epidemics, food poisoning, fire, school pollution, abuse and injuries to children.", "incidents", "",
       "children", "000, 002: 0", TT45, direction=DOWN,
       vi=("Các vụ dịch bệnh, ngộ độc thực phẩm, cháy nổ, ô nhiễm môi trường trường học, bạo hành hoặc mất an toàn "
           "gây tai nạn thương tích cho trẻ.", "số vụ", "", "trẻ", "000, 002: không để xảy ra (0 vụ)")),
    _e("ILLEGAL_GROUPS", S_QUALITY, DECLARED, COUNT, 1, "nhóm", "Số nhóm lớp độc lập hoạt động không phép",
       "Unlicensed independent groups", "Independent groups operating without a licence.",
       "unlicensed groups", "", "independent groups", "000: 0", "Thông tư 49/2021/TT-BGDĐT",
       direction=DOWN, tracked_by=YEAR,
       vi=("Nhóm lớp độc lập hoạt động khi chưa được cấp phép.", "nhóm lớp không phép", "", "nhóm lớp độc lập",
           "000: không có (0 nhóm)")),
    _e("FOREIGN_INSPECTED", S_QUALITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ cơ sở có yếu tố nước ngoài được kiểm tra",
       "Share of institutions with foreign elements inspected", "Institutions with foreign elements inspected.",
       "institutions inspected", "institutions with foreign elements", "institutions", "000: 100%",
       SEED_PLAN, tracked_by=YEAR,
       vi=("Cơ sở giáo dục mầm non có yếu tố nước ngoài được kiểm tra, đánh giá.", "cơ sở được kiểm tra",
           "cơ sở có yếu tố nước ngoài", "cơ sở GDMN", "000: 100% cơ sở")),
    # --- care and nutrition ---
    _e("GROWTH_MONITORED", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ được cân đo, theo dõi biểu đồ tăng trưởng",
       "Share of children weighed, measured and plotted", "Children weighed and measured in the round and "
       "plotted on the WHO growth chart among the children enrolled.", "children measured",
       "children enrolled", "all children", "000, 001, 002: 100%", WHO, tracked_by=ROUND,
       vi=("Trẻ được cân đo trong đợt và chấm biểu đồ tăng trưởng của WHO trên tổng số trẻ đang học.",
           "trẻ được cân đo", "trẻ đang học", "toàn bộ trẻ", "000, 001, 002: 100% trẻ")),
    _e("SELF_SERVICE", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ có kỹ năng tự phục vụ phù hợp độ tuổi",
       "Share of children with self-service skills", "Children with age-appropriate self-service skills.",
       "children rated as having the skills", "children assessed", "all children", "000, 002: above 95%",
       PROGRAMME, tracked_by=YEAR,
       vi=("Trẻ có kỹ năng tự phục vụ phù hợp với độ tuổi.", "trẻ được đánh giá có kỹ năng", "trẻ được đánh giá",
           "toàn bộ trẻ", "000, 002: trên 95% trẻ")),
    _e("UNDERWEIGHT", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ suy dinh dưỡng thể nhẹ cân",
       "Share of children underweight", "Children with weight-for-age below -2 SD among those measured.",
       "children underweight", "children measured", "all children",
       "000, 002: reduce by 1.2 points versus the start of the year; 001: reduce by 0.3 points a year",
       WHO, direction=DOWN, tracked_by=ROUND,
       vi=("Trẻ có cân nặng theo tuổi dưới -2SD trên tổng số trẻ được cân đo.", "trẻ suy dinh dưỡng thể nhẹ cân",
           "trẻ được cân đo", "toàn bộ trẻ", "000, 002: giảm 1,2% so với đầu năm học; 001: giảm trung bình 0,3%/năm")),
    _e("STUNTING", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ suy dinh dưỡng thể thấp còi",
       "Share of children stunted", "Children with height-for-age below -2 SD among those measured.",
       "children stunted", "children measured", "all children",
       "000, 002: reduce by 1.2 points versus the start of the year; 001: reduce by 0.2 points a year",
       WHO, direction=DOWN, tracked_by=ROUND,
       vi=("Trẻ có chiều cao theo tuổi dưới -2SD trên tổng số trẻ được cân đo.", "trẻ suy dinh dưỡng thể thấp còi",
           "trẻ được cân đo", "toàn bộ trẻ", "000, 002: giảm 1,2% so với đầu năm học; 001: giảm trung bình 0,2%/năm")),
    _e("WASTING", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ suy dinh dưỡng thể gầy còm",
       "Share of children wasted", "Children with weight-for-length/height below -2 SD among those assessed.",
       "children wasted", "children assessed", "all children", "(reported with the growth rounds)", WHO,
       direction=DOWN, tracked_by=ROUND,
       vi=("Trẻ có cân nặng theo chiều dài/chiều cao dưới -2SD trên tổng số trẻ được đánh giá.",
           "trẻ suy dinh dưỡng thể gầy còm", "trẻ được đánh giá", "toàn bộ trẻ", "(báo cáo cùng các đợt cân đo)")),
    _e("OBESE", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ béo phì", "Share of children obese",
       "Children above +3 SD (weight-for-length/height) among those assessed.", "children obese",
       "children assessed", "all children", "000, 001, 002: kept under control", WHO, direction=DOWN,
       tracked_by=ROUND,
       vi=("Trẻ có cân nặng theo chiều dài/chiều cao trên +3SD trên tổng số trẻ được đánh giá.", "trẻ béo phì",
           "trẻ được đánh giá", "toàn bộ trẻ", "000, 001, 002: khống chế tỷ lệ béo phì")),
    _e("OVERWEIGHT", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ thừa cân, béo phì",
       "Share of children overweight or obese", "Children above +2 SD (weight-for-height or BMI-for-age) "
       "among those measured.", "children overweight or obese", "children measured", "all children",
       "000, 001, 002: not above the start of the year", WHO, direction=DOWN, tracked_by=ROUND,
       vi=("Trẻ trên +2SD (cân nặng theo chiều cao hoặc BMI theo tuổi) trên tổng số trẻ được cân đo.",
           "trẻ thừa cân, béo phì", "trẻ được cân đo", "toàn bộ trẻ",
           "000, 001, 002: khống chế, không cao hơn đầu năm học")),
    _e("MEAL_NORMS", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ ngày ăn đạt nhu cầu khuyến nghị",
       "Share of served days meeting the nutrition norms", "Served days whose menu meets the energy and "
       "protein / lipid / glucid norms for the age group.", "days meeting the norms", "days served",
       "all children", "000, 002: meals meet the recommended needs by age", PROGRAMME,
       vi=("Ngày ăn có thực đơn đáp ứng nhu cầu năng lượng và tỷ lệ chất đạm / chất béo / chất bột đường khuyến nghị "
           "theo độ tuổi.", "ngày ăn đạt nhu cầu khuyến nghị", "ngày có tổ chức ăn", "toàn bộ trẻ",
           "000, 002: đáp ứng nhu cầu dinh dưỡng theo khuyến nghị theo độ tuổi")),
    _e("MEAL_FEE", S_CARE, DECLARED, MEAN, 1, "đồng/ngày", "Mức tiền ăn/ngày", "Daily meal fee",
       "Daily meal fee charged (food and fuel).", "meal fee (VND a day)", "schools", "all children",
       "002: 28,000 VND/day (25,000 food, 3,000 fuel)", SEED_PLAN, direction=DOWN, tracked_by=YEAR,
       vi=("Mức tiền ăn thu mỗi ngày của trẻ (tiền ăn và chất đốt).", "tiền ăn (đồng/ngày)", "trường", "toàn bộ trẻ",
           "002: 28.000 đồng/ngày (25.000 đồng tiền ăn, 3.000 đồng chất đốt)")),
    # --- education ---
    _e("INCLUSION", S_EDUCATION, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ khuyết tật học hòa nhập",
       "Share of children with disabilities in inclusive education",
       "Children with a recorded disability enrolled in a group among the children with a disability the "
       "schools record. (Against the commune census of children with disabilities once it exists.)",
       "children with disabilities enrolled in groups", "children with disabilities recorded",
       "children with disabilities", "000: 75%", TT03_2018,
       vi=("Trẻ khuyết tật đã được ghi nhận đang học tại nhóm, lớp trên tổng số trẻ khuyết tật các trường ghi nhận "
           "(sẽ tính theo số trẻ khuyết tật của điều tra trẻ khi có số liệu).",
           "trẻ khuyết tật học hòa nhập tại nhóm, lớp", "trẻ khuyết tật được ghi nhận", "trẻ khuyết tật",
           "000: 75% trẻ khuyết tật được học hòa nhập")),
    _e("ENGLISH", S_EDUCATION, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ mẫu giáo được làm quen tiếng Anh",
       "Share of kindergarten children familiarised with English",
       "Kindergarten children enrolled in classes with English familiarisation.",
       "kindergarten children in English classes", "kindergarten children enrolled", "3-6 years",
       "000: 11.0%; 002: >= 80% rated đạt", "Thông tư 50/2020/TT-BGDĐT (làm quen tiếng Anh)",
       vi=("Trẻ mẫu giáo học ở các lớp có tổ chức cho trẻ làm quen với tiếng Anh.",
           "trẻ mẫu giáo ở lớp làm quen tiếng Anh", "trẻ mẫu giáo đang học", "trẻ 3-6 tuổi",
           "000: 11,0%; 002: ≥ 80% trẻ được đánh giá đạt")),
    _e("DOMAIN_ASSESS", S_EDUCATION, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ đạt yêu cầu các lĩnh vực phát triển",
       "Share of children rated 'đạt' in the education domains", "End-of-term ratings 'đạt' among the "
       "children assessed.", "children rated đạt", "children assessed", "all children",
       "002: >= 85% đạt, <= 15% cần cố gắng, 0 chưa đạt", PROGRAMME, tracked_by=YEAR,
       vi=("Trẻ được đánh giá “đạt” cuối học kỳ trên tổng số trẻ được đánh giá.", "trẻ được đánh giá đạt",
           "trẻ được đánh giá", "toàn bộ trẻ", "002: ≥ 85% đạt, ≤ 15% cần cố gắng, không có trẻ chưa đạt")),
    _e("MODELS", S_EDUCATION, DECLARED, COUNT, 1, "mô hình", "Số mô hình điểm", "Model sites",
       "Model sites (mô hình điểm): advanced methods, green-safe-friendly school, inclusive education, "
       "model independent group.", "model sites", "", "institutions",
       "000: 1 + 1 per district; 001: 3 model schools, 2 inclusive-education models", SEED_PLAN,
       tracked_by=YEAR,
       vi=("Mô hình điểm: áp dụng phương pháp giáo dục tiên tiến, trường học xanh - an toàn - thân thiện, giáo dục "
           "hòa nhập, nhóm lớp độc lập điển hình.", "mô hình điểm", "", "cơ sở GDMN",
           "000: 1 + 1 mô hình mỗi quận, huyện; 001: 3 trường điểm, 2 mô hình giáo dục hòa nhập")),
    _e("TOI_YEU_VN", S_EDUCATION, DECLARED, RATIO, 100, PCT, "Tỷ lệ cơ sở thực hiện chương trình \"Tôi yêu Việt Nam\"",
       "Share of institutions running 'Tôi yêu Việt Nam'", "Institutions implementing the 'Tôi yêu Việt Nam' "
       "traffic-safety programme.", "institutions implementing it", "institutions", "institutions",
       "000: at least 80%", "Quyết định 1901/QĐ-BGDĐT", tracked_by=YEAR,
       vi=("Cơ sở giáo dục mầm non triển khai chương trình giáo dục an toàn giao thông “Tôi yêu Việt Nam”.",
           "cơ sở triển khai chương trình", "cơ sở GDMN", "cơ sở GDMN", "000: ít nhất 80% cơ sở")),
    _e("ATTENDANCE", S_EDUCATION, COMPUTED, RATIO, 100, PCT, "Tỷ lệ chuyên cần", "Attendance rate",
       "Child-days present (on time or late) among the child-days registered on school days.",
       "child-days present", "child-days registered", "all children",
       "national standard: at least 85% (90% for 5-year-olds)", TT19_2018 + ", chuẩn quốc gia mức độ 1",
       vi=("Tổng số lượt trẻ có mặt (đúng giờ hoặc đến muộn) trên tổng số lượt trẻ theo danh sách lớp trong các ngày "
           "học.", "lượt trẻ có mặt", "lượt trẻ theo danh sách", "toàn bộ trẻ",
           "chuẩn quốc gia: ít nhất 85% (trẻ 5 tuổi: 90%)")),
    _e("ATTENDANCE_5Y", S_EDUCATION, COMPUTED, RATIO, 100, PCT, "Tỷ lệ chuyên cần trẻ 5 tuổi",
       "Attendance rate of 5-year-olds", "Child-days present among the child-days registered in 5-6-year-old "
       "classes.", "child-days present", "child-days registered", "5 years", "national standard: at least 90%",
       TT19_2018 + ", chuẩn quốc gia mức độ 1",
       vi=("Tổng số lượt trẻ có mặt trên tổng số lượt trẻ theo danh sách của các lớp mẫu giáo 5-6 tuổi.",
           "lượt trẻ có mặt", "lượt trẻ theo danh sách", "trẻ 5 tuổi", "chuẩn quốc gia: ít nhất 90%")),
    # --- staff ---
    _e("T_PER_CRECHE", S_STAFF, COMPUTED, MEAN, 1, "GV/nhóm", "Số giáo viên/nhóm trẻ", "Teachers per creche group",
       "Teachers assigned to creche groups divided by the creche groups.", "teachers of creche groups",
       "creche groups", "creche", "000: 2.5", TT19_2023, tracked_by=YEAR,
       vi=("Số giáo viên được phân công ở các nhóm trẻ chia cho số nhóm trẻ.", "giáo viên các nhóm trẻ", "nhóm trẻ",
           "nhà trẻ", "000: 2,5 giáo viên/nhóm")),
    _e("T_PER_KINDER", S_STAFF, COMPUTED, MEAN, 1, "GV/lớp", "Số giáo viên/lớp mẫu giáo",
       "Teachers per kindergarten class", "Teachers assigned to kindergarten classes divided by the classes.",
       "teachers of kindergarten classes", "kindergarten classes", "kindergarten", "000: 2.2", TT19_2023,
       tracked_by=YEAR,
       vi=("Số giáo viên được phân công ở các lớp mẫu giáo chia cho số lớp mẫu giáo.", "giáo viên các lớp mẫu giáo",
           "lớp mẫu giáo", "mẫu giáo", "000: 2,2 giáo viên/lớp")),
    _e("T_QUAL_STD", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ giáo viên đạt chuẩn trình độ đào tạo trở lên",
       "Share of teachers at or above the standard training level",
       "Teachers holding at least a college degree in preschool pedagogy.", "teachers at standard",
       "teachers", "teachers", "000: 84.0%; 001: 100% by 2025", LAW2019, tracked_by=YEAR,
       vi=("Giáo viên có bằng cao đẳng sư phạm mầm non trở lên (đạt chuẩn trình độ đào tạo).",
           "giáo viên đạt chuẩn trình độ đào tạo", "giáo viên", "giáo viên", "000: 84,0%; 001: 100% đến năm 2025")),
    _e("T_UNIV", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ giáo viên có trình độ đại học trở lên",
       "Share of teachers with a university degree", "Teachers with a university degree or higher.",
       "teachers with a degree", "teachers", "teachers", "001: 70% by 2025", LAW2019, tracked_by=YEAR,
       vi=("Giáo viên có trình độ đại học trở lên.", "giáo viên có trình độ đại học", "giáo viên", "giáo viên",
           "001: 70% đến năm 2025")),
    _e("M_UNIV", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBQL có trình độ đại học sư phạm mầm non trở lên",
       "Share of managers with a university degree", "Managers with a university degree in preschool "
       "pedagogy or higher.", "managers with a degree", "managers", "managers", "001: 100%", LAW2019,
       tracked_by=YEAR,
       vi=("Cán bộ quản lý có trình độ đại học sư phạm mầm non trở lên.", "CBQL có trình độ đại học", "CBQL", "CBQL",
           "001: 100% CBQL")),
    _e("T_PROF_STD", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ giáo viên đạt chuẩn nghề nghiệp",
       "Share of teachers meeting the professional standard", "Teachers rated at or above 'đạt' on the "
       "professional standard (the share 'khá' or better is a second target).", "teachers meeting it",
       "teachers rated", "teachers", "001: 100%, at least 90% khá or better", TT26_2018, tracked_by=YEAR,
       vi=("Giáo viên được đánh giá đạt chuẩn nghề nghiệp từ mức đạt trở lên (tỷ lệ mức khá trở lên là chỉ tiêu thứ "
           "hai).", "giáo viên đạt chuẩn", "giáo viên được đánh giá", "giáo viên",
           "001: 100%, ít nhất 90% mức khá trở lên")),
    _e("T_PROF_KHA", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ giáo viên đạt chuẩn nghề nghiệp mức khá trở lên",
       "Share of teachers rated 'khá' or better on the professional standard",
       "Teachers rated 'khá' or 'tốt' on the professional standard among the teachers rated.",
       "teachers rated khá or better", "teachers rated", "teachers", "001: at least 90%", TT26_2018,
       tracked_by=YEAR,
       vi=("Giáo viên được đánh giá chuẩn nghề nghiệp mức khá hoặc tốt trên tổng số giáo viên được đánh giá.",
           "giáo viên đạt mức khá trở lên", "giáo viên được đánh giá", "giáo viên", "001: ít nhất 90%")),
    _e("M_PRINCIPAL_STD", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBQL đạt chuẩn hiệu trưởng",
       "Share of managers meeting the principal standard", "Managers meeting the principal standard.",
       "managers meeting it", "managers rated", "managers", "001: 100%", TT25_2018, tracked_by=YEAR,
       vi=("Cán bộ quản lý đạt chuẩn hiệu trưởng.", "CBQL đạt chuẩn", "CBQL được đánh giá", "CBQL",
           "001: 100% CBQL đạt chuẩn hiệu trưởng")),
    _e("COMPETENCY", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBQL, GV đáp ứng khung năng lực vị trí việc làm",
       "Share of staff meeting the competency framework", "Managers and teachers meeting the job-position "
       "competency framework.", "staff meeting it", "staff assessed", "managers and teachers",
       "001: 100% / 95%", SEED_PLAN, tracked_by=YEAR,
       vi=("Cán bộ quản lý, giáo viên đáp ứng yêu cầu khung năng lực vị trí việc làm.", "CBQL, GV đáp ứng",
           "CBQL, GV được đánh giá", "CBQL và giáo viên", "001: 100% CBQL, 95% giáo viên")),
    _e("TRAINED", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBGVNV được bồi dưỡng", "Share of staff trained",
       "Staff who completed in-service training during the year.", "staff trained", "staff", "all staff",
       "001: 100% each year; 002: 100% trained in STEAM", "Thông tư 19/2019/TT-BGDĐT (bồi dưỡng thường xuyên)",
       tracked_by=YEAR,
       vi=("CBGVNV hoàn thành bồi dưỡng thường xuyên trong năm học.", "CBGVNV được bồi dưỡng", "CBGVNV",
           "toàn bộ CBGVNV", "001: 100% hằng năm; 002: 100% được bồi dưỡng về STEAM")),
    _e("TRAINED_STEAM", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBGVNV được bồi dưỡng về giáo dục STEAM",
       "Share of staff trained in STEAM", "Staff who completed STEAM training during the year.",
       "staff trained in STEAM", "staff", "all staff", "002: 100%", "Kế hoạch của nhà trường (hạt giống 002)",
       tracked_by=YEAR,
       vi=("CBGVNV hoàn thành bồi dưỡng, tập huấn về giáo dục STEAM trong năm học.", "CBGVNV được bồi dưỡng STEAM",
           "CBGVNV", "toàn bộ CBGVNV", "002: 100% đội ngũ")),
    _e("PARTY", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBQL, GV là đảng viên",
       "Share of managers and teachers who are party members", "Managers and teachers who are party members.",
       "party members", "managers and teachers", "managers and teachers", "001: at least 40%", SEED_PLAN,
       tracked_by=YEAR,
       vi=("Cán bộ quản lý, giáo viên là đảng viên.", "đảng viên", "CBQL, GV", "CBQL và giáo viên",
           "001: tối thiểu 40%")),
    _e("STAFF_RATING", S_STAFF, COMPUTED, COUNT, 1, "người", "Số CBGVNV chỉ xếp loại hoàn thành nhiệm vụ",
       "Staff rated only 'Hoàn thành nhiệm vụ'", "Staff whose yearly rating is the lowest passing one.",
       "staff rated 'Hoàn thành nhiệm vụ'", "", "all staff", "002: 0", "Nghị định 90/2020/NĐ-CP",
       direction=DOWN, tracked_by=YEAR,
       vi=("CBGVNV có kết quả xếp loại cuối năm chỉ ở mức “Hoàn thành nhiệm vụ” (mức thấp nhất còn đạt).",
           "CBGVNV xếp loại “Hoàn thành nhiệm vụ”", "", "toàn bộ CBGVNV", "002: không có (0 người)")),
    _e("ETHICS", S_STAFF, DECLARED, COUNT, 1, "vụ", "Số vụ vi phạm đạo đức nhà giáo, đơn thư vượt cấp",
       "Ethics violations and complaints above the school", "Violations of teacher ethics and complaints "
       "sent above the school.", "violations and complaints", "", "all staff", "002: 0",
       "Thông tư 06/2019/TT-BGDĐT (quy tắc ứng xử)", direction=DOWN, tracked_by=YEAR,
       vi=("Vụ vi phạm đạo đức nhà giáo và đơn thư vượt cấp.", "vụ vi phạm, đơn thư vượt cấp", "", "toàn bộ CBGVNV",
           "002: không có (0 vụ)")),
    # --- community, digital work and communication ---
    _e("PARENT_ENGAGE", S_COMMUNITY, DECLARED, RATIO, 100, PCT, "Tỷ lệ cơ sở, lớp phối hợp với cha mẹ và cộng đồng",
       "Share of institutions involving parents", "Institutions and classes involving parents and community.",
       "institutions involving parents", "institutions", "institutions", "000, 002: 100%",
       "Thông tư 30/2020/TT-BGDĐT (ban đại diện cha mẹ)", tracked_by=YEAR,
       vi=("Cơ sở, nhóm lớp thu hút cha mẹ trẻ và cộng đồng tham gia chăm sóc, giáo dục trẻ.", "cơ sở có phối hợp",
           "cơ sở GDMN", "cơ sở GDMN", "000, 002: 100% cơ sở")),
    _e("NEWS", S_COMMUNITY, COMPUTED, COUNT, 1, "tin bài", "Số tin bài đăng trên kênh của cơ sở",
       "News articles published", "News articles published on the institution's own channels.",
       "articles", "", "institutions", "000: >= 3 per semester; 002: >= 5 per month", SEED_PLAN,
       vi=("Tin bài đăng trên các kênh thông tin của cơ sở.", "tin bài", "", "cơ sở GDMN",
           "000: ≥ 3 tin bài/học kỳ; 002: ≥ 5 tin bài/tháng")),
    _e("RESOURCES", S_COMMUNITY, COMPUTED, COUNT, 1, "học liệu", "Số học liệu đóng góp vào kho dùng chung",
       "Items added to the shared library", "Items added to the shared learning-material library.",
       "items", "", "institutions", "002: at least 3", SEED_PLAN, tracked_by=YEAR,
       vi=("Học liệu đóng góp vào kho học liệu dùng chung.", "học liệu", "", "cơ sở GDMN", "002: ít nhất 3 tài liệu")),
    _e("PARENT_KNOWLEDGE", S_COMMUNITY, DECLARED, RATIO, 100, PCT,
       "Tỷ lệ cha mẹ được tuyên truyền kiến thức nuôi dạy trẻ",
       "Share of parents reached with child-rearing knowledge", "Parents reached with child-rearing knowledge.",
       "parents reached", "parents", "parents", "000, 002: 100%", SEED_PLAN, tracked_by=YEAR,
       vi=("Cha mẹ trẻ được tuyên truyền, phổ biến kiến thức nuôi dạy trẻ.", "cha mẹ được tuyên truyền", "cha mẹ trẻ",
           "cha mẹ trẻ", "000, 002: 100% cha mẹ")),
    _e("REPORT_TIMELY", S_COMMUNITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ báo cáo nộp đúng hạn",
       "Share of reports submitted on time", "Periodic and ad-hoc reports submitted by their deadline.",
       "reports on time", "reports due", "institutions", "000, 002: all on time", TT25_2024, tracked_by=YEAR,
       vi=("Báo cáo định kỳ và đột xuất được nộp đúng hạn.", "báo cáo nộp đúng hạn", "báo cáo phải nộp", "cơ sở GDMN",
           "000, 002: tất cả đúng hạn")),
]

CODES = [e["code"] for e in CATALOGUE]


def load_catalogue(Indicator) -> int:
    """Create or update one ``Indicator`` row per entry (works with a migration's historical model).

    Only the keys the given model has are written, so an older historical model (before the texts were kept
    in two languages) loads what it can hold; the later data migration loads the rest.
    """
    fields = {f.name for f in Indicator._meta.concrete_fields}
    keys = [k for k in CATALOGUE[0] if k in fields]
    existing = {i.code: i for i in Indicator.objects.all()}
    new, changed = [], []
    for order, entry in enumerate(CATALOGUE):
        values = {k: entry[k] for k in keys}
        row = existing.get(entry["code"])
        if row is None:
            new.append(Indicator(order=order, **values))
            continue
        for key, value in values.items():
            setattr(row, key, value)
        row.order = order
        changed.append(row)
    Indicator.objects.bulk_create(new)
    if changed:
        Indicator.objects.bulk_update(changed, [k for k in keys if k != "code"] + ["order"])
    return len(new)
