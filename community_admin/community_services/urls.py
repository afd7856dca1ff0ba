from django.urls import path

from community_admin.community_services.views import activities, balance, organisations, visits, volunteers

app_name = "services"

urlpatterns = [
    path("visits/", visits.VisitListView.as_view(), name="visit-list"),
    path("visits/new/", visits.VisitCreateView.as_view(), name="visit-create"),
    path("visits/<int:pk>/", visits.VisitDetailView.as_view(), name="visit-detail"),
    path("visits/<int:pk>/close/", visits.VisitCloseView.as_view(), name="visit-close"),
    path("follow-ups/", visits.FollowUpListView.as_view(), name="follow-ups"),
    path("households/<int:pk>/visits/", visits.HouseholdVisitsView.as_view(), name="household-visits"),
    path("activities/", activities.ActivityListView.as_view(), name="activity-list"),
    path("activities/new/", activities.ActivityCreateView.as_view(), name="activity-create"),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity-detail"),
    path(
        "activities/<int:pk>/attachments/",
        activities.AttachmentUploadView.as_view(),
        name="attachment-upload",
    ),
    path("activities/<int:pk>/hours/", activities.HoursLogView.as_view(), name="hours-log"),
    path(
        "activities/<int:pk>/participants/", activities.ParticipantAddView.as_view(), name="participant-add"
    ),
    path("attachments/<int:pk>/", activities.AttachmentDownloadView.as_view(), name="attachment-download"),
    path("volunteers/", volunteers.VolunteerListView.as_view(), name="volunteer-list"),
    path("volunteers/new/", volunteers.VolunteerRegisterView.as_view(), name="volunteer-register"),
    path("organisations/", organisations.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/new/", organisations.OrganisationCreateView.as_view(), name="organisation-create"),
    path(
        "organisations/<int:pk>/", organisations.OrganisationDetailView.as_view(), name="organisation-detail"
    ),
    path("organisations/<int:pk>/members/", organisations.MemberAddView.as_view(), name="member-add"),
    path("organisations/<int:pk>/support/", organisations.SupportRecordView.as_view(), name="support-record"),
    path("balance/", balance.BalanceView.as_view(), name="balance"),
]
