from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from accounts import views as account_views
from config.health import healthz
from offers import share_views


# Browsers ask for /favicon.ico on pages that name no icon (the admin's, files, error pages).
# A week: the address it points to changes only when the icon does.
@require_safe
@cache_control(public=True, max_age=7 * 24 * 60 * 60)
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", account_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("offers/", include("offers.urls")),
    path("s/<str:token>/", share_views.shared_comparison, name="shared_comparison"),
    path("market/", include("benchmarks.urls")),
    path("admin/", admin.site.urls),
] + ([path("perf/", include("config.floor"))] if settings.PERF_FLOOR_ENABLED else [])

handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"
