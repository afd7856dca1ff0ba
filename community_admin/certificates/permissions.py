"""Certificates (accounts.permissions.register): committee staff issue, refuse, void and print; the bureau
keeps the whitelist; departments verify through the API (token scope certificates:verify); anyone verifies on
the public /verify/ page."""

from community_admin.accounts.models import ApiToken, Role
from community_admin.accounts.permissions import ALL_ROLES, register

register("certificates.view", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
register("certificates.issue", {Role.COMMITTEE})
register("certificates.void", {Role.COMMITTEE})
register("certificates.print", {Role.STREET, Role.COMMITTEE})
register("certificates.evidence", {Role.STREET, Role.COMMITTEE})
register("certificates.seal_log", {Role.BUREAU, Role.STREET, Role.COMMITTEE})
register("certificates.statistics", {Role.BUREAU, Role.STREET})
register("certificates.whitelist_view", ALL_ROLES, scope=ApiToken.Scope.CERTIFICATES_VERIFY)
register("certificates.whitelist_manage", {Role.BUREAU})
register("certificates.verify", ALL_ROLES, scope=ApiToken.Scope.CERTIFICATES_VERIFY)
