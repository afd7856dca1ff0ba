"""Serving residents: home visits, activities, volunteers and community organisations (the report's
'一多三少': fewer visits, fewer activities, too little fostering of organisations and volunteer service)."""

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community_admin.core.models import TimeStampedModel
from community_admin.org.models import Committee
from community_admin.residents.models import Household, Person

ORGANISATION_DESCRIPTION_MAX = 2000  # the API and the page bound it alike; full_clean() enforces it


def attachment_storage():
    return storages["services_files"]


class Visit(TimeStampedModel):
    """A staff member's visit to a household (走访). The visitor is the logged-in committee user."""

    class Purpose(models.TextChoices):
        ROUTINE = "routine", _("日常走访")
        ELDERLY = "elderly", _("关爱老人")
        HARDSHIP = "hardship", _("困难帮扶")
        DISABILITY = "disability", _("助残")
        POLICY = "policy", _("政策宣传")
        DISPUTE = "dispute", _("矛盾调解")
        FLOATING = "floating", _("流动人口服务")
        OTHER = "other", _("其他")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="visits", verbose_name=_("社区")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="visits", verbose_name=_("户")
    )
    visited_on = models.DateField(_("走访日期"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits", verbose_name=_("走访人")
    )
    companion = models.CharField(_("同行人员"), max_length=100, blank=True)
    purpose = models.CharField(_("走访事由"), max_length=20, choices=Purpose.choices)
    needs = models.TextField(_("居民诉求"), blank=True)
    follow_up = models.CharField(_("待办事项"), max_length=200, blank=True)
    follow_up_due = models.DateField(_("办结期限"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("办结日期"), null=True, blank=True)
    follow_up_note = models.CharField(_("办结情况"), max_length=200, blank=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        constraints = [
            # A follow-up owed has a due date, and only a follow-up owed can be done.
            models.CheckConstraint(
                condition=(
                    Q(follow_up="") & Q(follow_up_due__isnull=True) & Q(follow_up_done_on__isnull=True)
                )
                | (~Q(follow_up="") & Q(follow_up_due__isnull=False)),
                name="visit_follow_up_has_due_date",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True) | Q(follow_up_due__gte=models.F("visited_on")),
                name="visit_follow_up_due_after_visit",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "visited_on"]),
            models.Index(fields=["household", "visited_on"]),
            models.Index(fields=["visitor", "follow_up_done_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.household.number}"

    @property
    def follow_up_open(self) -> bool:
        return bool(self.follow_up) and self.follow_up_done_on is None


class CommunityOrganisation(TimeStampedModel):
    """A community social organisation (社区社会组织) that the committee fosters."""

    class Kind(models.TextChoices):
        CULTURE = "culture", _("文体娱乐类")
        CHARITY = "charity", _("公益慈善类")
        MUTUAL_AID = "mutual_aid", _("邻里互助类")
        ELDERLY = "elderly", _("老年协会")
        VOLUNTEER = "volunteer", _("志愿服务队")
        MEDIATION = "mediation", _("矛盾调解类")
        OTHER = "other", _("其他")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("社区")
    )
    name = models.CharField(_("组织名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    filed = models.BooleanField(_("已在街道备案"), default=False)
    description = models.TextField(
        _("简介"), blank=True, validators=[MaxLengthValidator(ORGANISATION_DESCRIPTION_MAX)]
    )
    members = models.ManyToManyField(
        Person, through="OrganisationMember", related_name="organisations", verbose_name=_("成员")
    )

    class Meta:
        ordering = ["committee_id", "name"]
        verbose_name = _("社区社会组织")
        verbose_name_plural = _("社区社会组织")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="organisation_name_unique")]

    def __str__(self) -> str:
        return self.name


class OrganisationMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("负责人")
        MEMBER = "member", _("成员")

    organisation = models.ForeignKey(
        CommunityOrganisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("组织")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="organisation_memberships", verbose_name=_("居民")
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("加入日期"))

    class Meta:
        ordering = ["organisation_id", "role", "id"]
        verbose_name = _("组织成员")
        verbose_name_plural = _("组织成员")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="organisation_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.person}"


class OrganisationSupport(TimeStampedModel):
    """Support the committee gave an organisation (场地、经费、培训、指导、宣传)."""

    class Kind(models.TextChoices):
        VENUE = "venue", _("提供场地")
        FUNDING = "funding", _("经费支持")
        TRAINING = "training", _("骨干培训")
        GUIDANCE = "guidance", _("业务指导")
        PUBLICITY = "publicity", _("宣传推介")

    organisation = models.ForeignKey(
        CommunityOrganisation, on_delete=models.PROTECT, related_name="supports", verbose_name=_("组织")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="organisation_supports", verbose_name=_("社区")
    )
    given_on = models.DateField(_("日期"))
    kind = models.CharField(_("支持方式"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("内容"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("组织扶持记录")
        verbose_name_plural = _("组织扶持记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="support_amount_positive"
            )
        ]
        indexes = [models.Index(fields=["committee", "given_on"])]

    def __str__(self) -> str:
        return f"{self.given_on} {self.organisation} {self.get_kind_display()}"


class Activity(TimeStampedModel):
    """An activity organised for residents (活动). Participants are counted (人次); some may be linked to persons."""

    class Kind(models.TextChoices):
        CULTURE = "culture", _("文体活动")
        EDUCATION = "education", _("教育讲座")
        SCIENCE = "science", _("科普宣传")
        CARE = "care", _("关爱帮扶")
        FESTIVAL = "festival", _("节日活动")
        CONSULTATION = "consultation", _("居民议事")
        VOLUNTEER = "volunteer", _("志愿服务")
        HEALTH = "health", _("健康义诊")
        OTHER = "other", _("其他")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="activities", verbose_name=_("社区")
    )
    title = models.CharField(_("活动名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("地点"), max_length=100)
    organiser = models.CharField(_("组织者"), max_length=100)
    organisation = models.ForeignKey(
        CommunityOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("协办社会组织"),
    )
    participant_count = models.PositiveIntegerField(_("参加人次"), default=0)
    participants = models.ManyToManyField(
        Person, through="ActivityParticipant", related_name="activities", verbose_name=_("参加居民")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        indexes = [models.Index(fields=["committee", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class ActivityParticipant(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="participations", verbose_name=_("活动")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="activity_participations", verbose_name=_("居民")
    )

    class Meta:
        verbose_name = _("活动参加者")
        verbose_name_plural = _("活动参加者")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="activity_participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.person}"


class ActivityAttachment(TimeStampedModel):
    """A photo or file of an activity: PDF, JPEG or PNG by its first bytes, stored under a random name outside
    the web root and sent only through the scoped download view."""

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("活动")
    )
    file = models.FileField(_("文件"), storage=attachment_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("活动附件")
        verbose_name_plural = _("活动附件")

    def __str__(self) -> str:
        return self.original_name


class Volunteer(TimeStampedModel):
    """A registered volunteer (注册志愿者): a person of the committee's registry."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="volunteer", verbose_name=_("居民")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("社区")
    )
    registered_on = models.DateField(_("注册日期"))
    skills = models.CharField(_("特长"), max_length=200, blank=True)

    class Meta:
        ordering = ["committee_id", "id"]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")

    def __str__(self) -> str:
        return str(self.person)


class VolunteerHours(TimeStampedModel):
    """Hours a volunteer served at an activity; one entry per volunteer and activity."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="hours", verbose_name=_("志愿者")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="volunteer_hours", verbose_name=_("活动")
    )
    # The activity's committee and date, kept beside it so the balance needs no join.
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    served_on = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("志愿服务时长")
        verbose_name_plural = _("志愿服务时长")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "activity"], name="volunteer_hours_once_per_activity"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="volunteer_hours_0_to_24"),
        ]
        indexes = [models.Index(fields=["committee", "served_on"])]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.hours} h"
