"""Cases over the REST API: read-only, scoped by `Case.objects.visible_to` like every page."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.filters import OrderingFilter

from cases.filters import CaseFilter
from cases.models import Case, Reply
from cases.serializers import CaseSerializer
from programs.access import current_program
from sources.models import Post


class CaseViewSet(viewsets.ReadOnlyModelViewSet[Case]):
    """The cases you may see: all of the program for admins and analysts, your agency's for agency staff.

    Another agency's case is a 404, exactly as if it did not exist.
    """

    serializer_class = CaseSerializer
    lookup_field = "tracking_code"
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = CaseFilter
    ordering_fields = ["opened_at", "updated_at", "urgency", "status", "first_reply_seconds", "tracking_code"]
    ordering = ["-opened_at", "-id"]

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no request or database
            return Case.objects.none()
        program = current_program()
        return (
            Case.objects.visible_to(self.request.user, program)
            .select_related("sector", "region", "agency", "merged_into")
            .prefetch_related(
                Prefetch("posts", queryset=Post.objects.order_by("posted_at", "id")),
                Prefetch("replies", queryset=Reply.objects.select_related("agency", "author").order_by("id")),
            )
        )
