from django.urls import path

from steering import views

app_name = "steering"

urlpatterns = [
    path("koordination/", views.coverage_view, name="coverage"),
    path("koordination/parallelangebote/", views.parallel_view, name="parallel"),
]
