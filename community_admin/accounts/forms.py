from django import forms

from community_admin.accounts.models import ApiToken
from community_admin.accounts.services import TOKEN_MAX_DAYS
from community_admin.core.forms import StyledFormMixin
from community_admin.core.models import AuditLog
from community_admin.org.models import Department


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
