"""The evidence desk's snippet choosers: Wagtail's, answering an id that cannot exist with a
404 (one chosen) or a 400 (several) instead of failing on it, and searching with the ORM as
the desk's listings do (never waiting on a search index).

The claim chooser shows each claim's statement in full with its status badge, and tells the
chooser widget the status of the claim chosen; the source chooser shows outlet, date and
kind, finds sources by their outlet's name, and links each source to its reading view."""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, StatusTagColumn
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

from newsroom.desk.ids import parse_id, require_ids
from newsroom.desk.models import Claim, Source
from newsroom.desk.widgets import ClaimChooser, claim_status_data


class OrmSearchFilterForm(BaseFilterForm):
    """The chooser's search box, matching any of `search_fields` (ORM lookups) by
    substring, case aside: "kyiv" finds the Kyiv Independent's sources."""

    search_fields: tuple[str, ...] = ()

    q = forms.CharField(
        label="Search term",
        widget=forms.TextInput(attrs={"placeholder": "Search"}),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        matches = Q()
        for field in self.search_fields:
            matches |= Q(**{f"{field}__icontains": query})
        return objects.filter(matches)


class EvidenceDeskChooseMixin:
    """Searches the chooser's list over the view's `search_fields` with the ORM."""

    search_fields: tuple[str, ...] = ()

    def get_filter_form_class(self):
        return type(
            f"{self.model_class.__name__}ChooserFilterForm",
            (OrmSearchFilterForm,),
            {"search_fields": self.search_fields},
        )


class EvidenceDeskChosenView(SnippetChosenView):
    def get_object(self, pk):
        if parse_id(pk) is None:
            raise self.model_class.DoesNotExist  # Wagtail answers it with a 404
        return super().get_object(pk)


class EvidenceDeskChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return super().get_objects(require_ids(pks))


class EvidenceDeskChooserViewSet(SnippetChooserViewSet):
    chosen_view_class = EvidenceDeskChosenView
    chosen_multiple_view_class = EvidenceDeskChosenMultipleView


class ClaimStatusColumn(Column):
    """A claim's status as a badge whose text says it (never colour alone)."""

    cell_template_name = "newsroom/admin/chooser/claim_status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(claim_status_data(instance))
        return context


def publication_label(claim: Claim) -> str:
    """Whether readers can see the claim, and whether it has changes they cannot yet."""
    if not claim.live:
        return "draft"
    return "live + draft" if claim.has_unpublished_changes else "live"


class ClaimChooseMixin(EvidenceDeskChooseMixin):
    search_fields = ("statement",)

    @property
    def title_column(self):
        # The statement in full: its string form is cut at 80 characters, and an editor
        # choosing what to cite must read all of it.
        column = super().title_column
        column.accessor = "statement"
        column.label = "Statement"
        return column

    @property
    def columns(self):
        title, *others = super().columns
        # Wagtail's live/draft tag asks the database per row (schedules, workflows): this one
        # reads the claim's own fields.
        others = [column for column in others if not isinstance(column, LiveStatusTagColumn)]
        return [
            title,
            ClaimStatusColumn("status", label="Verification", sort_key=None),
            StatusTagColumn(
                "publication",
                label="Publication",
                accessor=publication_label,
                primary=lambda claim: claim.live,
                sort_key=None,
            ),
            *others,
        ]


class ClaimChooseView(ClaimChooseMixin, ChooseView):
    pass


class ClaimChooseResultsView(ClaimChooseMixin, ChooseResultsView):
    pass


class ClaimChosenView(EvidenceDeskChosenView):
    def get_display_title(self, instance):
        return ClaimChooser.display_title(instance)

    def get_chosen_response_data(self, item):
        return {**super().get_chosen_response_data(item), **claim_status_data(item)}


class ClaimChooserViewSet(EvidenceDeskChooserViewSet):
    """The claim chooser: statements in full with their status, in the listing and in the
    widget once chosen."""

    choose_view_class = ClaimChooseView
    choose_results_view_class = ClaimChooseResultsView
    chosen_view_class = ClaimChosenView
    base_widget_class = ClaimChooser


class ReadSourceColumn(Column):
    """A link to the source's reading view (its body, the claims citing it, what was set
    aside), in a new tab so the form the chooser was opened from is kept."""

    cell_template_name = "newsroom/admin/chooser/read_source_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        url_name = instance.snippet_viewset.get_url_name("inspect")
        context["read_url"] = reverse(url_name, args=[instance.pk])
        return context


# A date shown no more precisely than the source gives it.
DATE_FORMATS = {Source.DatePrecision.YEAR: "Y", Source.DatePrecision.MONTH: "F Y"}


def publication_date(source: Source) -> str:
    """When the source was published, as precisely as it says: "3 December 2025"."""
    if not source.published_on:
        return ""
    return date_format(source.published_on, DATE_FORMATS.get(source.date_precision, "j F Y"))


class SourceChooseMixin(EvidenceDeskChooseMixin):
    search_fields = ("title", "outlet__name", "outlet__aliases")

    def get_object_list(self):
        # Bodies can be long and the chooser shows none of them.
        return (
            super()
            .get_object_list()
            .select_related("outlet")
            .defer("original_text", "body", "segments", "set_aside", "restored_lines")
        )

    @property
    def columns(self):
        title, *others = super().columns
        return [
            title,
            Column("outlet", label="Outlet", accessor="outlet_name", sort_key=None),
            Column("published_on", label="Published", accessor=publication_date, sort_key=None),
            Column("kind", label="Kind", accessor="get_kind_display", sort_key=None),
            ReadSourceColumn("read", label="Reading view", sort_key=None),
            *others,
        ]


class SourceChooseView(SourceChooseMixin, ChooseView):
    pass


class SourceChooseResultsView(SourceChooseMixin, ChooseResultsView):
    pass


class SourceChooserViewSet(EvidenceDeskChooserViewSet):
    """The source chooser: outlet, date and kind beside each title, searchable by outlet
    name, each source a click away from its reading view."""

    choose_view_class = SourceChooseView
    choose_results_view_class = SourceChooseResultsView
