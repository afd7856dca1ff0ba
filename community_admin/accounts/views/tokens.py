from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from community_admin.accounts import scoping, selectors, services
from community_admin.accounts.forms import ApiTokenCreateForm
from community_admin.accounts.permissions import PermissionRequiredMixin
from community_admin.core.views import action_submit, errors_into_form, refusal_text


class TokenListView(PermissionRequiredMixin, View):
    """The bureau creates department tokens here; a new key is shown once on the response page."""

    required_permission = "tokens.manage"
    template_name = "accounts/token_list.html"

    def get(self, request):
        return self._render(request, ApiTokenCreateForm())

    def post(self, request):
        form = ApiTokenCreateForm(request.POST)
        new_key = None
        if form.is_valid():
            try:
                token, new_key = services.api_token_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                errors_into_form(form, exc)
            else:
                messages.success(request, f"令牌“{token.name}”已创建。请立即复制，离开本页后无法再次查看。")
                form = ApiTokenCreateForm()
        return self._render(request, form, new_key=new_key, status=200 if new_key or not form.errors else 400)

    def _render(self, request, form, *, new_key=None, status=200):
        context = {"form": form, "tokens": selectors.api_token_list(), "new_key": new_key}
        response = render(request, self.template_name, context, status=status)
        response["Cache-Control"] = "no-store"
        return response


class TokenRevokeView(PermissionRequiredMixin, View):
    required_permission = "tokens.manage"

    def post(self, request, pk: int):
        token = scoping.get_in_scope_or_404(selectors.api_token_list(), request.user, pk=pk)
        return action_submit(
            request,
            lambda data: services.api_token_revoke(actor=request.user, token=token),
            back=reverse("accounts:token-list"),
            success_message=f"令牌“{token.name}”已撤销。",
        )


class TokenRotateView(TokenListView):
    """Issue a new key for a token and revoke the old one; the new key is shown once, like a new token."""

    def get(self, request, pk: int):
        return redirect("accounts:token-list")

    def post(self, request, pk: int):
        token = scoping.get_in_scope_or_404(selectors.api_token_list(), request.user, pk=pk)
        try:
            new_token, new_key = services.api_token_rotate(actor=request.user, token=token)
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
            return redirect("accounts:token-list")
        messages.success(
            request, f"令牌“{new_token.name}”已轮换，旧令牌已失效。请立即复制新令牌，离开本页后无法再次查看。"
        )
        return self._render(request, ApiTokenCreateForm(), new_key=new_key)
