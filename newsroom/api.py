"""The public read API of the evidence desk: verified claims with their evidence and sources.

Only live, verified claims appear; drafts, unverified, disputed and false claims never do.
"""

from django.db.models import Prefetch
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from newsroom.models import Claim, Evidence, Source


class SourceSerializer(serializers.ModelSerializer):
    outlet = serializers.CharField(source="outlet_name")

    class Meta:
        model = Source
        fields = ["id", "title", "outlet", "url", "kind", "language", "published_on"]


class EvidenceSerializer(serializers.ModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = Evidence
        fields = ["quote", "stance", "source"]


class ClaimSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True)
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "statement",
            "status",
            "verified_at",
            "single_source",
            "verification_note",
            "tags",
            "evidence",
        ]

    def get_tags(self, claim):
        return sorted(tag.name for tag in claim.tags.all())


class ClaimPagination(PageNumberPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"


class VerifiedClaimViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClaimSerializer
    pagination_class = ClaimPagination
    permission_classes = [AllowAny]
    authentication_classes = []

    def get_queryset(self):
        evidence = Evidence.objects.select_related("source__outlet").order_by("sort_order")
        return (
            Claim.objects.filter(live=True, status=Claim.Status.VERIFIED)
            .prefetch_related(Prefetch("evidence", queryset=evidence), "tags")
            .order_by("-verified_at", "pk")
        )
