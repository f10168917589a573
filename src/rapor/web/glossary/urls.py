from django.urls import path

from rapor.web.glossary import views

app_name = "glossary"

urlpatterns = [
    path("", views.term_list, name="term_list"),
]
