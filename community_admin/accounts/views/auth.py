from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from community_admin.accounts import services
from community_admin.accounts.forms import PasswordChangeForm
from community_admin.core.views import form_submit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(LoginRequiredMixin, View):
    """Every logged-in person changes their own password here (the old one first, the site's validators);
    an account that must change it is sent here from every other page until it has."""

    template_name = "accounts/password_change.html"

    def get(self, request):
        return self._render(request, PasswordChangeForm())

    def post(self, request):
        return form_submit(
            request,
            PasswordChangeForm(request.POST),
            lambda data: self._change(request, data),
            invalid=lambda form: self._render(request, form),
            success_url=self._next(request),
            success_message="密码已修改。",
        )

    def _change(self, request, data):
        user = services.user_password_change(
            user=request.user, old_password=data["old_password"], new_password=data["new_password1"]
        )
        update_session_auth_hash(request, user)  # this session stays; the account's other sessions end
        return user

    def _next(self, request) -> str:
        target = request.POST.get("next") or request.GET.get("next") or ""
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        return target if target and safe else resolve_url("home")

    def _render(self, request, form):
        context = {
            "form": form,
            "forced": request.user.must_change_password,
            "next": request.GET.get("next", ""),
        }
        response = render(request, self.template_name, context)
        response["Cache-Control"] = "no-store"
        return response
