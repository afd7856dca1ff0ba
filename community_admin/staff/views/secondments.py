"""Pages of secondments: the list and request, a secondment's steps, its opinion scans."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission, record_denied
from community_admin.core import uploads
from community_admin.core.files import private_file_response
from community_admin.core.views import form_submit, paginate, query_choice
from community_admin.staff import forms, selectors, services
from community_admin.staff.models import Post, Secondment, SecondmentOpinion, Worker

PER_PAGE = 50


def require(user, permission: str, path: str) -> None:
    if not has_permission(user, permission):
        record_denied(user, permission, path)
        raise PermissionDenied


def secondable_workers(user):
    return selectors.worker_list(user, post=Post.SOCIAL_WORKER, status=Worker.Status.ACTIVE)


class SecondmentListView(PermissionRequiredMixin, View):
    required_permission = "staff.view"

    def get(self, request):
        return self.render_list(
            request, forms.SecondmentRequestForm(workers=secondable_workers(request.user))
        )

    def render_list(self, request, form, status: int = 200):
        state = query_choice(request, "state", ["open", *Secondment.State.values], label="借调状态")
        secondments = selectors.secondment_list(request.user, state=state)
        context = {
            **paginate(request, secondments, PER_PAGE),
            "state": state,
            "states": Secondment.State.choices,
            "counts": selectors.secondment_counts(request.user),
            "form": form,
            "can_request": has_permission(request.user, "staff.secondment.manage"),
        }
        return render(request, "staff/secondment_list.html", context, status=status)


class SecondmentCreateView(SecondmentListView):
    required_permission = "staff.secondment.manage"

    def get(self, request):
        return redirect("staff:secondment-list")

    def post(self, request):
        return form_submit(
            request,
            forms.SecondmentRequestForm(request.POST, workers=secondable_workers(request.user)),
            lambda data: services.secondment_request(actor=request.user, **data),
            invalid=lambda form: self.render_list(request, form),
            success_url=lambda secondment: reverse("staff:secondment-detail", args=[secondment.pk]),
            success_message="借调申请已登记，请附双方书面意见。",
        )


class SecondmentMixin(PermissionRequiredMixin):
    def get_secondment(self) -> Secondment:
        user = self.request.user
        return scoping.get_in_scope_or_404(selectors.secondment_list(user), user, pk=self.kwargs["pk"])

    def render_secondment(self, secondment: Secondment, *, status: int = 200, error: str = "", **bound):
        """`bound`: the step's form posted back with its errors, by the step's name (`reject=form`)."""
        user = self.request.user
        context = {
            "secondment": secondment,
            "opinions": secondment.opinions.all(),
            "forms": {
                name: bound.get(name) or form()
                for name, form in forms.SECONDMENT_STEP_FORMS.items()
                if secondment.state in services.STEP_STATES[name] or name in bound
            },
            "can_manage": has_permission(user, "staff.secondment.manage"),
            "can_approve": has_permission(user, "staff.secondment.approve"),
            "error": error,
            "steps": secondment_steps(secondment),
        }
        return render(self.request, "staff/secondment_detail.html", context, status=status)


def secondment_steps(s: Secondment) -> list[tuple[str, bool, str]]:
    opinions = {o.side for o in s.opinions.all()}
    return [
        ("提出借调申请", True, f"{timezone.localtime(s.created_at):%Y-%m-%d}"),
        ("派出单位书面意见", "sending" in opinions, ""),
        ("用人单位书面意见", "receiving" in opinions, ""),
        ("区政府批准", s.approved_on is not None, s.approval_document),
        ("报区人社局备案", s.filed_hr_at is not None, s.filed_hr_reference),
        ("报区民政局备案", s.filed_civil_at is not None, s.filed_civil_reference),
        ("开始借调", s.started_on is not None, f"{s.started_on or ''}"),
        ("结束借调", s.ended_on is not None, f"{s.ended_on or ''}"),
    ]


class SecondmentDetailView(SecondmentMixin, View):
    required_permission = "staff.view"

    def get(self, request, pk: int):
        return self.render_secondment(self.get_secondment())


class SecondmentStepView(SecondmentMixin, View):
    required_permission = "staff.secondment.manage"
    approval_steps = {"approve", "file"}

    def post(self, request, pk: int):
        action = request.POST.get("action", "")
        if action in self.approval_steps:
            require(request.user, "staff.secondment.approve", request.path)
        secondment = self.get_secondment()
        form_class = forms.SECONDMENT_STEP_FORMS.get(action)
        if form_class is None:
            return self.render_secondment(secondment, status=400, error="操作：请选择要办理的环节。")
        return form_submit(
            request,
            form_class(request.POST, request.FILES),
            lambda data: self.apply(action, secondment, data),
            invalid=lambda form: self.render_secondment(secondment, **{action: form}),
            success_url=reverse("staff:secondment-detail", args=[secondment.pk]),
            success_message="已办理。",
        )

    def apply(self, action: str, secondment: Secondment, data: dict) -> None:
        actor = self.request.user
        if action == "opinion":
            services.secondment_attach_opinion(
                actor=actor, secondment=secondment, side=data["side"], text=data["text"], upload=data["file"]
            )
        elif action == "approve":
            services.secondment_approve(actor=actor, secondment=secondment, **data)
        elif action == "file":
            services.secondment_file(actor=actor, secondment=secondment, **data)
        elif action == "activate":
            services.secondment_activate(actor=actor, secondment=secondment, **data)
        elif action == "end":
            services.secondment_end(actor=actor, secondment=secondment, **data)
        else:
            services.secondment_reject(actor=actor, secondment=secondment, **data)


class OpinionFileView(PermissionRequiredMixin, View):
    """Opinion scans live outside the web root and are served only here, in scope, as attachments."""

    required_permission = "staff.view"

    def get(self, request, pk: int):
        opinions = scoping.scope_by_committee(
            SecondmentOpinion.objects.exclude(file=""), request.user, field="secondment__worker__committee"
        )
        opinion = scoping.get_in_scope_or_404(opinions, request.user, pk=pk)
        # a name of ours, the extension of the sniffed type: not the uploader's name, which may claim another
        return private_file_response(
            request,
            obj=opinion,
            open=lambda: opinion.file.open("rb"),
            filename=f"借调{opinion.secondment_id}-意见{opinion.pk}{uploads.extension_of(opinion.content_type)}",
            content_type=opinion.content_type,
            action="secondment.opinion_download",
            details={"secondment": opinion.secondment_id, "side": opinion.side},
        )
