from django.urls import path, register_converter

from steering import views
from steering.exports import FORMATS


class FormatConverter:
    regex = "|".join(FORMATS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "format")

app_name = "steering"

urlpatterns = [
    path("koordination/", views.coverage_view, name="coverage"),
    path("koordination/parallelangebote/", views.parallel_view, name="parallel"),
    path("koordination/druck/", views.coverage_print, name="print"),
    path("koordination/pruefung/", views.overdue_view, name="overdue"),
    path("koordination/abdeckung.<format:format>", views.coverage_export, name="coverage_export"),
    path("koordination/angebote.<format:format>", views.offers_export, name="offers_export"),
]
