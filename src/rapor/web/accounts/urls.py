from django.urls import path

from rapor.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("masuk/ditolak/", views.refused, name="refused"),
    path("masuk/demo/", views.demo_login, name="demo_login"),
    path("keluar/", views.logout, name="logout"),
]
