"""Households and persons (accounts.permissions.register)."""

from community_admin.accounts.models import ApiToken, Role
from community_admin.accounts.permissions import ALL_ROLES, register

register("residents.view", ALL_ROLES, scope=ApiToken.Scope.RESIDENTS_READ)
# A police station's token registers floating people (the service refuses any other status for departments).
register(
    "residents.register",
    {Role.STREET, Role.COMMITTEE, Role.DEPARTMENT},
    scope=ApiToken.Scope.FLOATING_WRITE,
)
register("residents.edit", {Role.STREET, Role.COMMITTEE})
register("residents.reveal_id", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
register("residents.import", {Role.STREET, Role.COMMITTEE})
register("residents.export", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
# held registrations (a number active in a committee the registering account does not see)
register("residents.conflicts", {Role.BUREAU, Role.STREET})
