from django.urls import path

from wegweiser import views

app_name = "wegweiser"

urlpatterns = [
    path("", views.choose, name="choose"),
    path("pdf/", views.guide_pdf, name="pdf"),
]
