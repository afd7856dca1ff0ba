from django import forms
from django.utils import timezone

from community_admin.community_services.models import (
    ORGANISATION_DESCRIPTION_MAX,
    Activity,
    CommunityOrganisation,
    OrganisationMember,
    OrganisationSupport,
    Visit,
)
from community_admin.core.forms import StyledFormMixin, UnechoedTextInput

DATE = {"type": "date"}


def date_input() -> forms.DateInput:
    """The browser's date picker wants ISO dates, whatever the page's language formats dates as."""
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class VisitForm(StyledFormMixin, forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=date_input())
    purpose = forms.ChoiceField(label="走访事由", choices=Visit.Purpose.choices)
    needs = forms.CharField(
        label="居民诉求", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    follow_up = forms.CharField(label="待办事项（需要跟进时填写）", required=False, max_length=200)
    follow_up_due = forms.DateField(label="办结期限", required=False, widget=date_input())
    companion = forms.CharField(label="同行人员", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class HouseholdSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="户编号、楼栋或门牌号", max_length=50, required=False)


class FollowUpCloseForm(StyledFormMixin, forms.Form):
    done_on = forms.DateField(label="办结日期", widget=date_input())
    note = forms.CharField(label="办结情况", max_length=200, required=False)


class ActivityForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="活动名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=Activity.Kind.choices)
    held_on = forms.DateField(label="举办日期", widget=date_input())
    place = forms.CharField(label="地点", max_length=100)
    organiser = forms.CharField(label="组织者", max_length=100)
    organisation = forms.ModelChoiceField(
        label="协办社会组织", queryset=CommunityOrganisation.objects.none(), required=False
    )
    participant_count = forms.IntegerField(label="参加人次", min_value=0, initial=0)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PersonByIdForm(StyledFormMixin, forms.Form):
    """A resident of the committee, named by the full ID number (not echoed back)."""

    id_number = forms.CharField(
        label="居民公民身份号码（完整）",
        max_length=40,
        widget=UnechoedTextInput(attrs={"autocomplete": "off"}),
    )


class VolunteerForm(PersonByIdForm):
    registered_on = forms.DateField(label="注册日期", widget=date_input())
    skills = forms.CharField(label="特长", max_length=200, required=False)


class HoursForm(StyledFormMixin, forms.Form):
    volunteer = forms.ModelChoiceField(label="志愿者", queryset=None)
    hours = forms.DecimalField(label="服务时长（小时）", min_value=0, max_digits=4, decimal_places=1)

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
        self.fields["volunteer"].label_from_instance = lambda v: v.person.name


class AttachmentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="照片或文件（PDF、JPEG、PNG）")


class OrganisationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="组织名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=CommunityOrganisation.Kind.choices)
    founded_on = forms.DateField(label="成立日期", required=False, widget=date_input())
    filed = forms.BooleanField(label="已在街道备案", required=False)
    description = forms.CharField(
        label="简介",
        max_length=ORGANISATION_DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MemberForm(PersonByIdForm):
    role = forms.ChoiceField(label="角色", choices=OrganisationMember.Role.choices)
    joined_on = forms.DateField(label="加入日期", widget=date_input())


class SupportForm(StyledFormMixin, forms.Form):
    given_on = forms.DateField(label="日期", widget=date_input())
    kind = forms.ChoiceField(label="支持方式", choices=OrganisationSupport.Kind.choices)
    description = forms.CharField(label="内容", max_length=200)
    amount = forms.DecimalField(
        label="金额（元）", required=False, min_value=0, max_digits=10, decimal_places=2
    )


class BalanceForm(StyledFormMixin, forms.Form):
    ORDER_CHOICES = [
        ("index", "服务指数（低者在前）"),
        ("share", "服务时间占比（低者在前）"),
        ("visits", "每百户走访（低者在前）"),
        ("code", "社区代码"),
    ]
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label="月份",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全年")] + [(m, f"{m}月") for m in range(1, 13)],
    )
    street = forms.CharField(label="街道代码", required=False, max_length=20)
    committee = forms.CharField(label="社区代码（看逐月变化）", required=False, max_length=20)
    order = forms.ChoiceField(label="排序", choices=ORDER_CHOICES, required=False)
