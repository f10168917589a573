from django.urls import path

from rapor.web.help import views

app_name = "help"

urlpatterns = [
    path("", views.index, name="index"),
    path("faq/<int:pk>/", views.faq_detail, name="faq_detail"),
    path("hubungi/", views.contact, name="contact"),
    path("tiket/<int:pk>/lampiran/", views.attachment, name="attachment"),
]
