"""Home pages, dashboards and the annual survey report (accounts.permissions.register)."""

from community_admin.accounts.models import Role
from community_admin.accounts.permissions import register

register("dashboards.district", {Role.BUREAU})
register("dashboards.street", {Role.BUREAU, Role.STREET})
register("dashboards.survey_report", {Role.BUREAU})  # the annual survey report (a background job)
