from django.contrib.auth import views as auth_views
from django.urls import path

from contributions import partner_views, views

app_name = "contributions"

urlpatterns = [
    path("angebot-melden/", views.submit_offer, name="submit"),
    path("angebot-melden/danke/<str:token>/", views.submission_thanks, name="submission_thanks"),
    path("angebote/<slug:slug>/aenderung-melden/", views.report_change, name="report_change"),
    path("angebot-pruefen/<str:token>/", views.review, name="review"),
    path(
        "angebote/<slug:slug>/aenderung-melden/danke/",
        views.change_report_thanks,
        name="change_report_thanks",
    ),
    path("partner/", partner_views.dashboard, name="partner_dashboard"),
    path("partner/angebote/<int:pk>/bearbeiten/", partner_views.edit_offer, name="partner_edit"),
    path(
        "partner/anmelden/",
        auth_views.LoginView.as_view(
            template_name="contributions/login.html",
            next_page="contributions:partner_dashboard",
            http_method_names=["get", "head", "post"],
        ),
        name="partner_login",
    ),
    path(
        "partner/abmelden/",
        auth_views.LogoutView.as_view(next_page="directory:home"),
        name="partner_logout",
    ),
]
