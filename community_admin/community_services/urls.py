from django.urls import path

from community_admin.community_services import views

app_name = "services"

urlpatterns = [
    path("visits/", views.VisitListView.as_view(), name="visit-list"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit-create"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit-detail"),
    path("visits/<int:pk>/close/", views.VisitCloseView.as_view(), name="visit-close"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow-ups"),
    path("households/<int:pk>/visits/", views.HouseholdVisitsView.as_view(), name="household-visits"),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity-create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    path("activities/<int:pk>/attachments/", views.AttachmentUploadView.as_view(), name="attachment-upload"),
    path("activities/<int:pk>/hours/", views.HoursLogView.as_view(), name="hours-log"),
    path("activities/<int:pk>/participants/", views.ParticipantAddView.as_view(), name="participant-add"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment-download"),
    path("volunteers/", views.VolunteerListView.as_view(), name="volunteer-list"),
    path("volunteers/new/", views.VolunteerRegisterView.as_view(), name="volunteer-register"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation-create"),
    path("organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("organisations/<int:pk>/members/", views.MemberAddView.as_view(), name="member-add"),
    path("organisations/<int:pk>/support/", views.SupportRecordView.as_view(), name="support-record"),
    path("balance/", views.BalanceView.as_view(), name="balance"),
]
