from django.urls import path

from mamnon.facilities import views

app_name = "facilities"
urlpatterns = [
    path("", views.home, name="home"),
    path("export.xlsx", views.summary_download, name="summary-xlsx"),
    path("school/<int:pk>/", views.school_detail, name="school"),
    path("school/<int:pk>/profile/", views.profile_edit, name="profile"),
    path("school/<int:pk>/rooms/new/", views.room_create, name="room-create"),
    path("school/<int:pk>/stocktake/new/", views.stocktake_start, name="stocktake-start"),
    path("school/<int:pk>/plans/new/", views.plan_create, name="plan-create"),
    path("rooms/<int:pk>/", views.room_edit, name="room-edit"),
    path("groups/<int:pk>/equipment/", views.group_equipment, name="group-equipment"),
    path("equipment/", views.catalogue_list, name="catalogue"),
    path("equipment/template.xlsx", views.catalogue_template, name="catalogue-template"),
    path("stocktakes/<int:pk>/", views.stocktake_detail, name="stocktake"),
    path("stocktakes/<int:pk>/close/", views.stocktake_close, name="stocktake-close"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/xlsx/", views.plan_download, name="plan-xlsx"),
]
