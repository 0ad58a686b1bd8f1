"""Growth monitoring pages (mounted under /health/ in the ``health`` namespace)."""

from django.urls import path

from mamnon.health import views_rounds as views

urlpatterns = [
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/groups/<int:group_pk>/", views.grid, name="grid"),
    path("rounds/<int:pk>/schools/<int:school_pk>/import/", views.import_page, name="import"),
    path("rounds/<int:pk>/schools/<int:school_pk>/template.xlsx", views.import_template, name="import-template"),
    path("groups/<int:group_pk>/measure/", views.grid_free, name="grid-free"),
    path("groups/<int:group_pk>/preview/", views.preview, name="preview"),
    path("stats/", views.stats_page, name="stats"),
    path("stats/report.xlsx", views.report_xlsx, name="report-xlsx"),
    path("schools/<int:school_pk>/follow-up/", views.follow_up, name="follow-up"),
    path("children/<int:child_pk>/measurements/", views.child_measurements, name="child-measurements"),
]
