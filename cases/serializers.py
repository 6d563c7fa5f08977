"""Cases as the REST API shows them to staff: unmasked text (they need it to act), posts and replies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework import serializers

from cases.models import Case, Reply
from programs.models import Agency
from programs.serializers import AgencyRefSerializer, RegionRefSerializer, SectorRefSerializer
from sources.models import Post

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class PostSummarySerializer(serializers.ModelSerializer[Post]):
    """A post of the case, without its text (read it at /api/posts/{id}/)."""

    class Meta:
        model = Post
        fields = ["id", "platform", "role", "author_handle", "posted_at", "url"]
        read_only_fields = fields


class ReplySerializer(serializers.ModelSerializer[Reply]):
    agency: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    author: serializers.SlugRelatedField[AbstractBaseUser] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Reply
        fields = [
            "id",
            "agency",
            "author",
            "text",
            "status",
            "attempts",
            "last_error",
            "url",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer[Case]):
    sector = SectorRefSerializer(read_only=True, allow_null=True)
    region = RegionRefSerializer(read_only=True, allow_null=True)
    agency = AgencyRefSerializer(read_only=True, allow_null=True)
    merged_into: serializers.SlugRelatedField[Case] = serializers.SlugRelatedField(
        slug_field="tracking_code", read_only=True, allow_null=True
    )
    posts = PostSummarySerializer(many=True, read_only=True)
    replies = ReplySerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "tracking_code",
            "status",
            "kind",
            "urgency",
            "platform",
            "summary",
            "sector",
            "region",
            "agency",
            "support_count",
            "reject_reason",
            "merged_into",
            "opened_at",
            "delegated_at",
            "acknowledged_at",
            "first_reply_at",
            "first_reply_seconds",
            "resolved_at",
            "closed_at",
            "updated_at",
            "posts",
            "replies",
        ]
        read_only_fields = fields
