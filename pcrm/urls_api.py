"""The API's wiring, above every app: each app's ``/api/v1/`` resources, the OpenAPI
schema (``/api/schema/``) and its documentation (``/api/docs/``, Swagger UI)."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from citizens.api import CitizenViewSet
from complaints.api import ComplaintViewSet, DeadlineView
from pcrm.api import schema  # noqa: F401 - registers the token scheme with the schema
from scorecards.api import ScorecardViewSet
from surveys.api import CampaignViewSet

router = SimpleRouter()
router.register("complaints", ComplaintViewSet, basename="api-complaint")
router.register("citizens", CitizenViewSet, basename="api-citizen")
router.register("surveys/campaigns", CampaignViewSet, basename="api-campaign")
router.register("scorecards", ScorecardViewSet, basename="api-scorecard")

urlpatterns = [
    path("v1/deadline", DeadlineView.as_view(), name="api-deadline"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # a page people open in the browser: signing in first, rather than a bare 401; its
    # start-up script from its own address (?script), as the Content-Security-Policy wants
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/docs.html"
            )
        ),
        name="api-docs",
    ),
]
