"""The public read API: Wagtail's API v2 for live explainers, and verified claims."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter
from wagtail.api.v2.router import WagtailAPIRouter

from explainers.api import ExplainerPagesAPIViewSet, VerifiedClaimViewSet

pages_router = WagtailAPIRouter("wagtailapi")
pages_router.register_endpoint("pages", ExplainerPagesAPIViewSet)

claims_router = SimpleRouter()
claims_router.register("claims", VerifiedClaimViewSet, basename="verified-claim")

urlpatterns = [
    path("v2/", pages_router.urls),
    path("", include(claims_router.urls)),
]
