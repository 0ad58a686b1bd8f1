from django.urls import path

from mamnon.org import views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/reorganise/", views.unit_reorganise, name="unit-reorganise"),
    path("schools/", views.school_list, name="school-list"),
    path("schools/<int:pk>/", views.school_detail, name="school-detail"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school-edit"),
    path("staff/", views.staff_list, name="staff-list"),
    path("accounts/", views.account_list, name="account-list"),
    path("accounts/new/", views.account_create, name="account-create"),
    path("accounts/<int:pk>/toggle/", views.account_toggle, name="account-toggle"),
    path("accounts/users/<int:pk>/password/", views.account_password, name="account-password"),
]
