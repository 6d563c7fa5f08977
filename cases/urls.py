from __future__ import annotations

from django.urls import URLPattern, path

from cases import views

app_name = "cases"

urlpatterns: list[URLPattern] = [
    path("inbox/", views.inbox, name="inbox"),
    path("queue/", views.queue, name="queue"),
    path("all/", views.all_cases, name="all"),
    path("export.csv", views.export, name="export"),
    # Case pages last: a tracking code would otherwise shadow the names above.
    path("<str:tracking_code>/", views.detail, name="detail"),
    path("<str:tracking_code>/replies/", views.replies, name="replies"),
    path("<str:tracking_code>/triage/", views.triage, name="triage"),
    path("<str:tracking_code>/delegate/", views.delegate, name="delegate"),
    path("<str:tracking_code>/reject/", views.reject, name="reject"),
    path("<str:tracking_code>/merge/", views.merge, name="merge"),
    path("<str:tracking_code>/close/", views.close, name="close"),
    path("<str:tracking_code>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<str:tracking_code>/reply/", views.reply, name="reply"),
    path("<str:tracking_code>/transfer/", views.transfer, name="transfer"),
    path("<str:tracking_code>/resolve/", views.resolve, name="resolve"),
    path("<str:tracking_code>/replies/<int:reply_id>/retry/", views.retry_reply, name="retry-reply"),
]
