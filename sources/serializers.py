"""Posts as the REST API shows them to staff: the citizen's text unmasked, with the triage reading."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework import serializers

from sources.models import Post

if TYPE_CHECKING:
    from cases.models import Case


class PostSerializer(serializers.ModelSerializer[Post]):
    case: serializers.SlugRelatedField[Case] = serializers.SlugRelatedField(
        slug_field="tracking_code", read_only=True, allow_null=True
    )

    class Meta:
        model = Post
        fields = [
            "id",
            "platform",
            "external_id",
            "url",
            "author_id",
            "author_handle",
            "author_name",
            "author_location",
            "text",
            "lang",
            "posted_at",
            "captured_at",
            "conversation_id",
            "in_reply_to_id",
            "repost_of_id",
            "case",
            "role",
            "kind",
            "sector_code",
            "sector_confidence",
            "agency_code",
            "agency_confidence",
            "region_code",
            "urgency",
            "pii",
            "model_version",
        ]
        read_only_fields = fields
