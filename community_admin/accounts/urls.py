from django.urls import path

from community_admin.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("audit/", views.AuditLogListView.as_view(), name="audit-list"),
    path("tokens/", views.TokenListView.as_view(), name="token-list"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token-revoke"),
    path("tokens/<int:pk>/rotate/", views.TokenRotateView.as_view(), name="token-rotate"),
]
