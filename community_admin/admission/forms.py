from django import forms
from django.utils import timezone

from community_admin.admission import selectors, services
from community_admin.admission.models import Area, RefusalRequestDecision, ServiceItem
from community_admin.core.forms import StyledFormMixin
from community_admin.org.models import Committee, Department


class ServiceItemFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="名称或编号", required=False, max_length=100)
    area = forms.ChoiceField(label="领域", required=False, choices=[("", "全部"), *Area.choices])
    category = forms.ChoiceField(
        label="清单类别", required=False, choices=[("", "全部"), *ServiceItem.Category.choices]
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *ServiceItem.Status.choices]
    )


class ServiceItemApplyForm(StyledFormMixin, forms.ModelForm):
    """Input only; the procedure's rules (30 working days ahead, own department) are in the service."""

    class Meta:
        model = ServiceItem
        fields = [
            "department",
            "name",
            "area",
            "category",
            "legal_basis",
            "source_document",
            "effective_from",
            "unit",
            "unit_rate",
        ]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, department: Department | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if department is not None:
            self.fields["department"].queryset = Department.objects.filter(pk=department.pk)
            self.fields["department"].initial = department.pk
        self.fields["effective_from"].initial = services.add_working_days(
            timezone.localdate(), services.APPLY_LEAD_WORKING_DAYS
        )


class ServiceItemEditForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ServiceItem
        fields = list(services.ITEM_EDITABLE_FIELDS)
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "co_departments": forms.CheckboxSelectMultiple,
        }


class ServiceItemTransitionForm(StyledFormMixin, forms.Form):
    action = forms.ChoiceField(
        label="审批操作",
        choices=[(action, verb) for action, (_, _, verb, _) in services.ITEM_TRANSITIONS.items()],
        error_messages={"required": "审批操作：请选择一项操作。", "invalid_choice": "审批操作：未知的操作。"},
    )
    note = forms.CharField(
        label="审批意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignmentCompleteForm(StyledFormMixin, forms.Form):
    report = forms.CharField(
        label="完成情况报告",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写完成情况。"},
    )


class AssignmentRefuseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="拒绝理由", max_length=300, error_messages={"required": "请填写拒绝理由。"}
    )


class RefusalRequestForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="申请拒绝的理由",
        max_length=300,
        error_messages={"required": "请写明为什么这项任务不应由社区承担。"},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RefusalDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label="街道决定", choices=RefusalRequestDecision.choices)
    note = forms.CharField(label="街道意见", max_length=300, required=False)


class InboxFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *selectors.INBOX_STATUSES]
    )
    committee = forms.ModelChoiceField(label="社区", required=False, queryset=Committee.objects.none())

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if committees is not None:
            self.fields["committee"].queryset = committees.order_by("code")


class WorkloadFilterForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
