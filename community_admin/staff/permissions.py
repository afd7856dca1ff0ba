"""Staff (accounts.permissions.register): committees see their own workers; streets manage their
committees'; the bureau all."""

from community_admin.accounts.models import Role
from community_admin.accounts.permissions import register

register("staff.view", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
register("staff.manage", {Role.BUREAU, Role.STREET})
register("staff.reveal_id", {Role.BUREAU, Role.STREET})
register("staff.secondment.manage", {Role.BUREAU, Role.STREET})
# records the district government's approval and the two filings
register("staff.secondment.approve", {Role.BUREAU})
register("staff.pay.view", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
register("staff.pay.compute", {Role.BUREAU, Role.STREET})
register("staff.evaluate", {Role.BUREAU, Role.STREET})
register("staff.evaluation.manage", {Role.BUREAU})  # opens and closes the district's yearly round
# the yearly pay policy and retirement rules: everyone who works with the staff reads the adopted versions;
# the bureau drafts, compares, adopts (and alone sees the drafts)
register("staff.policy.view", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
register("staff.policy.manage", {Role.BUREAU})
