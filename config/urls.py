from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from offers import share_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", account_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("offers/", include("offers.urls")),
    path("s/<str:token>/", share_views.shared_comparison, name="shared_comparison"),
    path("market/", include("benchmarks.urls")),
    path("admin/", admin.site.urls),
] + ([path("perf/", include("config.floor"))] if settings.PERF_FLOOR_ENABLED else [])

handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"
