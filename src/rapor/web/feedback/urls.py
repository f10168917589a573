from django.urls import path

from rapor.web.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.feedback, name="feedback"),
    path("terkirim/", views.sent, name="sent"),
]
