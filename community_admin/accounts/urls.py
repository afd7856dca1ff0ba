from django.urls import path

from community_admin.accounts.views import audit, auth, tokens, users

app_name = "accounts"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/", auth.PasswordChangeView.as_view(), name="password-change"),
    path("audit/", audit.AuditLogListView.as_view(), name="audit-list"),
    path("tokens/", tokens.TokenListView.as_view(), name="token-list"),
    path("tokens/<int:pk>/revoke/", tokens.TokenRevokeView.as_view(), name="token-revoke"),
    path("tokens/<int:pk>/rotate/", tokens.TokenRotateView.as_view(), name="token-rotate"),
    path("users/", users.UserListView.as_view(), name="user-list"),
    path("users/new/", users.UserCreateView.as_view(), name="user-create"),
    path("users/<int:pk>/", users.UserDetailView.as_view(), name="user-detail"),
    path("users/<int:pk>/edit/", users.UserUpdateView.as_view(), name="user-edit"),
    path("users/<int:pk>/deactivate/", users.UserDeactivateView.as_view(), name="user-deactivate"),
    path("users/<int:pk>/reactivate/", users.UserReactivateView.as_view(), name="user-reactivate"),
    path("users/<int:pk>/unlock/", users.UserUnlockView.as_view(), name="user-unlock"),
    path("users/<int:pk>/reset-password/", users.UserPasswordResetView.as_view(), name="user-password-reset"),
]
