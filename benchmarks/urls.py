from django.urls import path

from benchmarks import search_views, views

app_name = "benchmarks"

urlpatterns = [
    path("", views.explorer, name="explorer"),
    path("search/<slug:menu>/", search_views.search_options, name="search"),
]
