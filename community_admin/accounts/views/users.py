"""Account management (issue 16): the bureau keeps every account, a street office its own street's and its
committees' (accounts.scoping.visible_accounts); out of that scope an account answers 404 like a missing one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from community_admin.accounts import lockouts, scoping, selectors, services
from community_admin.accounts.filters import AccountFilter
from community_admin.accounts.forms import UserCreateForm, UserUpdateForm
from community_admin.accounts.labels import labelled
from community_admin.accounts.models import User
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.core.views import action_submit, form_submit, paginate, refusal_text

PER_PAGE = 50


class UserListView(PermissionRequiredMixin, View):
    required_permission = "accounts.manage"

    def get(self, request):
        filterset = AccountFilter(
            request.GET or None, queryset=selectors.account_list(request.user), user=request.user
        )
        refused = filterset.is_bound and not filterset.is_valid()
        rows = filterset.queryset.none() if refused else filterset.qs
        listed = paginate(request, rows, PER_PAGE)
        page_users = list(listed["page"].object_list)
        context = {
            "filter": filterset,
            "form": filterset.form,
            **listed,
            "rows": page_users,
            "locked": lockouts.locked_usernames(u.username for u in page_users),
        }
        # a filter it cannot read shows the form's error and no rows (core.filters.StrictFilterSet)
        return render(request, "accounts/user_list.html", context, status=400 if refused else 200)


class UserCreateView(PermissionRequiredMixin, View):
    required_permission = "accounts.manage"
    template_name = "accounts/user_form.html"

    def get(self, request):
        return self._render(UserCreateForm(actor=request.user))

    def post(self, request):
        form = UserCreateForm(request.POST, actor=request.user)
        return form_submit(
            request,
            form,
            lambda data: services.user_create(actor=request.user, **form.service_arguments()),
            invalid=self._render,
            success_url=lambda user: reverse("accounts:user-detail", args=[user.pk]),
            success_message=lambda user: (
                f"已新建账号 {user.username}（{user.display_name}）。请把用户名和初始密码告诉本人，"
                "本人首次登录后须修改密码。"
            ),
        )

    def _render(self, form):
        return render(self.request, self.template_name, {"form": form, "creating": True})


class AccountMixin(PermissionRequiredMixin):
    required_permission = "accounts.manage"

    def get_account(self) -> User:
        user = self.request.user
        return scoping.get_in_scope_or_404(selectors.account_list(user), user, pk=self.kwargs["pk"])

    def render_account(self, account: User, *, password: str = "", status: int = 200):
        context = {
            "account": account,
            "locked": lockouts.is_locked(account.username),
            "history": labelled(selectors.account_history(account)),
            "can_view_audit": has_permission(self.request.user, "audit.view"),
            "is_self": account.pk == self.request.user.pk,
            "new_password": password,
        }
        response = render(self.request, "accounts/user_detail.html", context, status=status)
        response["Cache-Control"] = "no-store"  # a temporary password is shown once
        return response


class UserDetailView(AccountMixin, View):
    def get(self, request, pk: int):
        return self.render_account(self.get_account())


class UserUpdateView(AccountMixin, View):
    template_name = "accounts/user_form.html"

    def get(self, request, pk: int):
        account = self.get_account()
        initial = {"first_name": account.first_name, "phone": account.phone, "post": account.post}
        return self._render(UserUpdateForm(initial=initial), account)

    def post(self, request, pk: int):
        account = self.get_account()
        form = UserUpdateForm(request.POST)
        return form_submit(
            request,
            form,
            lambda data: services.user_update(actor=request.user, user=account, **form.service_arguments()),
            invalid=lambda f: self._render(f, account),
            success_url=reverse("accounts:user-detail", args=[account.pk]),
            success_message="已保存。",
        )

    def _render(self, form, account):
        return render(self.request, self.template_name, {"form": form, "account": account})


class AccountActionView(AccountMixin, View):
    """A button on the account's page: `service(actor=, user=)`, then back to the page with what happened
    (a refusal as an error message)."""

    service = None
    done = ""

    def post(self, request, pk: int):
        account = self.get_account()
        service = type(self).service
        return action_submit(
            request,
            lambda data: service(actor=request.user, user=account),
            back=reverse("accounts:user-detail", args=[account.pk]),
            success_message=self.done.format(name=account.display_name),
        )


class UserDeactivateView(AccountActionView):
    service = services.user_deactivate
    done = "已停用 {name} 的账号：不能再登录，记录都保留。"


class UserReactivateView(AccountActionView):
    service = services.user_reactivate
    done = "已启用 {name} 的账号。"


class UserUnlockView(AccountActionView):
    service = services.user_unlock
    done = "已解除 {name} 的登录锁定。"


class UserPasswordResetView(AccountMixin, View):
    """The system makes a temporary password and shows it once, on this answer (no redirect: it is in no
    message, no URL, no cache)."""

    def post(self, request, pk: int):
        account = self.get_account()
        try:
            account, password = services.user_password_reset(actor=request.user, user=account)
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
            return redirect("accounts:user-detail", pk=account.pk)
        return self.render_account(account, password=password)
