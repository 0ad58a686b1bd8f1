"""The kitchen, under /kitchen/ (namespace ``kitchen``)."""

from django.urls import path

from mamnon.kitchen import views

app_name = "kitchen"
urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.settings_view, name="settings"),
    path("foods/", views.food_list, name="foods"),
    path("foods/new/", views.food_edit, name="food-create"),
    path("foods/<int:pk>/", views.food_edit, name="food-edit"),
    path("foods/<int:pk>/price/", views.price_edit, name="price"),
    path("foods/import/", views.food_import, name="food-import"),
    path("dishes/", views.dish_list, name="dishes"),
    path("dishes/<int:pk>/", views.dish_detail, name="dish"),
    path("menus/", views.menu_list, name="menus"),
    path("menus/<int:pk>/", views.menu_detail, name="menu"),
    path("menus/<int:pk>/print/", views.menu_print, name="menu-print"),
    path("market/", views.market, name="market"),
    path("purchases/", views.purchases, name="purchases"),
    path("store/", views.store, name="store"),
    path("safety/", views.safety, name="safety"),
    path("safety/print/", views.safety_print, name="safety-print"),
    path("suppliers/", views.suppliers, name="suppliers"),
    path("disclosures/", views.disclosures, name="disclosures"),
    path("disclosures/<int:pk>/print/", views.disclosure_print, name="disclosure-print"),
    path("portal/", views.portal_disclosures, name="portal-disclosures"),
]
