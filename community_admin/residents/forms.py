from django import forms

from community_admin.core import idnumbers, reveals, uploads
from community_admin.core.forms import StyledFormMixin, UnechoedTextInput
from community_admin.org.models import Committee
from community_admin.residents.models import ACTIVE_STATUS_CHOICES, Household, Person
from community_admin.residents.services import ERR_CONFLICT_RESOLUTION


class IdNumberSearchForm(StyledFormMixin, forms.Form):
    """Finding a person by the full number: posted, never in a URL (core.middleware.IdNumberInUrlMiddleware)."""

    id_number = forms.CharField(
        label="公民身份号码（完整）",
        max_length=40,
        widget=UnechoedTextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )

    def clean_id_number(self):
        try:
            return idnumbers.parse(self.cleaned_data["id_number"], allow_legacy=True).value
        except idnumbers.InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from exc


class PersonForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=40)
    relationship = forms.ChoiceField(label="与户主关系", choices=Person.Relationship.choices)
    status = forms.ChoiceField(label="居住状态", choices=ACTIVE_STATUS_CHOICES)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    residence_permit_number = forms.CharField(label="居住证号码（流动人口）", max_length=30, required=False)
    marital_status = forms.ChoiceField(label="婚姻状况", choices=Person.Marital.choices, required=False)
    party_member = forms.BooleanField(label="党员", required=False)
    veteran = forms.BooleanField(label="退役军人", required=False)
    registered_unemployed = forms.BooleanField(label="登记失业", required=False)
    disability_certificate = forms.CharField(label="残疾证号", max_length=30, required=False)
    disability_level = forms.TypedChoiceField(
        label="残疾等级",
        choices=[("", "—"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    minimum_allowance = forms.BooleanField(label="低保", required=False)

    def __init__(self, *args, sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive:
            for field in ("disability_certificate", "disability_level", "minimum_allowance"):
                del self.fields[field]


class PersonRegisterForm(PersonForm):
    moved_in_on = forms.DateField(
        label="迁入日期（从区外迁入时填写）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class HouseholdForm(StyledFormMixin, forms.Form):
    committee = forms.ModelChoiceField(label="社区", queryset=None)
    number = forms.CharField(label="户编号", max_length=30)
    building = forms.CharField(label="楼栋", max_length=50, help_text="如“3号楼”")
    unit = forms.CharField(label="单元", max_length=20, required=False)
    room = forms.CharField(label="门牌号", max_length=20)
    housing_type = forms.ChoiceField(label="住房类型", choices=Household.HousingType.choices)
    kind = forms.ChoiceField(label="户类型", choices=Household.Kind.choices)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        if committees.count() == 1:
            self.fields["committee"].initial = committees.first()


class EventForm(StyledFormMixin, forms.Form):
    happened_on = forms.DateField(label="发生日期", widget=forms.DateInput(attrs={"type": "date"}))
    destination = forms.CharField(label="迁往（迁出时填写）", max_length=200, required=False)


def _date_input() -> forms.DateInput:
    """`type="date"` takes only ISO dates: a prefilled value in the locale's format would show empty."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _ServiceMessagesMixin:
    """A service's message names its field ("签发日期：不能晚于今天。") and the field's template puts the label
    before every error: on a field, the message keeps only what follows the name."""

    def add_error(self, field, error):
        if field in self.fields and isinstance(error, list):
            error = [e.split("：", 1)[1] if isinstance(e, str) and "：" in e[:12] else e for e in error]
        super().add_error(field, error)


class _CommitteeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.street.name} · {obj.name}"


class FloatingMoveOutForm(_ServiceMessagesMixin, StyledFormMixin, forms.Form):
    happened_on = forms.DateField(label="迁出日期", widget=forms.DateInput(attrs={"type": "date"}))
    to_committee = _CommitteeChoice(
        label="迁往本区社区",
        help_text="迁往区外或不详则不选",
        queryset=Committee.objects.select_related("street").order_by("street__code", "code"),
        required=False,
        empty_label="—",
    )
    destination = forms.CharField(
        label="迁往地址", max_length=200, required=False, help_text="如“河南省郑州市金水区”；不详可不填"
    )
    reason = forms.CharField(label="迁出原因", max_length=200, required=False, help_text="可不填")


class ResidencePermitForm(_ServiceMessagesMixin, StyledFormMixin, forms.Form):
    residence_permit_number = forms.CharField(
        label="居住证号码",
        max_length=40,
        required=False,
        widget=UnechoedTextInput(attrs={"autocomplete": "off"}),
    )
    residence_permit_issued_on = forms.DateField(label="签发日期", widget=_date_input())
    residence_permit_valid_until = forms.DateField(
        label="有效期至",
        required=False,
        help_text="长期有效则不填",
        widget=_date_input(),
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["residence_permit_number"]
        if person.residence_permit_number:
            field.help_text = f"现为 {person.residence_permit_number_masked}；换证时填写新号码，否则留空"
        else:
            field.required = True


class TransferForm(StyledFormMixin, forms.Form):
    committee_code = forms.CharField(label="新社区代码（本社区可不填）", max_length=20, required=False)
    household_number = forms.CharField(label="新户编号", max_length=30)
    happened_on = forms.DateField(label="发生日期", widget=forms.DateInput(attrs={"type": "date"}))


class RevealForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="查看原因",
        max_length=reveals.REASON_MAX,
        error_messages={"required": reveals.ERR_REASON_REQUIRED},
    )


class ConflictResolveForm(StyledFormMixin, forms.Form):
    # the page shows these errors as they are: each names its field
    resolution = forms.CharField(
        label="处理说明",
        max_length=200,
        error_messages={"required": ERR_CONFLICT_RESOLUTION, "max_length": "处理说明：最多 200 个字。"},
    )


class ImportForm(StyledFormMixin, forms.Form):
    committee = forms.ModelChoiceField(label="导入到社区", queryset=None)
    file = forms.FileField(label="Excel 文件（.xlsx）")
    dry_run = forms.BooleanField(label="只校验，不导入", required=False)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        if committees.count() == 1:
            self.fields["committee"].initial = committees.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.check_workbook(upload)
        return upload
