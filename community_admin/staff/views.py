from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission, record_denied
from community_admin.core import reveals, uploads
from community_admin.core.exporters import export_response
from community_admin.core.files import private_file_response
from community_admin.staff import forms, selectors, services
from community_admin.staff.models import Post, Secondment, SecondmentOpinion, Worker

FIELD_LABELS = {
    "id_number": "身份证号码",
    "posts": "职务",
    "hire_date": "参加社区工作日期",
    "worker": "工作者",
    "left_on": "离岗日期",
    "obtained_on": "取得日期",
    "certificate_number": "证书编号",
    "host": "借调单位",
    "state": "办理环节",
    "side": "意见方",
    "text": "意见内容",
    "file": "书面意见扫描件",
    "approval_document": "区政府批准文号",
    "registry": "备案单位",
    "reference": "备案号",
    "started_on": "借调开始日期",
    "ended_on": "借调结束日期",
    "planned_end": "拟结束日期",
    "reason": "理由",
    "year": "年度",
    "month": "月份",
    "round": "测评",
    "representative": "居民代表",
    "follow_up": "跟进情况",
}


def explain(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return "；".join(exc.messages)
    return "；".join(
        f"{FIELD_LABELS.get(field, field)}：{'；'.join(errors)}" for field, errors in exc.message_dict.items()
    )


def require(user, permission: str, path: str) -> None:
    if not has_permission(user, permission):
        record_denied(user, permission, path)
        raise PermissionDenied


# Workers ---------------------------------------------------------------------------------------------


class WorkerListView(PermissionRequiredMixin, TemplateView):
    required_permission = "staff.view"
    template_name = "staff/worker_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = forms.WorkerFilterForm(self.request.GET or {"status": "current"})
        filters = form.cleaned_data if form.is_valid() else {"status": "current"}
        workers = selectors.worker_list(
            user, post=filters.get("post", ""), status=filters.get("status", ""), search=filters.get("q", "")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            page=Paginator(workers, 50).get_page(self.request.GET.get("page")),
            query=query.urlencode(),
            figures=selectors.staff_figures(selectors.visible_workers(user)),
            can_manage=has_permission(user, "staff.manage"),
            **kwargs,
        )


class WorkerCreateView(PermissionRequiredMixin, View):
    required_permission = "staff.manage"
    template_name = "staff/worker_form.html"

    def get(self, request):
        form = forms.WorkerCreateForm(committees=scoping.visible_committees(request.user))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = forms.WorkerCreateForm(request.POST, committees=scoping.visible_committees(request.user))
        if form.is_valid():
            try:
                worker = services.worker_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"已登记社区工作者 {worker.name}。")
                return redirect("staff:worker-detail", pk=worker.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class WorkerMixin(PermissionRequiredMixin):
    def get_worker(self) -> Worker:
        user = self.request.user
        return scoping.get_in_scope_or_404(
            selectors.visible_workers(user).select_related("committee", "committee__street"),
            user,
            pk=self.kwargs["pk"],
        )

    def render_worker(self, worker: Worker, *, status: int = 200, error: str = "", revealed: str = ""):
        user = self.request.user
        context = {
            "worker": worker,
            "posts": worker.posts.all(),
            "qualifications": worker.qualifications.all(),
            "secondments": worker.secondments.select_related("host_street", "host_department"),
            "scores": selectors.worker_scores(worker),
            "departure": getattr(worker, "departure", None) if not worker.is_current else None,
            "can_manage": has_permission(user, "staff.manage") and worker.is_current,
            "can_reveal": has_permission(user, "staff.reveal_id"),
            "posts_form": forms.PostsForm(initial={"posts": [p.post for p in worker.posts.all()]}),
            "qualification_form": forms.QualificationForm(),
            "resign_form": forms.ResignForm(),
            "retire_form": forms.RetireForm(),
            "error": error,
            "revealed": revealed,
        }
        response = render(self.request, "staff/worker_detail.html", context, status=status)
        if revealed:
            response["Cache-Control"] = "no-store"
        return response


class WorkerDetailView(WorkerMixin, View):
    required_permission = "staff.view"

    def get(self, request, pk: int):
        return self.render_worker(self.get_worker())


class WorkerRevealView(WorkerMixin, View):
    """Showing the full ID number is an explicit, audited action."""

    required_permission = "staff.reveal_id"

    def post(self, request, pk: int):
        worker = self.get_worker()
        form = forms.WorkerRevealForm(request.POST)
        if not form.is_valid():
            return self.render_worker(worker, status=400, error=forms.form_errors(form))
        try:
            number = services.worker_reveal_id_number(
                actor=request.user, worker=worker, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:  # the messages name the reason themselves
            return self.render_worker(worker, status=400, error="查看原因：" + "；".join(exc.messages))
        except reveals.RevealLimitExceeded as exc:
            return self.render_worker(worker, status=429, error=exc.message)
        return self.render_worker(worker, revealed=number)


class WorkerActionView(WorkerMixin, View):
    required_permission = "staff.manage"
    actions = {
        "posts": forms.PostsForm,
        "qualification": forms.QualificationForm,
        "resign": forms.ResignForm,
        "retire": forms.RetireForm,
    }

    def post(self, request, pk: int):
        worker = self.get_worker()
        action = request.POST.get("action", "")
        form_class = self.actions.get(action)
        if form_class is None:
            return self.render_worker(worker, status=400, error="操作：请选择要办理的事项。")
        form = form_class(request.POST)
        if not form.is_valid():
            return self.render_worker(worker, status=400, error=forms.form_errors(form))
        data = form.cleaned_data
        try:
            if action == "posts":
                services.worker_set_posts(actor=request.user, worker=worker, posts=data["posts"])
            elif action == "qualification":
                services.qualification_add(actor=request.user, worker=worker, **data)
            elif action == "resign":
                services.worker_resign(actor=request.user, worker=worker, **data)
            else:
                services.worker_retire(actor=request.user, worker=worker, **data)
        except ValidationError as exc:
            return self.render_worker(worker, status=400, error=explain(exc))
        messages.success(request, "已保存。")
        return redirect("staff:worker-detail", pk=worker.pk)


# Staffing --------------------------------------------------------------------------------------------


class StaffingView(PermissionRequiredMixin, TemplateView):
    """Norms against the workers actually there; the seconded count as absent."""

    required_permission = "staff.view"
    template_name = "staff/staffing.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rows = selectors.staffing_gaps(scoping.visible_committees(user))
        return super().get_context_data(
            rows=rows,
            streets=selectors.staffing_by_street(rows),
            total=selectors.staffing_totals(rows),
            secondments=selectors.secondment_counts(user),
            **kwargs,
        )


# Secondments -----------------------------------------------------------------------------------------


def secondable_workers(user):
    return selectors.worker_list(user, post=Post.SOCIAL_WORKER, status=Worker.Status.ACTIVE)


class SecondmentListView(PermissionRequiredMixin, View):
    required_permission = "staff.view"

    def get(self, request):
        return self.render_list(
            request, forms.SecondmentRequestForm(workers=secondable_workers(request.user))
        )

    def render_list(self, request, form, status: int = 200):
        state = request.GET.get("state", "")
        secondments = selectors.secondment_list(request.user, state=state)
        context = {
            "page": Paginator(secondments, 50).get_page(request.GET.get("page")),
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
        form = forms.SecondmentRequestForm(request.POST, workers=secondable_workers(request.user))
        if form.is_valid():
            try:
                secondment = services.secondment_request(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, explain(exc))
            else:
                messages.success(request, "借调申请已登记，请附双方书面意见。")
                return redirect("staff:secondment-detail", pk=secondment.pk)
        return self.render_list(request, form, status=400)


class SecondmentMixin(PermissionRequiredMixin):
    def get_secondment(self) -> Secondment:
        user = self.request.user
        return scoping.get_in_scope_or_404(selectors.secondment_list(user), user, pk=self.kwargs["pk"])

    def render_secondment(self, secondment: Secondment, *, status: int = 200, error: str = ""):
        user = self.request.user
        context = {
            "secondment": secondment,
            "opinions": secondment.opinions.all(),
            "forms": {
                name: form()
                for name, form in forms.SECONDMENT_STEP_FORMS.items()
                if secondment.state in services.STEP_STATES[name]
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
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_secondment(secondment, status=400, error=forms.form_errors(form))
        data, actor = form.cleaned_data, request.user
        try:
            if action == "opinion":
                services.secondment_attach_opinion(
                    actor=actor,
                    secondment=secondment,
                    side=data["side"],
                    text=data["text"],
                    upload=data["file"],
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
        except ValidationError as exc:
            return self.render_secondment(secondment, status=400, error=explain(exc))
        messages.success(request, "已办理。")
        return redirect("staff:secondment-detail", pk=secondment.pk)


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


# Pay -------------------------------------------------------------------------------------------------


class PayrollListView(PermissionRequiredMixin, View):
    required_permission = "staff.pay.view"

    def get(self, request):
        today = timezone.localdate()
        form = forms.PayrollComputeForm(
            initial={"year": today.year, "month": today.month},
            committees=scoping.visible_committees(request.user),
        )
        return self.render_list(request, form)

    def render_list(self, request, form, status: int = 200):
        context = {
            "page": Paginator(selectors.payroll_list(request.user), 50).get_page(request.GET.get("page")),
            "policies": selectors.pay_policies(),
            "form": form,
            "can_compute": has_permission(request.user, "staff.pay.compute"),
        }
        return render(request, "staff/payroll_list.html", context, status=status)


class PayrollComputeView(PayrollListView):
    required_permission = "staff.pay.compute"

    def get(self, request):
        return redirect("staff:payroll-list")

    def post(self, request):
        form = forms.PayrollComputeForm(request.POST, committees=scoping.visible_committees(request.user))
        if form.is_valid():
            try:
                payroll = services.payroll_compute(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, explain(exc))
            else:
                messages.success(request, f"{payroll} 已计算。")
                return redirect("staff:payroll-detail", pk=payroll.pk)
        return self.render_list(request, form, status=400)


class PayrollMixin(PermissionRequiredMixin):
    def get_payroll(self):
        user = self.request.user
        return scoping.get_in_scope_or_404(selectors.payroll_list(user), user, pk=self.kwargs["pk"])


class PayrollDetailView(PayrollMixin, TemplateView):
    required_permission = "staff.pay.view"
    template_name = "staff/payroll_detail.html"

    def get_context_data(self, **kwargs):
        payroll = self.get_payroll()
        return super().get_context_data(
            payroll=payroll,
            lines=payroll.lines.select_related("worker").order_by("worker__name", "worker_id"),
            **kwargs,
        )


class PayrollExportView(PayrollMixin, View):
    required_permission = "staff.pay.view"

    def get(self, request, pk: int):
        export = services.payroll_export(actor=request.user, payroll=self.get_payroll())
        return export_response(export)


# Evaluations -----------------------------------------------------------------------------------------


def evaluable_workers(user):
    return selectors.worker_list(user, post=Post.SOCIAL_WORKER, status="current")


class EvaluationView(PermissionRequiredMixin, View):
    required_permission = "staff.view"

    def get(self, request):
        return self.render_page(request)

    def render_page(self, request, *, status: int = 200, score_form=None, round_form=None):
        user = request.user
        rounds = list(selectors.evaluation_rounds())
        year = request.GET.get("year", "")
        current = next((r for r in rounds if str(r.year) == year), rounds[0] if rounds else None)
        context = {
            "rounds": rounds,
            "round": current,
            "results": selectors.evaluation_results(user, round=current) if current else [],
            "unevaluated": selectors.unevaluated_social_workers(user, round=current).count()
            if current
            else 0,
            "records": selectors.accountability_list(user),
            "score_form": score_form or forms.ScoreForm(workers=evaluable_workers(user)),
            "round_form": round_form
            or forms.RoundOpenForm(initial={"year": timezone.localdate().year, "threshold": 60}),
            "follow_up_form": forms.FollowUpForm(),
            "can_evaluate": has_permission(user, "staff.evaluate"),
            "can_manage_rounds": has_permission(user, "staff.evaluation.manage"),
        }
        return render(request, "staff/evaluation.html", context, status=status)


class EvaluationScoreView(EvaluationView):
    required_permission = "staff.evaluate"

    def get(self, request):
        return redirect("staff:evaluation")

    def post(self, request):
        form = forms.ScoreForm(request.POST, workers=evaluable_workers(request.user))
        round_ = selectors.evaluation_rounds().filter(closed_at__isnull=True).first()
        if form.is_valid():
            if round_ is None:
                form.add_error(None, "测评：目前没有进行中的年度测评。")
            else:
                try:
                    services.evaluation_score_record(
                        actor=request.user,
                        round=round_,
                        worker=form.cleaned_data["worker"],
                        representative=form.cleaned_data["representative"],
                        scores=form.scores(),
                    )
                except ValidationError as exc:
                    form.add_error(None, explain(exc))
                else:
                    messages.success(request, "测评分数已录入。")
                    return redirect("staff:evaluation")
        return self.render_page(request, status=400, score_form=form)


class EvaluationRoundView(EvaluationView):
    """The bureau opens the year's round, and closes it: closing opens the accountability records."""

    required_permission = "staff.evaluation.manage"

    def get(self, request):
        return redirect("staff:evaluation")

    def post(self, request):
        if request.POST.get("action") == "close":
            round_ = selectors.evaluation_rounds().filter(closed_at__isnull=True).first()
            if round_ is None:
                messages.error(request, "测评：目前没有进行中的年度测评。")
                return self.render_page(request, status=400)
            records = services.evaluation_round_close(actor=request.user, round=round_)
            messages.success(
                request, f"{round_} 已结束，{len(records)} 名社工低于分数线，已建立责任追究记录。"
            )
            return redirect("staff:evaluation")
        form = forms.RoundOpenForm(request.POST)
        if form.is_valid():
            try:
                services.evaluation_round_open(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, explain(exc))
            else:
                messages.success(request, "年度测评已开始。")
                return redirect("staff:evaluation")
        return self.render_page(request, status=400, round_form=form)


class AccountabilityFollowUpView(PermissionRequiredMixin, View):
    required_permission = "staff.evaluate"

    def post(self, request, pk: int):
        record = scoping.get_in_scope_or_404(selectors.accountability_list(request.user), request.user, pk=pk)
        form = forms.FollowUpForm(request.POST)
        if form.is_valid():
            try:
                services.accountability_follow_up(actor=request.user, record=record, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, explain(exc))
                return HttpResponse(explain(exc), status=400, content_type="text/plain; charset=utf-8")
            messages.success(request, "跟进情况已记录。")
            return redirect("staff:evaluation")
        return HttpResponse(forms.form_errors(form), status=400, content_type="text/plain; charset=utf-8")


# Turnover and retirement -----------------------------------------------------------------------------


class TurnoverView(PermissionRequiredMixin, TemplateView):
    required_permission = "staff.view"
    template_name = "staff/turnover.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        years = [today.year - 2, today.year - 1, today.year]
        by_street, totals = selectors.turnover_by_year(user, years=years)
        policy, honour = selectors.honour_eligible(user, as_of=today)
        return super().get_context_data(
            years=years,
            by_street=by_street,
            totals=totals,
            last_twelve_months=selectors.resignations_since(user, since=today - timedelta(days=365)),
            reasons=selectors.resignation_reasons(user, year=today.year - 1),
            reasons_year=today.year - 1,
            due=selectors.retirement_due(user, as_of=today, within_months=12),
            honour_policy=policy,
            honour=honour,
            **kwargs,
        )
