from django import forms

from community_admin.core.forms import StyledFormMixin
from community_admin.org.models import Committee, OfficeAreaNorm


class OfficeNormChoiceForm(StyledFormMixin, forms.Form):
    norm = forms.ModelChoiceField(
        label="办公用房标准",
        queryset=OfficeAreaNorm.objects.all(),
        error_messages={
            "invalid_choice": "办公用房标准：所选标准不存在。",
            "required": "办公用房标准：请选择一项标准。",
        },
    )


class CommitteeEditForm(StyledFormMixin, forms.ModelForm):
    """Input only; the rules (dates, party organisation) are checked by `org.services.committee_update`."""

    class Meta:
        model = Committee
        fields = ["name", "party_organisation", "office_area_m2", "village_converted", "village_converted_on"]
        widgets = {"village_converted_on": forms.DateInput(attrs={"type": "date"})}


class RegistryMarkForm(forms.Form):
    """The button's one value: 1 marks the committee's registry complete, 0 withdraws the mark."""

    complete = forms.TypedChoiceField(
        label="人口登记完整",
        choices=[("1", "确认完整"), ("0", "撤回确认")],
        coerce=lambda value: value == "1",
        error_messages={
            "required": "人口登记完整：请选择确认完整或撤回确认。",
            "invalid_choice": "人口登记完整：只能是确认完整（1）或撤回确认（0）。",
        },
    )
