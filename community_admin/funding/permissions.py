"""Funding (accounts.permissions.register): the bureau sets policy, runs and compares allocations, sends
money and audits; the street passes money on; the committee confirms receipt and records spending. Each sees
its own scope."""

from community_admin.accounts.models import Role
from community_admin.accounts.permissions import register

register("funding.view", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
register("funding.policy.manage", {Role.BUREAU})
register("funding.run", {Role.BUREAU})
register("funding.compare", {Role.BUREAU})
register("funding.pass_on", {Role.STREET})
register("funding.confirm", {Role.COMMITTEE})
register("funding.spend", {Role.COMMITTEE})
register("funding.audit", {Role.BUREAU})
