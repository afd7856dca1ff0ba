from decimal import Decimal

from django import forms
from django.utils import timezone

from community_admin.core.forms import StyledFormMixin
from community_admin.funding.models import Category, FundingPolicy

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


class PolicyForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="名称", max_length=100)
    source = forms.CharField(label="依据", max_length=300)
    base_amount = forms.DecimalField(label="基数经费（前 1000 户，元）", initial=Decimal("10000"), **MONEY)
    per_household_beyond = forms.DecimalField(label="超出部分每户（元）", initial=Decimal("11"), **MONEY)
    village_converted_pool = forms.DecimalField(
        label="村改居新增经费总额（元）", initial=Decimal("200000"), **MONEY
    )
    large_centre_extra = forms.DecimalField(
        label="千平米服务中心每社区增加（元）", initial=Decimal("0"), **MONEY
    )
    delay_days = forms.IntegerField(label="拨付时限（天）", initial=30, min_value=1, max_value=365)
    adopt = forms.BooleanField(label="立即采用", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = {
            "phone": 1500,
            "printing": 1000,
            "newspapers": 2000,
            "activities": 3000,
            "office_supplies": 1000,
            "utilities": 4000,
            "equipment": 4000,
            "display_boards": 5000,
            "group_leaders": 3000,
        }
        for value, label in Category.choices:
            self.fields[f"cost_{value}"] = forms.DecimalField(
                label=f"典型年支出：{label}", initial=Decimal(defaults[value]), **MONEY
            )
        self.fields["year"].initial = timezone.localdate().year
        for name, field in self.fields.items():
            if name.startswith("cost_"):  # added after the mixin styled the declared fields
                field.widget.attrs["class"] = "form-control"

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["typical_costs"] = {value: data.pop(f"cost_{value}") for value in Category.values}
        return data


class RunForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class SendForm(StyledFormMixin, forms.Form):
    sent_on = forms.DateField(label="下拨日期", widget=forms.DateInput(attrs={"type": "date"}))


class CompareForm(StyledFormMixin, forms.Form):
    a = forms.ModelChoiceField(label="方案甲", queryset=FundingPolicy.objects.all())
    b = forms.ModelChoiceField(label="方案乙", queryset=FundingPolicy.objects.all())


class PassOnForm(StyledFormMixin, forms.Form):
    passed_on = forms.DateField(label="转拨日期", widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label="转拨金额（元）", **MONEY)


class ConfirmForm(StyledFormMixin, forms.Form):
    received_on = forms.DateField(label="到账日期", widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label="到账金额（元）", **MONEY)


class ExpenditureForm(StyledFormMixin, forms.Form):
    spent_on = forms.DateField(label="支出日期", widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ChoiceField(label="支出类别", choices=Category.choices)
    amount = forms.DecimalField(
        label="金额（元）", max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    description = forms.CharField(label="摘要", max_length=200)
    task = forms.ModelChoiceField(label="列支随事转经费的任务（可空）", queryset=None, required=False)
    receipt = forms.FileField(label="票据（PDF/JPEG/PNG）")

    def __init__(self, *args, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
