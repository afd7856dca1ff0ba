"""Pages of the annual evaluation: scores, rounds, accountability follow-ups."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.core.views import form_submit, query_year
from community_admin.staff import forms, selectors, services
from community_admin.staff.models import Post

ERR_NO_OPEN_ROUND = "测评：目前没有进行中的年度测评。"


def evaluable_workers(user):
    return selectors.worker_list(user, post=Post.SOCIAL_WORKER, status="current")


class EvaluationView(PermissionRequiredMixin, View):
    required_permission = "staff.view"

    def get(self, request):
        return self.render_page(request)

    def render_page(self, request, *, status: int = 200, score_form=None, round_form=None, follow_up=None):
        """`follow_up`: (record pk, the follow-up form posted for it with its errors)."""
        user = request.user
        rounds = list(selectors.evaluation_rounds())
        year = query_year(request, label="测评年度")
        current = next((r for r in rounds if r.year == year), rounds[0] if rounds else None)
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
            "failed_record": follow_up[0] if follow_up else None,
            "failed_form": follow_up[1] if follow_up else None,
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

        def record(data):
            round_ = selectors.evaluation_rounds().filter(closed_at__isnull=True).first()
            if round_ is None:
                raise ValidationError(ERR_NO_OPEN_ROUND)
            services.evaluation_score_record(
                actor=request.user,
                round=round_,
                worker=data["worker"],
                representative=data["representative"],
                scores=form.scores(),
            )

        return form_submit(
            request,
            form,
            record,
            invalid=lambda form: self.render_page(request, score_form=form),
            success_url=reverse("staff:evaluation"),
            success_message="测评分数已录入。",
        )


class EvaluationRoundView(EvaluationView):
    """The bureau opens the year's round, and closes it: closing opens the accountability records."""

    required_permission = "staff.evaluation.manage"

    def get(self, request):
        return redirect("staff:evaluation")

    def post(self, request):
        if request.POST.get("action") == "close":
            round_ = selectors.evaluation_rounds().filter(closed_at__isnull=True).first()
            if round_ is None:
                messages.error(request, ERR_NO_OPEN_ROUND)
                return self.render_page(request, status=400)
            records = services.evaluation_round_close(actor=request.user, round=round_)
            messages.success(
                request, f"{round_} 已结束，{len(records)} 名社工低于分数线，已建立责任追究记录。"
            )
            return redirect("staff:evaluation")
        return form_submit(
            request,
            forms.RoundOpenForm(request.POST),
            lambda data: services.evaluation_round_open(actor=request.user, **data),
            invalid=lambda form: self.render_page(request, round_form=form),
            success_url=reverse("staff:evaluation"),
            success_message="年度测评已开始。",
        )


class AccountabilityFollowUpView(PermissionRequiredMixin, View):
    required_permission = "staff.evaluate"

    def post(self, request, pk: int):
        record = scoping.get_in_scope_or_404(selectors.accountability_list(request.user), request.user, pk=pk)
        return form_submit(
            request,
            forms.FollowUpForm(request.POST),
            lambda data: services.accountability_follow_up(actor=request.user, record=record, **data),
            invalid=lambda form: EvaluationView().render_page(request, follow_up=(record.pk, form)),
            success_url=reverse("staff:evaluation"),
            success_message="跟进情况已记录。",
        )
