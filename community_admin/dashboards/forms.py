from django import forms

from community_admin.org.models import OfficeAreaNorm


class OfficeNormChoiceForm(forms.Form):
    norm = forms.ModelChoiceField(
        label="办公用房标准",
        queryset=OfficeAreaNorm.objects.all(),
        error_messages={
            "invalid_choice": "办公用房标准：所选标准不存在。",
            "required": "办公用房标准：请选择一项标准。",
        },
    )
