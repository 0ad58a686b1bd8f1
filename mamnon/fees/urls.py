from django.urls import path

from mamnon.fees import views

app_name = "fees"
urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate, name="generate"),
    path("table/", views.table_edit, name="table-edit"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path("arrears/", views.arrears, name="arrears"),
    path("import/", views.import_view, name="import"),
    path("import/preview/", views.import_preview, name="import-preview"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("eligibility/<int:pk>/", views.eligibility_edit, name="eligibility-edit"),
    path("portal/", views.portal, name="portal"),
    path("portal/<int:pk>/", views.portal_statement, name="portal-statement"),
]
