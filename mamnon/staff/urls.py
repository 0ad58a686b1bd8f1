"""Pages of the staff domain (namespace ``staff``)."""

from django.urls import path

from mamnon.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.staff_list, name="staff-list"),
    path("new/", views.staff_create, name="staff-create"),
    path("<int:pk>/", views.staff_detail, name="staff-detail"),
    path("<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("<int:pk>/training/new/", views.training_add, name="training-add"),
    path("<int:pk>/annual/", views.annual_rating, name="annual-rating"),
    path("<int:pk>/rating/self/", views.rating, {"step": "self"}, name="rating-self"),
    path("<int:pk>/rating/decide/", views.rating, {"step": "decide"}, name="rating-decide"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("norms/", views.norms, name="norms"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_staff, name="import"),
]
