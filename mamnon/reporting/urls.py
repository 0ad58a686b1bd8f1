from django.urls import path

from mamnon.reporting import views, views_programmes

app_name = "reporting"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("r/<int:pk>/", views.report_detail, name="report-detail"),
    path("r/<int:pk>/prefill/", views.report_prefill, name="report-prefill"),
    path("r/<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("r/<int:pk>/return/", views.report_return, name="report-return"),
    path("r/<int:pk>/approve/", views.report_approve, name="report-approve"),
    path("r/<int:pk>/reopen/", views.report_reopen, name="report-reopen"),
    path("r/<int:pk>/consolidate/", views.report_consolidate, name="report-consolidate"),
    path("r/<int:pk>/xlsx/", views.report_xlsx, name="report-xlsx"),
    path("r/<int:pk>/print/", views.report_print, name="report-print"),
    path("forms/", views.form_list, name="form-list"),
    path("forms/<int:pk>/<path:period>/", views.completeness, name="completeness"),
    path("reminders/<int:pk>/read/", views.reminder_read, name="reminder-read"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/duties/<int:pk>/status/", views.duty_status, name="duty-status"),
    path("calendar/rollover/", views.calendar_rollover, name="calendar-rollover"),
    path("calendar/reminders/<int:pk>/read/", views.duty_reminder_read, name="duty-reminder-read"),
    path("programmes/", views_programmes.programme_list, name="programme-list"),
    path("programmes/<int:pk>/", views_programmes.programme_detail, name="programme-detail"),
    path("registrations/<int:pk>/", views_programmes.registration_detail, name="registration-detail"),
    path("registrations/<int:pk>/evidence/", views_programmes.registration_evidence, name="registration-evidence"),
    path("registrations/<int:pk>/scores/", views_programmes.registration_scores, name="registration-scores"),
    path("evidence/<int:pk>/", views_programmes.evidence_file, name="evidence-file"),
    path("evidence/<int:pk>/delete/", views_programmes.evidence_delete, name="evidence-delete"),
    path("initiatives/", views_programmes.initiative_list, name="initiative-list"),
    path("initiatives/<int:pk>/file/", views_programmes.initiative_file, name="initiative-file"),
    path("initiatives/<int:pk>/library/", views_programmes.initiative_select, name="initiative-select"),
    path("library/", views_programmes.library, name="library"),
]
