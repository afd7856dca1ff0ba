from django import forms
from django.core.exceptions import ValidationError

from community_admin.accounts import scoping
from community_admin.accounts.models import ApiToken, Role, User
from community_admin.accounts.services import TOKEN_MAX_DAYS
from community_admin.core.forms import StyledFormMixin
from community_admin.core.models import AuditLog
from community_admin.org.models import Department

ERR_PASSWORDS_DIFFER = "确认新密码：两次输入的新密码不一致。"
ERR_UNIT_CHOICE = "所属单位：请从列表中选择本单位管理的单位。"
POST_HINT = "如 社区书记、主任、社工、科员"


class ApiTokenCreateForm(StyledFormMixin, forms.Form):
    department = forms.ModelChoiceField(label="部门", queryset=Department.objects.all())
    name = forms.CharField(label="用途说明", max_length=100)
    scopes = forms.MultipleChoiceField(
        label="权限范围", choices=ApiToken.Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    days_valid = forms.IntegerField(label="有效天数", min_value=1, max_value=TOKEN_MAX_DAYS, initial=180)


class AuditFilterForm(StyledFormMixin, forms.Form):
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    action = forms.CharField(label="操作", required=False, max_length=80)
    object_type = forms.CharField(label="对象类型", required=False, max_length=80)
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *AuditLog.Result.choices])
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    account = forms.IntegerField(label="账号", required=False, min_value=1, widget=forms.HiddenInput)


def unit_key(role: str, unit) -> str:
    return role if unit is None else f"{role}:{unit.pk}"


def unit_choices(units) -> list:
    """The units as a select's choices, grouped by the role the account gets there."""
    groups: dict[str, list] = {}
    for role, unit in units:
        label = str(Role(role).label) if unit is None else unit.name
        groups.setdefault(str(Role(role).label), []).append((unit_key(role, unit), label))
    return [("", "请选择所属单位"), *groups.items()]


class PersonFieldsMixin(forms.Form):
    first_name = forms.CharField(label="姓名", max_length=150)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    post = forms.CharField(
        label="职务", max_length=50, required=False, widget=forms.TextInput(attrs={"placeholder": POST_HINT})
    )


class UserCreateForm(StyledFormMixin, PersonFieldsMixin):
    """The unit decides the role: the choices are the units the actor manages (scoping.account_units)."""

    username = forms.CharField(
        label="用户名", max_length=150, help_text="登录用，字母、数字和 @ . + - _，如 committee-0101-3。"
    )
    unit = forms.ChoiceField(label="所属单位")
    password = forms.CharField(
        label="初始密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="至少 12 位，不能太常见或全是数字；本人首次登录后须修改。",
    )
    field_order = ["username", "first_name", "unit", "post", "phone", "password"]

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        units = scoping.account_units(actor)
        self.units = {unit_key(role, unit): (role, unit) for role, unit in units}
        self.fields["unit"].choices = unit_choices(units)
        self.fields["unit"].error_messages["invalid_choice"] = ERR_UNIT_CHOICE

    def clean_unit(self):
        key = self.cleaned_data["unit"]
        if key not in self.units:
            raise ValidationError(ERR_UNIT_CHOICE)
        return self.units[key]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        role, unit = data.pop("unit")
        full_name = data.pop("first_name")
        return {**data, "full_name": full_name, "role": role, "unit": unit}


class UserUpdateForm(StyledFormMixin, PersonFieldsMixin):
    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        full_name = data.pop("first_name")
        return {**data, "full_name": full_name}


class PasswordChangeForm(StyledFormMixin, forms.Form):
    old_password = forms.CharField(
        label="原密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label="新密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 12 位，不能与用户名或姓名相近，不能太常见，不能全是数字。",
    )
    new_password2 = forms.CharField(
        label="确认新密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("new_password1")
            and data.get("new_password2")
            and data["new_password1"] != data["new_password2"]
        ):
            self.add_error("new_password2", ERR_PASSWORDS_DIFFER)
        return data
