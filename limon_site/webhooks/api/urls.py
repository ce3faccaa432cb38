from django.urls import path

from limon_site.webhooks.api import views

urlpatterns = [
    path("api/admin/webhooks", views.WebhookListView.as_view(), name="webhooks"),
    path("api/admin/webhooks/events", views.WebhookEventListView.as_view(), name="webhook-events"),
    path("api/admin/webhooks/<int:pk>", views.WebhookDetailView.as_view(), name="webhook"),
    path(
        "api/admin/webhooks/<int:pk>/deliveries",
        views.WebhookDeliveryListView.as_view(),
        name="webhook-deliveries",
    ),
    path("api/admin/webhooks/<int:pk>/test", views.WebhookTestView.as_view(), name="webhook-test"),
    path(
        "api/admin/webhooks/<int:pk>/rotate-secret",
        views.WebhookRotateSecretView.as_view(),
        name="webhook-rotate-secret",
    ),
    path(
        "api/admin/webhooks/deliveries/<int:pk>/redeliver",
        views.WebhookRedeliverView.as_view(),
        name="webhook-redeliver",
    ),
]
