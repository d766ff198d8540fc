"""Filters for the evidence desk's admin listings."""

import django_filters
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from newsroom.models import Claim, Outlet, Source


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


class ClaimFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices)
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
