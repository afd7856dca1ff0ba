from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community_admin.core.models import TimeStampedModel
from community_admin.org.models import Committee, Department, Street


class Role(models.TextChoices):
    BUREAU = "bureau", _("区民政局")
    STREET = "street", _("街道办事处")
    COMMITTEE = "committee", _("社区居委会")
    DEPARTMENT = "department", _("区直部门")


class ScopeLevel(models.TextChoices):
    """The unit a piece of work (a background job, its result file) belongs to; see `scoping.scope_by_unit`."""

    DISTRICT = "district", _("全区")
    STREET = "street", _("街道")
    COMMITTEE = "committee", _("社区")
    DEPARTMENT = "department", _("部门")


class User(AbstractUser):
    """One account per person (MLPS 2.0, ASVS V2: unique identification): the real name is `first_name`,
    relabelled 姓名; a unit's shared demo login carries the unit's name there."""

    first_name = models.CharField(_("姓名"), max_length=150, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    post = models.CharField(_("职务"), max_length=50, blank=True)
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"), default=False, help_text=_("密码由他人重置后为真：本人登录后先改密码。")
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.BUREAU)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("街道")
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("社区"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("部门"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="bureau", street__isnull=True, committee__isnull=True, department__isnull=True)
                    | Q(role="street", street__isnull=False, committee__isnull=True, department__isnull=True)
                    | Q(
                        role="committee",
                        committee__isnull=False,
                        street__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        role="department",
                        department__isnull=False,
                        street__isnull=True,
                        committee__isnull=True,
                    )
                ),
                name="user_role_matches_unit",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        needs = {Role.STREET: "street", Role.COMMITTEE: "committee", Role.DEPARTMENT: "department"}
        for role, field in needs.items():
            value = getattr(self, f"{field}_id")
            if self.role == role and value is None:
                raise ValidationError({field: _("该角色必须指定所属单位。")})
            if self.role != role and value is not None:
                raise ValidationError({field: _("该角色不应指定此单位。")})

    @property
    def display_name(self) -> str:
        """The person, as pages and documents name who did something: the real name, else the login."""
        return self.first_name or self.username

    @property
    def unit_label(self) -> str:
        unit = self.committee or self.street or self.department
        return str(unit) if unit else str(Role.BUREAU.label)


class ApiToken(TimeStampedModel):
    """A department's API credential. Only a hash is stored; the key is shown once, when created."""

    class Scope(models.TextChoices):
        ORG_READ = "org:read", _("读取街道与社区")
        RESIDENTS_READ = "residents:read", _("读取人口信息")
        FLOATING_WRITE = "residents:floating", _("登记流动人口")
        TASKS_SUBMIT = "tasks:submit", _("向社区派发事项")
        LEDGERS_READ = "ledgers:read", _("读取本部门台账")
        CERTIFICATES_VERIFY = "certificates:verify", _("核验证明")
        JOBS = "jobs", _("后台任务（启动、查看、下载结果）")

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("部门账户")
    )
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("权限范围"), default=list)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
