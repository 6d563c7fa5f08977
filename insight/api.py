"""`/api/board`: the public board's figures as JSON, for anyone (no login, no personal data)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from insight.board import CUSTOM, PRESETS, PeriodError, board_for, parse_period
from programs.access import current_program


class TallySerializer(serializers.Serializer[None]):
    code = serializers.CharField(allow_null=True, help_text="null for the unknown/unclassified bucket")
    name = serializers.CharField()
    count = serializers.IntegerField()


class AgencyTallySerializer(TallySerializer):
    median_first_reply_hours = serializers.FloatField(
        allow_null=True,
        help_text=(
            "Median hours from the citizen's post to the agency's first public reply (answered cases). Read from"
            " a histogram of reply times (buckets of 1 minute under 24 h, 15 minutes under 7 days, 1 hour"
            " beyond): exact for whole minutes under 24 h, otherwise within the width of the middle bucket"
        ),
    )


class AnsweredCaseSerializer(serializers.Serializer[None]):
    tracking_code = serializers.CharField()
    sector = serializers.CharField()
    region = serializers.CharField(help_text="Regency/city name")
    agency = serializers.CharField()
    text = serializers.CharField(help_text="The citizen's text, personal data masked")
    reply = serializers.CharField(help_text="The agency's public reply, personal data masked")
    answered_at = serializers.DateTimeField()
    url = serializers.URLField(allow_null=True, help_text="The public reply on the platform")


class BoardSerializer(serializers.Serializer[None]):
    """The shape of `insight.board.Board.as_json()`, for the schema (a test keeps them equal)."""

    program = serializers.CharField()
    updated_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the worker last brought the counts and medians up to date; null before the first rollup",
    )
    period = inline_serializer(
        "BoardPeriod",
        fields={
            "from": serializers.DateField(allow_null=True, help_text="null for all time"),
            "to": serializers.DateField(),
        },
    )
    total_cases = serializers.IntegerField()
    answered_cases = serializers.IntegerField()
    by_sector = TallySerializer(many=True)
    by_region = TallySerializer(many=True)
    by_agency = AgencyTallySerializer(many=True)
    latest_answered = AnsweredCaseSerializer(many=True)


PERIOD_PARAMETERS = [
    OpenApiParameter(
        "period",
        OpenApiTypes.STR,
        enum=[*PRESETS, CUSTOM],
        description="Preset period in the program's time zone (default 30d); `custom` with from/to",
    ),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (YYYY-MM-DD), with period=custom"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (YYYY-MM-DD), inclusive; default today"),
]


class BoardView(APIView):
    """The public board: cases opened in the period (rejected and merged excluded), per sector, regency/city
    and agency, median time to first public reply, and the latest answered cases with personal data masked."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="board",
        parameters=PERIOD_PARAMETERS,
        responses={
            200: BoardSerializer,
            400: OpenApiResponse(
                inline_serializer("BoardError", fields={"error": serializers.CharField()}),
                description="Bad period parameters",
            ),
        },
        auth=[],
    )
    def get(self, request: Request) -> Response:
        program = current_program()
        try:
            period = parse_period(request.query_params, program)
        except PeriodError as exc:
            return self._public(Response({"error": str(exc)}, status=status.HTTP_400_BAD_REQUEST))
        return self._public(Response(board_for(program, period).as_json()))

    @staticmethod
    def _public(response: Response) -> Response:
        # Open data: any web page may read it (no cookies or credentials are involved).
        response["Access-Control-Allow-Origin"] = "*"
        return response


@extend_schema(exclude=True)
class BoardSlashView(BoardView):
    """`/api/board/` as well as `/api/board`; documented once."""
