from django.urls import path

from rapor.web.downloads import views

app_name = "downloads"
urlpatterns = [
    path("", views.index, name="index"),
    path("wilayah/<str:code>/", views.region_file, name="region"),
    path("sekolah/<str:npsn>/", views.school_file, name="school"),
]
