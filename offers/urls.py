from django.urls import path
from django.views.generic import RedirectView

from offers import compare_views, contribution_views, negotiate_views, share_views, views

app_name = "offers"

urlpatterns = [
    path("", views.offer_list, name="list"),
    path("new/", views.offer_create, name="create"),
    path("preview/", views.offer_preview, name="preview"),
    path("compare/", compare_views.compare_offers, name="compare"),
    path("compare/export.csv", compare_views.compare_csv, name="compare_csv"),
    path("shares/", share_views.share_list, name="shares"),
    path("shares/<int:pk>/revoke/", share_views.share_revoke, name="share_revoke"),
    path("<int:pk>/", views.offer_detail, name="detail"),
    path("<int:pk>/edit/", views.offer_update, name="edit"),
    path("<int:pk>/duplicate/", views.offer_duplicate, name="duplicate"),
    path("<int:pk>/delete/", views.offer_delete, name="delete"),
    path("<int:pk>/contribution/", contribution_views.contribution_add, name="contribute"),
    path(
        "<int:pk>/contribution/withdraw/",
        contribution_views.contribution_withdraw,
        name="withdraw_contribution",
    ),
    path("<int:pk>/negotiate/", negotiate_views.negotiate, name="negotiate"),
    path("<int:pk>/rounds/", negotiate_views.rounds, name="rounds"),
    # Where the rounds page used to be: bookmarks and old emails still find it (the page itself
    # checks who may see the offer).
    path(
        "<int:pk>/versions/",
        RedirectView.as_view(pattern_name="offers:rounds", permanent=True),
        name="versions",
    ),
    path(
        "<int:pk>/rounds/<int:number>/apply/",
        negotiate_views.apply_round,
        name="apply_round",
    ),
]
