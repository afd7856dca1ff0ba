"""Community services (label "services"; visits, activities, volunteers, organisations, the balance;
accounts.permissions.register): committee staff record their own committee's work; streets and the bureau
follow it. Visits hold households' needs: no department."""

from community_admin.accounts.models import Role
from community_admin.accounts.permissions import register

register("services.view", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
register("services.record", {Role.COMMITTEE})
