from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("angebote/", views.offer_list, name="list"),
    path("in-meiner-naehe/", views.near, name="near"),
    path("angebote/<slug:slug>/", views.offer_detail, name="detail"),
    path("angebote/<slug:slug>/leichte-sprache/", views.offer_easy, name="detail_easy"),
    path("traeger/", views.provider_list, name="provider_list"),
    path("traeger/<slug:slug>/", views.provider_detail, name="provider_detail"),
    path("praeventionskette/", views.chain, name="chain"),
    path("netzwerke/", views.network_list, name="network_list"),
    path("netzwerke/<slug:slug>/", views.network_detail, name="network_detail"),
]
