"""Sao Sáng's month-by-month plan of school year 2023-2024 (seed 002, "KẾ HOẠCH TRỌNG TÂM THÁNG"), as data.

Each entry: (month, title, due (month, day) or None, recipient, deliverable, yearly). Months run September
(9) to July (7); the demo moves them into its own school year. Duties repeated every month ("Đảm bảo an
toàn, an ninh trường học", internal inspection, receiving inspection teams) are listed once per month, as in
the seed. Blanks of the seed ("SHCM cụm tại ……") are left out.
"""

PGD = "Phòng GD&ĐT"
MONTHLY = ["Đảm bảo an toàn, an ninh trường học", "Kiểm tra nội bộ", "Đón đoàn kiểm tra các cấp"]

PLAN = [
    (9, "Tổ chức “Ngày hội đến trường của bé”, “Tết trung thu” cho trẻ", None, "", "", True),
    (9, "Cân đo, chấm biểu đồ đợt I", (9, 20), PGD, "Kết quả cân đo đợt I", True),
    (9, "Các nhóm lớp rèn nề nếp trẻ, thực hiện hồ sơ sổ sách cô và trẻ theo quy định", None, "", "", True),
    (9, "Rà soát, kiểm kê đồ dùng, trang thiết bị, CSVC; kế hoạch mua sắm bổ sung đầu năm", None, "", "", True),
    (9, "Tuyên truyền phổ biến kiến thức CSGD trẻ tới phụ huynh và cộng đồng", None, "", "", True),
    (9, "Ký hợp đồng cung ứng thực phẩm đảm bảo vệ sinh an toàn", None, "", "Hợp đồng cung ứng thực phẩm", True),
    (9, "Xây dựng tiêu chí thi đua, kế hoạch giáo dục và các kế hoạch năm học", None, "", "Các kế hoạch năm học", True),
    (9, "Tổ chức Hội nghị cán bộ, viên chức, triển khai nhiệm vụ năm học", None, "", "", True),
    (9, "Đăng ký giải pháp sáng tạo nâng cao chất lượng thực hiện chương trình GDMN", (9, 30), PGD,
     "Kế hoạch tổ chức thực hiện giải pháp sáng tạo", True),
    (9, "Tổng hợp số liệu thống kê định kỳ đầu năm học", None, "", "Số liệu thống kê đầu năm", True),
    (10, "Tổ chức khám sức khỏe cho CBGVNV và trẻ đầu năm học", None, "", "", True),
    (10, "Tổ chức Hội thảo sơ kết thực hiện thí điểm phương pháp giáo dục STEAM (tuần 3)", None, "", "", False),
    (10, "Củng cố, hoàn thiện cơ sở vật chất, trang thiết bị; hồ sơ sổ sách theo quy định", None, "", "", True),
    (10, "Phối hợp Công đoàn thăm, tặng quà người cao tuổi; kỷ niệm ngày 20/10", None, "", "", True),
    (11, "Tổ chức các hoạt động kỷ niệm Ngày nhà giáo Việt Nam 20/11", None, "", "", True),
    (11, "Giao ban CBQL tại MN An Thái", None, "", "", False),
    (12, "Phòng chống rét, dịch bệnh mùa đông cho trẻ", None, "", "", True),
    (12, "Cân đo, chấm biểu đồ đợt 2", (12, 20), PGD, "Kết quả cân đo đợt 2", True),
    (12, "Tổng hợp báo cáo kết quả và thống kê số liệu thực hiện nhiệm vụ học kỳ I", (12, 10), PGD,
     "Báo cáo học kỳ I", True),
    (12, "Sân chơi phát triển vận động cho trẻ; hoạt động trải nghiệm tại đơn vị bộ đội", None, "", "", True),
    (12, "Hoàn thành hồ sơ kiểm tra công nhận kết quả phổ cập GDMN trẻ 5 tuổi", None, "", "Hồ sơ phổ cập", True),
    (12, "Công khai thông tin về cơ sở GDMN ngoài công lập", (12, 10), PGD, "Thông tin công khai", True),
    (12, "Tham dự sơ kết chuyên đề “Xây dựng trường mầm non lấy trẻ làm trung tâm” tại MN Quang Trung", None,
     "", "", False),
    (1, "Dự sân chơi phát triển vận động tại MN Chiến Thắng", None, "", "", False),
    (1, "Dự tổng kết giải pháp sáng tạo tại MN Quốc Tuấn", None, "", "", False),
    (1, "Chuẩn bị tổ chức “Hội chợ Xuân” cho trẻ vui đón Tết", None, "", "", True),
    (1, "Tổ chức sơ kết học kỳ I", None, "", "Báo cáo sơ kết học kỳ I", True),
    (1, "Tuyên truyền chuẩn bị cho trẻ 5 tuổi vào lớp 1", None, "", "", True),
    (2, "Trường tự đánh giá, kiểm tra công tác vệ sinh phòng bệnh", None, "", "", True),
    (2, "Phối hợp Ban đại diện CMHS thực hiện “Tết trồng cây”", None, "", "", True),
    (2, "Kiểm tra lớp điểm STEAM", None, "", "", False),
    (2, "Thu thập tài liệu chuyên đề “Xây dựng trường mầm non lấy trẻ làm trung tâm”", None, PGD,
     "Hình ảnh, giáo án, bài viết, sáng kiến", False),
    (3, "Tổ chức ngày hội cô và mẹ 8/3", None, "", "", True),
    (3, "Cân đo trẻ đợt 3", (3, 20), PGD, "Kết quả cân đo đợt 3", True),
    (3, "Giao ban CBQL tại MN Quang Trung", None, "", "", False),
    (3, "Tham gia Hội thi “Tài năng tiếng Anh”; sơ kết 03 năm chương trình làm quen tiếng Anh", None, "", "",
     False),
    (4, "Vệ sinh, tuyên truyền phòng chống dịch bệnh mùa hè", None, "", "", True),
    (4, "Sơ kết thực hiện Đề án chăm sóc vì sự phát triển toàn diện trẻ em trong những năm đầu đời", (4, 2), PGD,
     "Báo cáo sơ kết Đề án", False),
    (5, "Kiểm tra chất lượng trên trẻ; đánh giá sự phát triển của trẻ cuối năm", None, "", "", True),
    (5, "Liên hoan “Bé khoẻ, ngoan”; lễ ra trường cho trẻ 5 tuổi; Tết thiếu nhi 1/6", None, "", "", True),
    (5, "Tổng hợp báo cáo kết quả và thống kê số liệu cuối năm học", (5, 10), PGD, "Báo cáo cuối năm học", True),
    (5, "Đánh giá xếp loại thi đua; đánh giá chuẩn nghề nghiệp HT, PHT, giáo viên", None, "", "", True),
    (5, "Báo cáo tình hình trường học an toàn", None, PGD, "Báo cáo trường học an toàn", True),
    (5, "Hoàn thành hồ sơ thi đua năm học", None, PGD, "Hồ sơ thi đua", True),
    (5, "Kiểm kê tài sản; tổng kết năm học", None, "", "", True),
    (5, "Báo cáo nhu cầu bồi dưỡng chuyên môn năm học sau", None, PGD, "Báo cáo nhu cầu bồi dưỡng", True),
    (6, "Triển khai kế hoạch hoạt động hè; cải tạo, sửa chữa cơ sở vật chất", None, "", "", True),
    (7, "Công tác tuyển sinh năm học mới", None, "", "", True),
]
