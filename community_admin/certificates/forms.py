from django import forms

from community_admin.certificates.models import CertificateType
from community_admin.core.forms import StyledFormMixin


class PersonSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="查找当事人（姓名、户编号或身份证号后四位）", max_length=50, required=False)


class IssueForm(StyledFormMixin, forms.Form):
    person = forms.ModelChoiceField(label="当事人", queryset=None)
    certificate_type = forms.ModelChoiceField(label="证明类型", queryset=None)
    purpose = forms.CharField(label="用途", max_length=200, required=False)

    def __init__(self, *args, persons, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.name}（{p.household.number} {p.household.address}，{p.id_number_masked}）"
        )
        self.fields["certificate_type"].queryset = types
        self.fields["certificate_type"].label_from_instance = lambda t: f"[{t.tier}] {t.name}"


class VoidForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="作废原因", max_length=200)


class CertificateTypeForm(StyledFormMixin, forms.Form):
    tier = forms.ChoiceField(label="类别", choices=CertificateType.Tier.choices)
    refer_to = forms.CharField(label="告知办理部门（C 类必填）", max_length=200, required=False)
    referral_domain = forms.ChoiceField(
        label="所属领域", choices=CertificateType.Domain.choices, required=False
    )
    required_evidence = forms.CharField(
        label="所需证明材料（B 类必填，每行一项）", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    template_text = forms.CharField(
        label="证明正文模板（A、B 类必填）",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="可用占位符：{name} {sex} {birth_date} {id_number} {address} {committee} {street} {purpose}",
    )
    shows_full_id = forms.BooleanField(label="正文显示完整身份证号", required=False)
    active = forms.BooleanField(label="启用", required=False)

    def clean_required_evidence(self):
        return [line.strip() for line in self.cleaned_data["required_evidence"].splitlines() if line.strip()]


class AdoptForm(StyledFormMixin, forms.Form):
    prohibition = forms.ModelChoiceField(label="采用的国家规定", queryset=None)
    refer_to = forms.CharField(label="告知办理部门（不填则按国家规定）", max_length=200, required=False)

    def __init__(self, *args, certificate_type: CertificateType, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prohibition"].queryset = certificate_type.conflicts.all()


class SealLogFilterForm(StyledFormMixin, forms.Form):
    committee = forms.ModelChoiceField(label="社区", queryset=None, required=False)
    date_from = forms.DateField(label="自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    applied_by = forms.CharField(label="用印人", max_length=150, required=False, help_text="姓名或登录账号")
    serial = forms.CharField(label="证明编号", max_length=40, required=False)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class StatisticsForm(StyledFormMixin, forms.Form):
    GROUPS = [
        ("tier", "按类别"),
        ("type", "按证明类型"),
        ("committee", "按社区"),
        ("street", "按街道"),
        ("month", "按月份"),
    ]
    group_by = forms.ChoiceField(label="分组", choices=GROUPS, required=False)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)


class VerifyForm(StyledFormMixin, forms.Form):
    s = forms.CharField(label="证明编号", max_length=60)
    c = forms.CharField(label="核验码", max_length=32)
