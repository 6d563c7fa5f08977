"""Reference data as the REST API shows it."""

from __future__ import annotations

from rest_framework import serializers

from programs.models import Agency, Region, Sector


class SectorRefSerializer(serializers.ModelSerializer[Sector]):
    class Meta:
        model = Sector
        fields = ["code", "name"]


class RegionRefSerializer(serializers.ModelSerializer[Region]):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]


class AgencyRefSerializer(serializers.ModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = ["code", "short_name", "name"]


class AgencySerializer(serializers.ModelSerializer[Agency]):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Kemendagri code"
    )

    class Meta:
        model = Agency
        fields = ["code", "short_name", "name", "kind", "responsibility", "region", "is_active"]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer[None]):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)


class TokenSerializer(serializers.Serializer[None]):
    token = serializers.CharField(read_only=True)
