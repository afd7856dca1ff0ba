"""Ledgers (accounts.permissions.register): departments read (and export) only the books they own
(ledgers.selectors.book_list)."""

from community_admin.accounts.models import ApiToken, Role
from community_admin.accounts.permissions import ALL_ROLES, register

register("ledgers.view", ALL_ROLES, scope=ApiToken.Scope.LEDGERS_READ)
register("ledgers.export", ALL_ROLES, scope=ApiToken.Scope.LEDGERS_READ)
register("ledgers.keep", {Role.STREET, Role.COMMITTEE})
register("ledgers.close", {Role.STREET, Role.COMMITTEE})
register("ledgers.reopen", {Role.STREET})
register("ledgers.catalogue", {Role.BUREAU})
