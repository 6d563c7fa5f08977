"""Agencies and API tokens over the REST API."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from programs.access import current_program, membership_for
from programs.models import Agency
from programs.serializers import AgencySerializer, TokenRequestSerializer, TokenSerializer

ERROR = inline_serializer("Error", fields={"error": serializers.CharField()})


class AgencyViewSet(viewsets.ReadOnlyModelViewSet[Agency]):
    """The program's agencies, for any member of the program."""

    serializer_class = AgencySerializer
    lookup_field = "code"
    filter_backends = [OrderingFilter]
    ordering_fields = ["code", "name", "short_name"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet[Agency]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no request or database
            return Agency.objects.none()
        program = current_program()
        if membership_for(self.request.user, program) is None:
            return Agency.objects.none()
        return Agency.objects.filter(program=program).select_related("region")


class TokenThrottle(SimpleRateThrottle):
    """Ten attempts a minute per client address: enough for a script, too few to guess passwords."""

    scope = "token"
    rate = "10/min"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenView(APIView):
    """Exchange a username and password for the user's API token (created on first use)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (TokenThrottle,)

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ERROR, description="Missing or wrong credentials"),
            429: OpenApiResponse(description="Too many attempts from this address; wait a minute"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        given = TokenRequestSerializer(data=request.data)
        if not given.is_valid():
            return Response({"error": _("Give a username and a password.")}, status=status.HTTP_400_BAD_REQUEST)
        user = authenticate(
            request._request,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if user is None or not user.is_active:
            return Response({"error": _("Wrong username or password.")}, status=status.HTTP_400_BAD_REQUEST)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
