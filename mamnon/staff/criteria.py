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
