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
# The floating-population book is the police station's (survey report): it records that a floating resident
# has moved out (a committee keeps its own move-out, `residents.edit`) and keeps the residence permit, which
# the registry's keepers may also update. The services refuse anyone who is not floating.
register("residents.floating_move_out", {Role.DEPARTMENT}, scope=ApiToken.Scope.FLOATING_WRITE)
register(
    "residents.residence_permit",
    {Role.STREET, Role.COMMITTEE, Role.DEPARTMENT},
    scope=ApiToken.Scope.FLOATING_WRITE,
)
register("residents.reveal_id", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
register("residents.import", {Role.STREET, Role.COMMITTEE})
register("residents.export", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
# held registrations (a number active in a committee the registering account does not see)
register("residents.conflicts", {Role.BUREAU, Role.STREET})
