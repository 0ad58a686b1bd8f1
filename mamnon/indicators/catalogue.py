"""The indicator catalogue as data: every code of shared/domain/targets-from-seeds.md (plus attendance).

Loaded into ``Indicator`` rows by the data migration ``0002_catalogue`` (and again by the demo after a
``--replace``); ``load_catalogue`` is idempotent, so changing a text here and running it again updates the rows.

Each entry: code, section, kind (computed from records / from the commune census / declared by the unit /
rule checked per record), measure (``ratio``: numerator / denominator x factor; ``count``: the numerator;
``mean``: numerator / denominator), factor, unit of measure, Vietnamese and English names, definition,
numerator and denominator in words, the group covered, the seeds it comes from, the regulation, the
direction (``up``: higher is better, ``down``: lower is better) and the period it is tracked by during a
school year (``month``, ``round`` = the measurement rounds, ``year``).

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


def _e(code, section, kind, measure, factor, unit, name_vi, name_en, definition, numerator, denominator, covers,
       seeds, regulation, direction=UP, tracked_by=MONTH):
    return {
        "code": code, "section": section, "kind": kind, "measure": measure, "factor": factor, "unit": unit,
        "name_vi": name_vi, "name_en": name_en, "definition": definition, "numerator": numerator,
        "denominator": denominator, "covers": covers, "seeds": seeds, "regulation": regulation,
        "direction": direction, "tracked_by": tracked_by,
    }


PCT = "%"
CATALOGUE = [
    # --- access and network (huy động, mạng lưới) ---
    _e("ENR_CRECHE", S_ACCESS, CENSUS, RATIO, 100, PCT, "Tỷ lệ huy động trẻ nhà trẻ",
       "Creche enrolment rate", "Children aged 3-36 months living in the area who attend a preschool.",
       "creche-age children of the area attending", "creche-age children of the area (commune census)",
       "3-36 months", "000: 42.5%; 001: >= 65% by 2025; 002: 45%", ND20, tracked_by=YEAR),
    _e("ENR_KINDER", S_ACCESS, CENSUS, RATIO, 100, PCT, "Tỷ lệ huy động trẻ mẫu giáo",
       "Kindergarten enrolment rate", "Children aged 3-5 living in the area who attend a preschool.",
       "kindergarten-age children of the area attending", "kindergarten-age children of the area (census)",
       "3-5 years", "000: 97%; 001: 100%; 002: 98%", ND20, tracked_by=YEAR),
    _e("ENR_5Y", S_ACCESS, CENSUS, RATIO, 100, PCT, "Tỷ lệ huy động trẻ 5 tuổi", "Enrolment rate of 5-year-olds",
       "Five-year-olds living in the area who attend a preschool.", "5-year-olds of the area attending",
       "5-year-olds of the area (census)", "5 years", "000, 002: 100%", ND20, tracked_by=YEAR),
    _e("ENR_PUBLIC_SHARE", S_ACCESS, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ học tại cơ sở công lập",
       "Share of children in public institutions",
       "Children enrolled in public schools among all children enrolled (the rest attend non-public ones).",
       "children enrolled in public schools", "children enrolled", "all children", "001: 60% / 40%", ND105),
    _e("FULLDAY", S_ACCESS, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ học 2 buổi/ngày",
       "Share of children learning two sessions a day",
       "Children enrolled in full-day (2-session) groups among all children enrolled.",
       "children in full-day groups", "children enrolled", "all children", "000, 001, 002: 100%", TT52),
    _e("FULLDAY_5Y", S_ACCESS, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ 5 tuổi học 2 buổi/ngày",
       "Share of 5-year-olds learning two sessions a day",
       "Children of 5-6-year-old classes enrolled in full-day classes among all children of those classes.",
       "children of 5-year-old full-day classes", "children of 5-year-old classes", "5 years", "000: 100%", ND20),
    _e("SEMI_BOARDING", S_ACCESS, COMPUTED, RATIO, 100, PCT, "Tỷ lệ nhóm, lớp tổ chức bán trú",
       "Share of groups with semi-boarding meals", "Groups and classes of the year that serve lunch at school.",
       "semi-boarding groups", "groups and classes", "groups and classes", "001: 100%", TT19_2018),
    _e("CLASS_SIZE", S_ACCESS, COMPUTED, MEAN, 1, "trẻ/lớp", "Số trẻ bình quân/nhóm, lớp",
       "Children per group or class", "Children enrolled divided by the groups and classes of the year; "
       "each group is also checked against the charter maximum for its age band.",
       "children enrolled", "groups and classes", "groups and classes", "002: 16 groups, 480 children",
       TT52 + ", Điều 15", direction=DOWN),
    _e("SCHOOL_SIZE", S_ACCESS, RULE, MEAN, 1, "nhóm, lớp/trường", "Số nhóm, lớp bình quân/trường",
       "Groups and classes per school", "Groups and classes of the year divided by the schools that have any; "
       "a school should have 9 to 20 (5 in disadvantaged areas).",
       "groups and classes", "schools", "schools", "000: not more than 20 after mergers", TT13_2020,
       direction=DOWN, tracked_by=YEAR),
    _e("PCGD_COMMUNES", S_ACCESS, CENSUS, RATIO, 100, PCT, "Tỷ lệ xã đạt chuẩn PCGDMN trẻ 5 tuổi",
       "Communes recognised for universal preschool education",
       "Communes (and districts) recognised for universal preschool education of 5-year-olds.",
       "communes recognised", "communes", "communes", "000: 217/217 communes, 15/15 districts", ND20,
       tracked_by=YEAR),
    _e("NEW_SCHOOLS", S_ACCESS, DECLARED, COUNT, 1, "trường", "Số trường công lập xây mới",
       "New public schools built", "Public schools newly built during the period.", "new public schools", "",
       "schools", "001: 11 schools, about 862 billion VND", SEED_PLAN, tracked_by=YEAR),
    # --- facilities and equipment ---
    _e("EQUIP_MIN", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ nhóm, lớp đủ đồ dùng, đồ chơi, thiết bị tối thiểu",
       "Share of groups with the minimum equipment", "Groups and classes holding the minimum equipment list.",
       "groups with the minimum equipment", "groups and classes", "groups and classes", "000: 97%; 002: 100%",
       TT02_2022, tracked_by=YEAR),
    _e("KITCHEN_ONEWAY", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ bếp một chiều",
       "Share of one-way kitchens", "Kitchens built and used as one-way kitchens.", "one-way kitchens",
       "kitchens", "kitchens", "000: 80%", QD1246, tracked_by=YEAR),
    _e("TOILET_STD", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ nhà vệ sinh đạt chuẩn",
       "Share of standard toilets", "Toilets meeting the standard.", "standard toilets", "toilets", "toilets",
       "000: 77%", TT13_2020, tracked_by=YEAR),
    _e("INTERNET_SW", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường kết nối internet, dùng phần mềm quản lý",
       "Share of schools online with management software",
       "Schools connected to the internet and using management software.", "schools connected", "schools",
       "schools", "000: 100%", SEED_PLAN, tracked_by=YEAR),
    _e("ONLINE_MEETING", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ cơ sở có phòng họp trực tuyến",
       "Share of institutions with an online meeting room", "Institutions with an online meeting room.",
       "institutions with an online meeting room", "institutions", "institutions",
       "000: at least 35% in each district", SEED_PLAN, tracked_by=YEAR),
    _e("WEBSITE", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường có trang thông tin điện tử",
       "Share of schools running a website", "Schools running their own website.", "schools with a website",
       "schools", "schools", "000, 001: 100%", "Thông tư 09/2024/TT-BGDĐT (công khai)", tracked_by=YEAR),
    _e("LIBRARY", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường công lập có thư viện mầm non",
       "Share of public schools with a library", "Public schools with a preschool library.",
       "public schools with a library", "public schools", "public schools", "001: 100%", SEED_PLAN,
       tracked_by=YEAR),
    _e("COMPUTER_ROOM", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường có phòng máy tính cho trẻ",
       "Share of schools with a computer room", "Schools with a computer room for children.",
       "schools with a computer room", "schools", "schools", "001: 100%", SEED_PLAN, tracked_by=YEAR),
    _e("E_SCHOOL", S_FACILITIES, DECLARED, COUNT, 1, "trường", "Số trường học điện tử", "E-schools",
       "Schools run as e-schools (trường học điện tử).", "e-schools", "", "schools",
       "001: 11 by 2025, at least 1 more each year", SEED_PLAN, tracked_by=YEAR),
    _e("GRASS_YARD", S_FACILITIES, COMPUTED, RATIO, 100, PCT, "Tỷ lệ diện tích sân cỏ", "Share of grass yard area",
       "Grass area of the yards over the yards' total area.", "grass area (m²)", "yard area (m²)", "yards",
       "001: 50%", SEED_PLAN, tracked_by=YEAR),
    # --- quality assurance and safety ---
    _e("SELF_ASSESS", S_QUALITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường hoàn thành tự đánh giá",
       "Share of schools that completed the self-assessment",
       "Schools that completed the accreditation self-assessment.", "schools with a self-assessment",
       "schools", "schools", "000: 98%", TT19_2018, tracked_by=YEAR),
    _e("ACCRED_L1", S_QUALITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường đạt kiểm định cấp độ 1 trở lên",
       "Share of schools accredited at level 1 or above",
       "Schools externally evaluated at accreditation level 1 or above.", "schools accredited", "schools",
       "schools", "000: 60%", TT19_2018, tracked_by=YEAR),
    _e("NATSTD", S_QUALITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trường công lập đạt chuẩn quốc gia",
       "Share of public schools of national standard", "Public schools recognised as national-standard "
       "schools (new this year, and the share at level 2, are tracked as targets on the same code).",
       "public national-standard schools", "public schools", "public schools",
       "000: 6 new; 001: 95% of public schools, at least 25% at level 2", TT19_2018, tracked_by=YEAR),
    _e("SAFE_SCHOOL", S_QUALITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ cơ sở đạt trường học an toàn",
       "Share of safe schools", "Institutions meeting the safe-school and injury-prevention standard.",
       "institutions meeting the standard", "institutions", "institutions", "000, 001: 100%", TT45,
       tracked_by=YEAR),
    _e("INCIDENTS", S_QUALITY, DECLARED, COUNT, 1, "vụ", "Số vụ mất an toàn", "Safety incidents",
       "Epidemics, food poisoning, fire, school pollution, abuse and injuries to children.", "incidents", "",
       "children", "000, 002: 0", TT45, direction=DOWN),
    _e("ILLEGAL_GROUPS", S_QUALITY, DECLARED, COUNT, 1, "nhóm", "Số nhóm lớp độc lập hoạt động không phép",
       "Unlicensed independent groups", "Independent groups operating without a licence.",
       "unlicensed groups", "", "independent groups", "000: 0", "Thông tư 49/2021/TT-BGDĐT",
       direction=DOWN, tracked_by=YEAR),
    _e("FOREIGN_INSPECTED", S_QUALITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ cơ sở có yếu tố nước ngoài được kiểm tra",
       "Share of institutions with foreign elements inspected", "Institutions with foreign elements inspected.",
       "institutions inspected", "institutions with foreign elements", "institutions", "000: 100%",
       SEED_PLAN, tracked_by=YEAR),
    # --- care and nutrition ---
    _e("GROWTH_MONITORED", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ được cân đo, theo dõi biểu đồ tăng trưởng",
       "Share of children weighed, measured and plotted", "Children weighed and measured in the round and "
       "plotted on the WHO growth chart among the children enrolled.", "children measured",
       "children enrolled", "all children", "000, 001, 002: 100%", WHO, tracked_by=ROUND),
    _e("SELF_SERVICE", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ có kỹ năng tự phục vụ phù hợp độ tuổi",
       "Share of children with self-service skills", "Children with age-appropriate self-service skills.",
       "children rated as having the skills", "children assessed", "all children", "000, 002: above 95%",
       PROGRAMME, tracked_by=YEAR),
    _e("UNDERWEIGHT", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ suy dinh dưỡng thể nhẹ cân",
       "Share of children underweight", "Children with weight-for-age below -2 SD among those measured.",
       "children underweight", "children measured", "all children",
       "000, 002: reduce by 1.2 points versus the start of the year; 001: reduce by 0.3 points a year",
       WHO, direction=DOWN, tracked_by=ROUND),
    _e("STUNTING", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ suy dinh dưỡng thể thấp còi",
       "Share of children stunted", "Children with height-for-age below -2 SD among those measured.",
       "children stunted", "children measured", "all children",
       "000, 002: reduce by 1.2 points versus the start of the year; 001: reduce by 0.2 points a year",
       WHO, direction=DOWN, tracked_by=ROUND),
    _e("WASTING", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ suy dinh dưỡng thể gầy còm",
       "Share of children wasted", "Children with weight-for-length/height below -2 SD among those assessed.",
       "children wasted", "children assessed", "all children", "(reported with the growth rounds)", WHO,
       direction=DOWN, tracked_by=ROUND),
    _e("OBESE", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ béo phì", "Share of children obese",
       "Children above +3 SD (weight-for-length/height) among those assessed.", "children obese",
       "children assessed", "all children", "000, 001, 002: kept under control", WHO, direction=DOWN,
       tracked_by=ROUND),
    _e("OVERWEIGHT", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ thừa cân, béo phì",
       "Share of children overweight or obese", "Children above +2 SD (weight-for-height or BMI-for-age) "
       "among those measured.", "children overweight or obese", "children measured", "all children",
       "000, 001, 002: not above the start of the year", WHO, direction=DOWN, tracked_by=ROUND),
    _e("MEAL_NORMS", S_CARE, COMPUTED, RATIO, 100, PCT, "Tỷ lệ ngày ăn đạt nhu cầu khuyến nghị",
       "Share of served days meeting the nutrition norms", "Served days whose menu meets the energy and "
       "protein / lipid / glucid norms for the age group.", "days meeting the norms", "days served",
       "all children", "000, 002: meals meet the recommended needs by age", PROGRAMME),
    _e("MEAL_FEE", S_CARE, DECLARED, MEAN, 1, "đồng/ngày", "Mức tiền ăn/ngày", "Daily meal fee",
       "Daily meal fee charged (food and fuel).", "meal fee (VND a day)", "schools", "all children",
       "002: 28,000 VND/day (25,000 food, 3,000 fuel)", SEED_PLAN, direction=DOWN, tracked_by=YEAR),
    # --- education ---
    _e("INCLUSION", S_EDUCATION, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ khuyết tật học hòa nhập",
       "Share of children with disabilities in inclusive education",
       "Children with a recorded disability enrolled in a group among the children with a disability the "
       "schools record. (Against the commune census of children with disabilities once it exists.)",
       "children with disabilities enrolled in groups", "children with disabilities recorded",
       "children with disabilities", "000: 75%", TT03_2018),
    _e("ENGLISH", S_EDUCATION, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ mẫu giáo được làm quen tiếng Anh",
       "Share of kindergarten children familiarised with English",
       "Kindergarten children enrolled in classes with English familiarisation.",
       "kindergarten children in English classes", "kindergarten children enrolled", "3-6 years",
       "000: 11.0%; 002: >= 80% rated đạt", "Thông tư 50/2020/TT-BGDĐT (làm quen tiếng Anh)"),
    _e("DOMAIN_ASSESS", S_EDUCATION, COMPUTED, RATIO, 100, PCT, "Tỷ lệ trẻ đạt yêu cầu các lĩnh vực phát triển",
       "Share of children rated 'đạt' in the education domains", "End-of-term ratings 'đạt' among the "
       "children assessed.", "children rated đạt", "children assessed", "all children",
       "002: >= 85% đạt, <= 15% cần cố gắng, 0 chưa đạt", PROGRAMME, tracked_by=YEAR),
    _e("MODELS", S_EDUCATION, DECLARED, COUNT, 1, "mô hình", "Số mô hình điểm", "Model sites",
       "Model sites (mô hình điểm): advanced methods, green-safe-friendly school, inclusive education, "
       "model independent group.", "model sites", "", "institutions",
       "000: 1 + 1 per district; 001: 3 model schools, 2 inclusive-education models", SEED_PLAN,
       tracked_by=YEAR),
    _e("TOI_YEU_VN", S_EDUCATION, DECLARED, RATIO, 100, PCT, "Tỷ lệ cơ sở thực hiện chương trình \"Tôi yêu Việt Nam\"",
       "Share of institutions running 'Tôi yêu Việt Nam'", "Institutions implementing the 'Tôi yêu Việt Nam' "
       "traffic-safety programme.", "institutions implementing it", "institutions", "institutions",
       "000: at least 80%", "Quyết định 1901/QĐ-BGDĐT", tracked_by=YEAR),
    _e("ATTENDANCE", S_EDUCATION, COMPUTED, RATIO, 100, PCT, "Tỷ lệ chuyên cần", "Attendance rate",
       "Child-days present (on time or late) among the child-days registered on school days.",
       "child-days present", "child-days registered", "all children",
       "national standard: at least 85% (90% for 5-year-olds)", TT19_2018 + ", chuẩn quốc gia mức độ 1"),
    _e("ATTENDANCE_5Y", S_EDUCATION, COMPUTED, RATIO, 100, PCT, "Tỷ lệ chuyên cần trẻ 5 tuổi",
       "Attendance rate of 5-year-olds", "Child-days present among the child-days registered in 5-6-year-old "
       "classes.", "child-days present", "child-days registered", "5 years", "national standard: at least 90%",
       TT19_2018 + ", chuẩn quốc gia mức độ 1"),
    # --- staff ---
    _e("T_PER_CRECHE", S_STAFF, COMPUTED, MEAN, 1, "GV/nhóm", "Số giáo viên/nhóm trẻ", "Teachers per creche group",
       "Teachers assigned to creche groups divided by the creche groups.", "teachers of creche groups",
       "creche groups", "creche", "000: 2.5", TT19_2023, tracked_by=YEAR),
    _e("T_PER_KINDER", S_STAFF, COMPUTED, MEAN, 1, "GV/lớp", "Số giáo viên/lớp mẫu giáo",
       "Teachers per kindergarten class", "Teachers assigned to kindergarten classes divided by the classes.",
       "teachers of kindergarten classes", "kindergarten classes", "kindergarten", "000: 2.2", TT19_2023,
       tracked_by=YEAR),
    _e("T_QUAL_STD", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ giáo viên đạt chuẩn trình độ đào tạo trở lên",
       "Share of teachers at or above the standard training level",
       "Teachers holding at least a college degree in preschool pedagogy.", "teachers at standard",
       "teachers", "teachers", "000: 84.0%; 001: 100% by 2025", LAW2019, tracked_by=YEAR),
    _e("T_UNIV", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ giáo viên có trình độ đại học trở lên",
       "Share of teachers with a university degree", "Teachers with a university degree or higher.",
       "teachers with a degree", "teachers", "teachers", "001: 70% by 2025", LAW2019, tracked_by=YEAR),
    _e("M_UNIV", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBQL có trình độ đại học sư phạm mầm non trở lên",
       "Share of managers with a university degree", "Managers with a university degree in preschool "
       "pedagogy or higher.", "managers with a degree", "managers", "managers", "001: 100%", LAW2019,
       tracked_by=YEAR),
    _e("T_PROF_STD", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ giáo viên đạt chuẩn nghề nghiệp",
       "Share of teachers meeting the professional standard", "Teachers rated at or above 'đạt' on the "
       "professional standard (the share 'khá' or better is a second target).", "teachers meeting it",
       "teachers rated", "teachers", "001: 100%, at least 90% khá or better", TT26_2018, tracked_by=YEAR),
    _e("T_PROF_KHA", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ giáo viên đạt chuẩn nghề nghiệp mức khá trở lên",
       "Share of teachers rated 'khá' or better on the professional standard",
       "Teachers rated 'khá' or 'tốt' on the professional standard among the teachers rated.",
       "teachers rated khá or better", "teachers rated", "teachers", "001: at least 90%", TT26_2018,
       tracked_by=YEAR),
    _e("M_PRINCIPAL_STD", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBQL đạt chuẩn hiệu trưởng",
       "Share of managers meeting the principal standard", "Managers meeting the principal standard.",
       "managers meeting it", "managers rated", "managers", "001: 100%", TT25_2018, tracked_by=YEAR),
    _e("COMPETENCY", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBQL, GV đáp ứng khung năng lực vị trí việc làm",
       "Share of staff meeting the competency framework", "Managers and teachers meeting the job-position "
       "competency framework.", "staff meeting it", "staff assessed", "managers and teachers",
       "001: 100% / 95%", SEED_PLAN, tracked_by=YEAR),
    _e("TRAINED", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBGVNV được bồi dưỡng", "Share of staff trained",
       "Staff who completed in-service training during the year.", "staff trained", "staff", "all staff",
       "001: 100% each year; 002: 100% trained in STEAM", "Thông tư 19/2019/TT-BGDĐT (bồi dưỡng thường xuyên)",
       tracked_by=YEAR),
    _e("TRAINED_STEAM", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBGVNV được bồi dưỡng về giáo dục STEAM",
       "Share of staff trained in STEAM", "Staff who completed STEAM training during the year.",
       "staff trained in STEAM", "staff", "all staff", "002: 100%", "Kế hoạch của nhà trường (hạt giống 002)",
       tracked_by=YEAR),
    _e("PARTY", S_STAFF, COMPUTED, RATIO, 100, PCT, "Tỷ lệ CBQL, GV là đảng viên",
       "Share of managers and teachers who are party members", "Managers and teachers who are party members.",
       "party members", "managers and teachers", "managers and teachers", "001: at least 40%", SEED_PLAN,
       tracked_by=YEAR),
    _e("STAFF_RATING", S_STAFF, COMPUTED, COUNT, 1, "người", "Số CBGVNV chỉ xếp loại hoàn thành nhiệm vụ",
       "Staff rated only 'Hoàn thành nhiệm vụ'", "Staff whose yearly rating is the lowest passing one.",
       "staff rated 'Hoàn thành nhiệm vụ'", "", "all staff", "002: 0", "Nghị định 90/2020/NĐ-CP",
       direction=DOWN, tracked_by=YEAR),
    _e("ETHICS", S_STAFF, DECLARED, COUNT, 1, "vụ", "Số vụ vi phạm đạo đức nhà giáo, đơn thư vượt cấp",
       "Ethics violations and complaints above the school", "Violations of teacher ethics and complaints "
       "sent above the school.", "violations and complaints", "", "all staff", "002: 0",
       "Thông tư 06/2019/TT-BGDĐT (quy tắc ứng xử)", direction=DOWN, tracked_by=YEAR),
    # --- community, digital work and communication ---
    _e("PARENT_ENGAGE", S_COMMUNITY, DECLARED, RATIO, 100, PCT, "Tỷ lệ cơ sở, lớp phối hợp với cha mẹ và cộng đồng",
       "Share of institutions involving parents", "Institutions and classes involving parents and community.",
       "institutions involving parents", "institutions", "institutions", "000, 002: 100%",
       "Thông tư 30/2020/TT-BGDĐT (ban đại diện cha mẹ)", tracked_by=YEAR),
    _e("NEWS", S_COMMUNITY, COMPUTED, COUNT, 1, "tin bài", "Số tin bài đăng trên kênh của cơ sở",
       "News articles published", "News articles published on the institution's own channels.",
       "articles", "", "institutions", "000: >= 3 per semester; 002: >= 5 per month", SEED_PLAN),
    _e("RESOURCES", S_COMMUNITY, COMPUTED, COUNT, 1, "học liệu", "Số học liệu đóng góp vào kho dùng chung",
       "Items added to the shared library", "Items added to the shared learning-material library.",
       "items", "", "institutions", "002: at least 3", SEED_PLAN, tracked_by=YEAR),
    _e("PARENT_KNOWLEDGE", S_COMMUNITY, DECLARED, RATIO, 100, PCT,
       "Tỷ lệ cha mẹ được tuyên truyền kiến thức nuôi dạy trẻ",
       "Share of parents reached with child-rearing knowledge", "Parents reached with child-rearing knowledge.",
       "parents reached", "parents", "parents", "000, 002: 100%", SEED_PLAN, tracked_by=YEAR),
    _e("REPORT_TIMELY", S_COMMUNITY, COMPUTED, RATIO, 100, PCT, "Tỷ lệ báo cáo nộp đúng hạn",
       "Share of reports submitted on time", "Periodic and ad-hoc reports submitted by their deadline.",
       "reports on time", "reports due", "institutions", "000, 002: all on time", TT25_2024, tracked_by=YEAR),
]

CODES = [e["code"] for e in CATALOGUE]


def load_catalogue(Indicator) -> int:
    """Create or update one ``Indicator`` row per entry (works with a migration's historical model)."""
    existing = {i.code: i for i in Indicator.objects.all()}
    new, changed = [], []
    for order, entry in enumerate(CATALOGUE):
        row = existing.get(entry["code"])
        if row is None:
            new.append(Indicator(order=order, **entry))
            continue
        for key, value in entry.items():
            setattr(row, key, value)
        row.order = order
        changed.append(row)
    Indicator.objects.bulk_create(new)
    if changed:
        Indicator.objects.bulk_update(changed, [k for k in CATALOGUE[0] if k != "code"] + ["order"])
    return len(new)
