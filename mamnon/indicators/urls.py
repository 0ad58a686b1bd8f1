from django.urls import path

from mamnon.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.home, name="home"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target-delete"),
    path("unit/<int:unit_id>/", views.unit_dashboard, name="unit"),
    path("unit/<int:unit_id>/export.xlsx", views.export_scorecard, name="export"),
    path("unit/<int:unit_id>/targets/", views.targets, name="targets"),
    path("unit/<int:unit_id>/declare/", views.declare, name="declare"),
    path("unit/<int:unit_id>/refresh/", views.refresh, name="refresh"),
    path("unit/<int:unit_id>/<str:code>/", views.indicator_detail, name="indicator"),
    path("unit/<int:unit_id>/<str:code>/children/", views.children_behind, name="children"),
]
