from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from core.health import healthz
from offers import share_views

urlpatterns = [
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("", core_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("offers/", include("offers.urls")),
    path("s/<str:token>/", share_views.shared_comparison, name="shared_comparison"),
    path("market/", include("benchmarks.urls")),
    path("admin/", admin.site.urls),
] + ([path("perf/", include("core.floor"))] if settings.PERF_FLOOR_ENABLED else [])

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
