from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Prevention offers Oberhausen – coordination")
admin.site.site_title = _("Prevention offers Oberhausen")
admin.site.index_title = _("Curate offers, providers and networks")

urlpatterns = [
    path("admin/", admin.site.urls),
]
