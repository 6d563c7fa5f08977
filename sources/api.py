"""Posts over the REST API: a post is visible exactly when its case is (admins and analysts see them all)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.filters import OrderingFilter

from cases.models import Case
from programs.access import current_program, membership_for
from programs.models import Program
from sources.models import Platform, Post, PostRole
from sources.serializers import PostSerializer

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def visible_posts(user: AbstractBaseUser | AnonymousUser, program: Program) -> QuerySet[Post]:
    """The posts `user` may read: every post of the program for admins and analysts (unlinked ones too),
    the posts of their visible cases for agency staff, none for anyone else."""
    membership = membership_for(user, program)
    if membership is None:
        return Post.objects.none()
    posts = Post.objects.filter(program=program)
    if membership.is_agency_staff:
        return posts.filter(case__in=Case.objects.visible_to(user, program))
    return posts


class PostFilter(django_filters.FilterSet):
    case = django_filters.CharFilter(field_name="case__tracking_code", label=_("Case tracking code"))
    platform = django_filters.ChoiceFilter(choices=Platform.choices, label=_("Platform"))
    role = django_filters.ChoiceFilter(choices=PostRole.choices, label=_("Role"))

    class Meta:
        model = Post
        fields = ["case", "platform", "role"]


class PostViewSet(viewsets.ReadOnlyModelViewSet[Post]):
    """Captured posts with their text (unmasked: staff need it to act) and triage reading."""

    serializer_class = PostSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = PostFilter
    ordering_fields = ["posted_at", "captured_at", "id"]
    ordering = ["-posted_at", "-id"]

    def get_queryset(self) -> QuerySet[Post]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no request or database
            return Post.objects.none()
        return visible_posts(self.request.user, current_program()).select_related("case")
