"""The REST API: `/api/…`. Public: board, token, schema, docs; everything else needs a program membership."""

from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView, TemplateView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from cases.api import CaseViewSet
from insight.api import BoardSlashView, BoardView
from programs.api import AgencyViewSet, TokenView
from sources.api import PostViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="api-case")
router.register("posts", PostViewSet, basename="api-post")
router.register("agencies", AgencyViewSet, basename="api-agency")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api-docs"), name="api-root"),
    path("board", BoardView.as_view(), name="api-board"),
    path("board/", BoardSlashView.as_view()),
    path("token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", TemplateView.as_view(template_name="insight/api_docs.html"), name="api-docs"),
    *router.urls,
]
