"""How the read API writes the desk's claims, evidence and sources, and the fields explainer
pages declare in their `api_fields`."""

from django.urls import reverse
from rest_framework import serializers
from rest_framework.fields import Field

from newsroom.desk.models import Claim, Evidence, Source


class SourceSerializer(serializers.ModelSerializer):
    outlet = serializers.CharField(source="outlet_name")

    class Meta:
        model = Source
        fields = ["id", "title", "outlet", "url", "kind", "language", "published_on"]


class EvidenceSerializer(serializers.ModelSerializer):
    source = SourceSerializer()
    passage = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["quote", "passage", "stance", "source"]

    def get_passage(self, evidence):
        """The passage of the source's text the quote is anchored at, word for word as the
        source has it; null while the quote no longer anchors."""
        return evidence.anchored_text if evidence.is_anchored else None


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
        return sorted((tag.name for tag in claim.tags.all()), key=str.casefold)


class TagNamesField(Field):
    """A page's tag names, from its prefetched tags (Wagtail's own field queries per page)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, tags):
        return sorted((tag.name for tag in tags.all()), key=str.casefold)


class CitedClaimsField(Field):
    """The claims an explainer cites, as readers see them: statement and status, and for a
    verified claim, where the claims endpoint has its evidence."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page):
        ids = page.cited_claim_ids()
        claims = Claim.objects.filter(pk__in=ids, live=True).only("pk", "statement", "status")
        by_id = {claim.pk: claim for claim in claims}
        return [self.claim_summary(by_id[pk]) for pk in ids if pk in by_id]

    def claim_summary(self, claim):
        verified = claim.status == Claim.Status.VERIFIED
        request = self.context.get("request")
        url = reverse("verified-claim-detail", args=[claim.pk]) if verified else None
        if url and request is not None:
            url = request.build_absolute_uri(url)
        return {"id": claim.pk, "statement": claim.statement, "status": claim.status, "url": url}
