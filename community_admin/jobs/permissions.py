"""Background jobs: anyone may start the kinds they hold the kind's own permission for, follow the jobs in
their scope and download those results (accounts.permissions.register)."""

from community_admin.accounts.models import ApiToken
from community_admin.accounts.permissions import ALL_ROLES, register

register("jobs.view", ALL_ROLES, scope=ApiToken.Scope.JOBS)
register("jobs.start", ALL_ROLES, scope=ApiToken.Scope.JOBS)
