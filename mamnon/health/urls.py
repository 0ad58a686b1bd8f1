app_name = "health"
urlpatterns: list = []
