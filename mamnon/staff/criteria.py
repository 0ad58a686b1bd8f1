"""Names of the 15 criteria of the preschool teacher standard (Thông tư 26/2018/TT-BGDĐT, Điều 4 to 8), as the
circular words them; shown next to the levels on the rating form. Data in Vietnamese, like the circular."""

TT26_NAMES = [
    "Đạo đức nhà giáo",
    "Phong cách làm việc",
    "Phát triển chuyên môn bản thân",
    "Xây dựng kế hoạch nuôi dưỡng, chăm sóc, giáo dục trẻ em",
    "Nuôi dưỡng và chăm sóc sức khỏe trẻ em",
    "Giáo dục phát triển toàn diện trẻ em",
    "Quan sát và đánh giá sự phát triển của trẻ em",
    "Quản lý nhóm, lớp",
    "Xây dựng môi trường giáo dục an toàn, lành mạnh, thân thiện",
    "Thực hiện quyền dân chủ trong nhà trường",
    "Tạo dựng mối quan hệ hợp tác với cha mẹ hoặc người giám hộ trẻ em và các bên liên quan",
    "Phối hợp với cha mẹ hoặc người giám hộ trẻ em và các bên liên quan trong hoạt động nuôi dưỡng, chăm sóc, "
    "giáo dục trẻ em",
    "Sử dụng ngoại ngữ hoặc tiếng dân tộc",
    "Ứng dụng công nghệ thông tin",
    "Thể hiện khả năng nghệ thuật trong hoạt động nuôi dưỡng, chăm sóc, giáo dục trẻ em",
]

# The criteria of the principal standard (Thông tư 25/2018/TT-BGDĐT, Điều 4 to 8): 5 standards, 18 criteria.
# What was read (lawnet.vn, one page per clause, English; names translated back to the circular's terms unless
# a Vietnamese text is named):
#   Điều 4 (Tiêu chuẩn 1, phẩm chất nghề nghiệp) khoản 1-3 = tiêu chí 1-3, pages 1075267, 160541, 1075269;
#   Điều 5 (Tiêu chuẩn 2, quản trị nhà trường) khoản 1 (kế hoạch, 1075270), 2 (nuôi dưỡng, chăm sóc sức khỏe,
#   1075271), 3 (giáo dục trẻ em, 1075272), 4 (nhân sự), 5 (tổ chức, hành chính, 1075276), 6 (tài chính),
#   7 (1074720; its Vietnamese wording "Quản trị cơ sở vật chất, đồ dùng, đồ chơi, thiết bị dạy học của nhà
#   trường" on https://123docz.net/document/7088306-file-37503.htm, a copy of the circular) = tiêu chí 4-10;
#   Điều 8 (Tiêu chuẩn 5): "Có khả năng sử dụng ngoại ngữ (ưu tiên tiếng Anh) hoặc tiếng dân tộc ...; ứng dụng
#   công nghệ thông tin trong quản trị nhà trường", first criterion "Tiêu chí 17. Sử dụng ngoại ngữ"
#   (https://nganhangphapluat.thukyluat.vn/tu-van-phap-luat/giao-duc/tieu-chuan-su-dung-ngoai-ngu-va-cong-nghe-thong-tin-cua-hieu-truong-co-276418);
#   Điều 5 khoản 8 (tiêu chí 11): "Tiêu chí quản trị chất lượng nuôi dưỡng, chăm sóc, giáo dục trẻ em của hiệu
#   trưởng cơ sở giáo dục mầm non ... quy định tại Khoản 8 Điều 5" (levels: tự đánh giá, cải tiến chất lượng),
#   https://nganhangphapluat.thukyluat.vn/tu-van-phap-luat/giao-duc/tieu-chi-quan-tri-chat-luong-nuoi-duong-cham-soc-giao-duc-tre-em-cua-276408
#   Điều 10 khoản 2: the key criteria 1, 4, 5, 6, 7, 9, 11, 13, 14, 15 (thuvienphapluat.vn 437C9).
# NOT read: Điều 6-7 (tiêu chí 12-16) and the name of tiêu chí 18 (the page stops after criterion 17; Điều 8's
# heading puts the use of IT second). Their names follow the structure of the standard
# (Tiêu chuẩn 3 môi trường giáo dục, 4 quan hệ nhà trường - gia đình - xã hội, 5 ngoại ngữ và CNTT) and the
# principal standard for general schools (TT 14/2018). See docs/staff.md.
TT25_NOT_READ = frozenset({12, 13, 14, 15, 16, 18})  # criteria (1-based) whose names were not read
TT25_NAMES = [
    "Đạo đức nghề nghiệp",
    "Tư tưởng đổi mới trong lãnh đạo, quản trị nhà trường",
    "Năng lực phát triển chuyên môn, nghiệp vụ bản thân",
    "Tổ chức xây dựng kế hoạch phát triển nhà trường",
    "Quản trị hoạt động nuôi dưỡng, chăm sóc sức khỏe trẻ em",
    "Quản trị hoạt động giáo dục trẻ em",
    "Quản trị nhân sự nhà trường",
    "Quản trị tổ chức, hành chính nhà trường",
    "Quản trị tài chính nhà trường",
    "Quản trị cơ sở vật chất, đồ dùng, đồ chơi, thiết bị dạy học của nhà trường",
    "Quản trị chất lượng nuôi dưỡng, chăm sóc, giáo dục trẻ em",
    "Xây dựng văn hóa nhà trường",
    "Thực hiện dân chủ cơ sở trong nhà trường",
    "Xây dựng trường học an toàn, phòng chống bạo lực học đường",
    "Phối hợp giữa nhà trường, gia đình và xã hội để thực hiện hoạt động nuôi dưỡng, chăm sóc, giáo dục trẻ em",
    "Phối hợp giữa nhà trường, gia đình và xã hội trong huy động và sử dụng nguồn lực để phát triển nhà trường",
    "Sử dụng ngoại ngữ",
    "Ứng dụng công nghệ thông tin",
]
# Standard (tiêu chuẩn) of each criterion, 1-based: Điều 4 = 1, Điều 5 = 2, Điều 6 = 3, Điều 7 = 4, Điều 8 = 5.
TT25_STANDARD_OF = [1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5]
# The teacher standard (TT 26/2018): 5 standards, 15 criteria, 2 / 6 / 2 / 2 / 3 (Điều 4 to 8).
TT26_STANDARD_OF = [1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 5, 5, 5]
