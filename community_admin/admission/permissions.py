"""The admission of community tasks (label "tasks"; accounts.permissions.register): departments apply to
the catalogue and submit tasks through their token (scope tasks:submit); committees work them, streets may
refuse them."""

from community_admin.accounts.models import ApiToken, Role
from community_admin.accounts.permissions import ALL_ROLES, register

register("tasks.catalogue.view", ALL_ROLES, scope=ApiToken.Scope.TASKS_SUBMIT)
register("tasks.catalogue.apply", {Role.BUREAU, Role.DEPARTMENT})
register("tasks.catalogue.manage", {Role.BUREAU})
register("tasks.view", ALL_ROLES, scope=ApiToken.Scope.TASKS_SUBMIT)
register("tasks.submit", {Role.DEPARTMENT}, scope=ApiToken.Scope.TASKS_SUBMIT)
register("tasks.inbox", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
register("tasks.work", {Role.COMMITTEE})
register("tasks.refuse", {Role.STREET})
register("tasks.workload", {Role.BUREAU, Role.STREET})
