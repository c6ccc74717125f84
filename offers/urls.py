from django.urls import path

from django.contrib.auth import views as auth_views

from offers import partner_views, submission_views, views

app_name = "offers"

urlpatterns = [
    path("", views.home, name="home"),
    path("angebote/", views.offer_list, name="list"),
    path("angebote/<slug:slug>/", views.offer_detail, name="detail"),
    path("traeger/", views.provider_list, name="provider_list"),
    path("traeger/<slug:slug>/", views.provider_detail, name="provider_detail"),
    path("praeventionskette/", views.chain, name="chain"),
    path("angebot-melden/", submission_views.submit_offer, name="submit"),
    path("angebot-melden/danke/<str:token>/", submission_views.submission_thanks, name="submission_thanks"),
    path("angebote/<slug:slug>/aenderung-melden/", submission_views.report_change, name="report_change"),
    path(
        "angebote/<slug:slug>/aenderung-melden/danke/",
        submission_views.change_report_thanks,
        name="change_report_thanks",
    ),
    path("partner/", partner_views.dashboard, name="partner_dashboard"),
    path("partner/angebote/<int:pk>/bearbeiten/", partner_views.edit_offer, name="partner_edit"),
    path(
        "partner/anmelden/",
        auth_views.LoginView.as_view(
            template_name="partners/login.html",
            next_page="offers:partner_dashboard",
            http_method_names=["get", "head", "post"],
        ),
        name="partner_login",
    ),
    path("partner/abmelden/", auth_views.LogoutView.as_view(next_page="offers:home"), name="partner_logout"),
]
