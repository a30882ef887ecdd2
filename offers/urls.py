from django.urls import path

from offers import views

app_name = "offers"

urlpatterns = [
    path("", views.offer_list, name="list"),
    path("compare/", views.compare, name="compare"),
]
