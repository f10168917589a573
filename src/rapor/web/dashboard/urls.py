from django.urls import path

from rapor.web.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("beranda/", views.home, name="home"),
    path("cari/", views.find, name="find"),
    path("wilayah/<str:code>/", views.region, name="region"),
    path(
        "wilayah/<str:code>/indikator/<str:indicator>/",
        views.region_indicator,
        name="region_indicator",
    ),
    path("sekolah/<str:npsn>/", views.school, name="school"),
    path(
        "sekolah/<str:npsn>/indikator/<str:indicator>/",
        views.school_indicator,
        name="school_indicator",
    ),
]
