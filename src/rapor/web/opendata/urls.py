from django.urls import path

from rapor.web.opendata import views

app_name = "opendata"
urlpatterns = [
    path("data-terbuka/", views.page, name="page"),
    path("api/", views.to_index, name="to_index"),
    path("api/v1/", views.index, name="index"),
    path("api/v1/openapi.json", views.openapi, name="openapi"),
    path("api/v1/releases", views.release_list, name="releases"),
    path("api/v1/releases/<str:release>", views.release_detail, name="release"),
    path("api/v1/releases/<str:release>/catalogue", views.catalogue, name="catalogue"),
    path("api/v1/releases/<str:release>/regions", views.regions, name="regions"),
    path(
        "api/v1/releases/<str:release>/regions/<str:code>/values",
        views.region_values,
        name="region_values",
    ),
    path("api/v1/releases/<str:release>/bulk/<str:file_name>", views.bulk, name="bulk"),
]
