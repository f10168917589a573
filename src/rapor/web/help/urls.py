from django.urls import path

from rapor.web.help import views

app_name = "help"

urlpatterns = [
    path("", views.index, name="index"),
    path("faq/<int:pk>/", views.faq_detail, name="faq_detail"),
    path("panduan/rapor-pendidikan.pdf", views.user_guide, name="user_guide"),
    path("panduan/<int:pk>/", views.guide, name="guide"),
    path("infografik/<int:pk>/", views.infographic, name="infographic"),
    path("infografik/<int:pk>/gambar/", views.infographic_image, name="infographic_image"),
    path("video/<int:pk>/", views.video, name="video"),
    path("video/<int:pk>/berkas/", views.video_file, name="video_file"),
    path("video/<int:pk>/takarir/", views.video_captions, name="video_captions"),
    path("hubungi/", views.contact, name="contact"),
    path("tiket/<int:pk>/lampiran/", views.attachment, name="attachment"),
]
