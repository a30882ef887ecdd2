from django.urls import path

from offers import views

app_name = "offers"

urlpatterns = [
    path("", views.offer_list, name="list"),
    path("new/", views.offer_create, name="create"),
    path("preview/", views.offer_preview, name="preview"),
    path("compare/", views.compare, name="compare"),
    path("<int:pk>/", views.offer_detail, name="detail"),
    path("<int:pk>/edit/", views.offer_update, name="edit"),
    path("<int:pk>/duplicate/", views.offer_duplicate, name="duplicate"),
    path("<int:pk>/delete/", views.offer_delete, name="delete"),
]
