"""Attendance, the school calendar and meal counts (mounted under /day/ in the ``attendance`` namespace)."""

from django.urls import path

from mamnon.attendance import views

urlpatterns = [
    path("", views.day_groups, name="day-groups"),
    path("groups/<int:pk>/", views.register, name="register"),
    path("groups/<int:pk>/reopen/", views.register_reopen, name="register-reopen"),
    path("groups/<int:pk>/month/", views.month_sheet, name="month-sheet"),
    path("groups/<int:pk>/month/xlsx/", views.month_sheet_xlsx, name="month-sheet-xlsx"),
    path("rates/", views.rates, name="rates"),
    path("meals/", views.meals, name="meals"),
    path("calendar/", views.calendar_home, name="calendar"),
    path("calendar/<int:pk>/", views.calendar_unit, name="calendar-unit"),
]
