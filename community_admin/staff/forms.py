"""Input only: the rules are checked by `staff.services`."""

from django import forms

from community_admin.core import reveals
from community_admin.core.forms import StyledFormMixin
from community_admin.org.models import Committee, Department, Street
from community_admin.staff.models import (
    OPINION_TEXT_MAX,
    SCORE_FIELDS,
    SECONDMENT_REASON_MAX,
    Departure,
    PayPolicy,
    Post,
    Qualification,
    RetirementRule,
    SecondmentOpinion,
    Worker,
)
from community_admin.staff.services import PAY_FIELDS, RULE_FIELDS, SEX_PREFIX

DATE = forms.DateInput(attrs={"type": "date"})
ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # a prefilled date the browser reads


class WorkerCreateForm(StyledFormMixin, forms.Form):
    committee = forms.ModelChoiceField(label="所在社区", queryset=Committee.objects.none())
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=40)
    education = forms.ChoiceField(label="学历", choices=Worker.Education.choices)
    hire_date = forms.DateField(label="参加社区工作日期", widget=DATE)
    posts = forms.MultipleChoiceField(label="职务", choices=Post.choices, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees if committees is not None else Committee.objects.none()


class WorkerRevealForm(forms.Form):
    reason = forms.CharField(
        label="查看原因",
        max_length=reveals.REASON_MAX,
        error_messages={"required": reveals.ERR_REASON_REQUIRED},
    )


class PostsForm(StyledFormMixin, forms.Form):
    posts = forms.MultipleChoiceField(label="职务", choices=Post.choices, widget=forms.CheckboxSelectMultiple)


class QualificationForm(StyledFormMixin, forms.Form):
    level = forms.ChoiceField(label="职业资格", choices=Qualification.Level.choices)
    certificate_number = forms.CharField(label="证书编号", max_length=40)
    obtained_on = forms.DateField(label="取得日期", widget=DATE)


class ResignForm(StyledFormMixin, forms.Form):
    left_on = forms.DateField(label="离职日期", widget=DATE)
    reason = forms.ChoiceField(
        label="原因", choices=[c for c in Departure.Reason.choices if c[0] != Departure.Reason.RETIREMENT]
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RetireForm(StyledFormMixin, forms.Form):
    left_on = forms.DateField(label="退休日期", widget=DATE)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SecondmentRequestForm(StyledFormMixin, forms.Form):
    worker = forms.ModelChoiceField(label="借调社工", queryset=Worker.objects.none())
    host_street = forms.ModelChoiceField(
        label="借调至街道办事处", queryset=Street.objects.all(), required=False
    )
    host_department = forms.ModelChoiceField(
        label="或借调至区直部门", queryset=Department.objects.all(), required=False
    )
    reason = forms.CharField(
        label="借调事由", max_length=SECONDMENT_REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_start = forms.DateField(label="拟开始日期", widget=DATE)
    planned_end = forms.DateField(label="拟结束日期", widget=DATE, required=False)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers if workers is not None else Worker.objects.none()


class OpinionForm(StyledFormMixin, forms.Form):
    side = forms.ChoiceField(label="意见方", choices=SecondmentOpinion.Side.choices)
    text = forms.CharField(
        label="意见内容",
        max_length=OPINION_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = forms.FileField(label="书面意见扫描件（PDF/JPEG/PNG，5 MB 以内）", required=False)


class ApproveForm(StyledFormMixin, forms.Form):
    approval_document = forms.CharField(label="区政府批准文号", max_length=100)
    approved_on = forms.DateField(label="批准日期", widget=DATE)


class FileForm(StyledFormMixin, forms.Form):
    registry = forms.ChoiceField(
        label="备案单位", choices=[("hr", "区人力资源和社会保障局"), ("civil", "区民政局")]
    )
    reference = forms.CharField(label="备案号", max_length=100)


class ActivateForm(StyledFormMixin, forms.Form):
    started_on = forms.DateField(label="借调开始日期", widget=DATE)


class EndForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(label="借调结束日期", widget=DATE)


class RejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="否决理由", max_length=SECONDMENT_REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


SECONDMENT_STEP_FORMS = {
    "opinion": OpinionForm,
    "approve": ApproveForm,
    "file": FileForm,
    "activate": ActivateForm,
    "end": EndForm,
    "reject": RejectForm,
}


class PayrollComputeForm(StyledFormMixin, forms.Form):
    committee = forms.ModelChoiceField(label="社区", queryset=Committee.objects.none())
    year = forms.IntegerField(label="年", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月", min_value=1, max_value=12)

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees if committees is not None else Committee.objects.none()


class ScoreForm(StyledFormMixin, forms.Form):
    worker = forms.ModelChoiceField(label="社工", queryset=Worker.objects.none())
    representative = forms.CharField(label="居民代表", max_length=50)
    morality = forms.IntegerField(label="德", min_value=0, max_value=100)
    ability = forms.IntegerField(label="能", min_value=0, max_value=100)
    diligence = forms.IntegerField(label="勤", min_value=0, max_value=100)
    performance = forms.IntegerField(label="绩", min_value=0, max_value=100)
    integrity = forms.IntegerField(label="廉", min_value=0, max_value=100)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers if workers is not None else Worker.objects.none()

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in SCORE_FIELDS}


class RoundOpenForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    threshold = forms.DecimalField(label="问责分数线", min_value=0, max_value=100, decimal_places=2)


class FollowUpForm(StyledFormMixin, forms.Form):
    follow_up = forms.CharField(label="跟进情况", widget=forms.Textarea(attrs={"rows": 2}))
    close = forms.BooleanField(label="办结", required=False)


def form_errors(form) -> str:
    """Errors naming the field, for a message."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    return "；".join(parts)


# The yearly rules: the fields come from the models' verbose names; the services check the values.


def _model_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


class _VersionTextsMixin(forms.Form):
    source_document = forms.CharField(label="依据", max_length=300, widget=forms.TextInput)
    note = forms.CharField(label="修订说明", max_length=300, required=False)


class PayPolicyForm(StyledFormMixin, _VersionTextsMixin):
    """A draft's fields; `with_year` on a new draft (the year of a draft never changes)."""

    def __init__(self, *args, with_year: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        if with_year:
            fields["year"] = forms.IntegerField(label="年度")
        for name in PAY_FIELDS:
            label = _model_label(PayPolicy, name)
            if name == "honour_service_years":
                fields[name] = forms.IntegerField(label=label)
            else:
                fields[name] = forms.DecimalField(label=label, max_digits=10, decimal_places=2)
        for field in fields.values():  # the mixin styled the fields it saw; these come after it
            field.widget.attrs["class"] = "form-control"
        self.fields = {**fields, **self.fields}

    def sections(self):
        groups = [
            ("", ["year"]),
            ("月工资与津贴（元/月）", [n for n in PAY_FIELDS if not n.startswith("honour")]),
            ("特殊荣誉津贴", ["honour_service_years", "honour_amount"]),
            ("依据与说明", ["source_document", "note"]),
        ]
        return [
            (t, [self[n] for n in names if n in self.fields])
            for t, names in groups
            if any(n in self.fields for n in names)
        ]


class RetirementRulesForm(StyledFormMixin, _VersionTextsMixin):
    """The men's and the women's rule in one form (`male_base_age`, `female_name` …), as the API takes them."""

    def __init__(self, *args, with_year: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        if with_year:
            fields["year"] = forms.IntegerField(label="年度")
        for sex, prefix in SEX_PREFIX.items():
            sex_label = Worker.Sex(sex).label
            for name in RULE_FIELDS:
                label = f"{sex_label}职工：{_model_label(RetirementRule, name)}"
                required = name not in ("reform_from", "birth_months_per_step")
                if name == "name":
                    field = forms.CharField(label=label, max_length=100)
                elif name == "reform_from":
                    field = forms.DateField(label=label, required=False, widget=ISO_DATE)
                else:
                    field = forms.IntegerField(label=label, required=required)
                fields[f"{prefix}_{name}"] = field
        for field in fields.values():  # the mixin styled the fields it saw; these come after it
            field.widget.attrs["class"] = "form-control"
        self.fields = {**fields, **self.fields}

    def sections(self):
        """The fields in groups for the page: the year, the men's rule, the women's rule, the texts."""
        groups = [("", [self[n] for n in self.fields if n == "year"])]
        for sex, prefix in SEX_PREFIX.items():
            names = [n for n in self.fields if n.startswith(f"{prefix}_")]
            groups.append((f"{Worker.Sex(sex).label}职工", [self[n] for n in names]))
        groups.append(("依据与说明", [self["source_document"], self["note"]]))
        return [(title, fields) for title, fields in groups if fields]
