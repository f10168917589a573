from django.urls import path

from rapor.web.groups import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("cari/", views.member_search, name="search"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/hapus/", views.group_delete, name="delete"),
]
