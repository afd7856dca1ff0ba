from django.urls import path

from community_admin.ledgers import views

app_name = "ledgers"

urlpatterns = [
    path("", views.BookListView.as_view(), name="book-list"),
    path("burden/", views.BurdenView.as_view(), name="burden"),
    path("books/<int:pk>/", views.BookDetailView.as_view(), name="book-detail"),
    path("books/<int:pk>/edit/", views.BookEditView.as_view(), name="book-edit"),
    path("books/<int:pk>/entries/", views.EntryCreateView.as_view(), name="entry-create"),
    path("books/<int:pk>/close/", views.PeriodCloseView.as_view(), name="period-close"),
    path("books/<int:pk>/export/", views.BookExportView.as_view(), name="book-export"),
    path("books/<int:pk>/import/", views.BookImportView.as_view(), name="book-import"),
    path("entries/<int:pk>/", views.EntryDetailView.as_view(), name="entry-detail"),
    path("entries/<int:pk>/edit/", views.EntryUpdateView.as_view(), name="entry-update"),
    path("entries/<int:pk>/remove/", views.EntryRemoveView.as_view(), name="entry-remove"),
    path("periods/<int:pk>/reopen/", views.PeriodReopenView.as_view(), name="period-reopen"),
]
