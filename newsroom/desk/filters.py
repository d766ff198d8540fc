"""Filters for the evidence desk's admin listings."""

import django_filters
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from newsroom.desk.models import Claim, Outlet, Source


class TagFilter(django_filters.CharFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(tags__name__iexact=value.strip()).distinct()


class OutletFilterSet(WagtailFilterSet):
    country = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Outlet
        fields = ["country"]


class SourceFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices)
    outlet = django_filters.ModelChoiceFilter(queryset=Outlet.objects.all())
    published_on = django_filters.DateFromToRangeFilter(
        label="Publication date", widget=DateRangePickerWidget
    )
    tag = TagFilter(label="Tag")

    class Meta:
        model = Source
        fields = ["kind", "outlet", "published_on", "language"]


class QueueFilter(django_filters.BooleanFilter):
    """Narrows the list to one of the desk's queues (a ClaimQuerySet method)."""

    def __init__(self, queue, **kwargs):
        self.queue = queue
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return getattr(qs, self.queue)()


class ClaimFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices)
    awaiting = QueueFilter("awaiting_verification", label="Awaiting verification")
    single_source = QueueFilter("single_source", label="Verified on a single source")
    tag = TagFilter(label="Tag")
    outlet = django_filters.ModelChoiceFilter(
        queryset=Outlet.objects.all(),
        field_name="evidence__source__outlet",
        label="Cites outlet",
        distinct=True,
    )
    created_at = django_filters.DateFromToRangeFilter(label="Written", widget=DateRangePickerWidget)

    class Meta:
        model = Claim
        fields = ["status", "live"]
