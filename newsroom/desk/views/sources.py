"""Admin views of a source beyond Wagtail's generic ones: the listing whose titles open the
source to read, the source as an editor reads and checks it, adding a source by pasting
its text through the importer, and putting back a line the importer set aside."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import ButtonsColumnMixin, TitleColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.snippets import CreateView, IndexView

from newsroom.desk.forms import ImportRefused, SourceImportForm
from newsroom.desk.importing.body import body_passages
from newsroom.desk.importing.restoring import NotSetAside, restore_line
from newsroom.desk.models import Evidence, Source
from newsroom.desk.views.base import DeskObjectView
from newsroom.desk.views.exports import SourceExportMixin


class ReadingTitleColumn(ButtonsColumnMixin, TitleColumn):
    """A source's title in the listing, linking to the source to read, with the row's
    buttons (Edit among them) beside it, as Wagtail's own title column has."""

    def __init__(self, *args, view: IndexView, **kwargs):
        super().__init__(*args, **kwargs)
        self.view = view

    def get_buttons(self, instance, parent_context):
        return self.view.get_list_buttons(instance)


class SourceIndexView(SourceExportMixin, IndexView):
    """The sources listing. An editor opens a source to read it, so its title leads to the
    reading view (the inspect view); its metadata form stays under the row's Edit. It
    exports as a spreadsheet (SourceExportMixin)."""

    @cached_property
    def columns(self):
        title = ReadingTitleColumn(
            "title",
            label="Title",
            sort_key="title",
            get_url=self.get_reading_url,
            get_title_id=lambda source: f"snippet_{quote(source.pk)}_title",
            view=self,
        )
        return [title if isinstance(column, TitleColumn) else column for column in super().columns]

    def get_reading_url(self, source: Source) -> str | None:
        return self.get_inspect_url(source) or self.get_edit_url(source)


class SourceInspectView(InspectView):
    """A source as an editor reads and checks it: provenance, the body in the pieces the
    importer made of it (a transcript's timed segments, else paragraphs), every claim that
    cites it with its status and the quote it cites, and each line the importer set aside,
    and why. "Edit details" opens the metadata form."""

    template_name = "newsroom/admin/source_inspect.html"

    @cached_property
    def header_buttons(self):
        # The metadata form, in plain sight rather than under "…".
        edit_url = self.get_edit_url()
        if not edit_url:
            return super().header_buttons
        return [
            *super().header_buttons,
            HeaderButton("Edit details", url=edit_url, icon_name="edit"),
        ]

    @cached_property
    def header_more_buttons(self):
        edit_url = self.get_edit_url()
        return [button for button in super().header_more_buttons if button.url != edit_url]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["passages"] = body_passages(self.object.body, self.object.segments)
        context["citations"] = (
            Evidence.objects.filter(source=self.object)
            .select_related("claim")
            .order_by("claim_id", "sort_order")
        )
        context["set_aside"] = self.object.set_aside
        context["possible_duplicate"] = self.object.possible_duplicate
        context["can_restore"] = self.user_has_permission_for_instance("change", self.object)
        # A web source's captured copies, newest first, each with the revision it became.
        context["captures"] = self.object.captures.defer("content").select_related("revision")
        return context


class RestoreSetAsideLineView(DeskObjectView, View):
    """POST: put one set-aside line back into the source's body, then re-anchor its quotes."""

    permission_required = "change"
    http_method_names = ["post"]

    def post(self, request, pk, line):
        source = self.object
        try:
            entry, flagged = restore_line(source, line, user=request.user)
        except NotSetAside as error:
            raise Http404(f"Line {line} of this source is not set aside.") from error
        message = f"Line {entry['line']} is back in the body: “{entry['text'][:80]}”."
        if flagged:
            message += f" {len(flagged)} claims citing this source need re-checking."
        messages.success(request, message)
        return redirect(self.object_url(self.inspect_url_name))


class SourceAddView(CreateView):
    """Add a source by pasting its text: the importer reads it as it reads a file.

    Without JavaScript it is two submits. "Preview" (and a "Save" of a text not previewed
    as posted) shows what the importer makes of the text, the lines it sets aside and why,
    and saves nothing; "Save" then imports the posted text, cleaned again."""

    inspect_url_name = None
    # Not `panel`: the viewset hands every create view its edit form's panel by that name.
    import_panel = ObjectList(
        [
            FieldPanel("original_text"),
            FieldPanel("title"),
            MultiFieldPanel(
                Source.provenance_panels, heading="Provenance, where the text does not state it"
            ),
            FieldPanel("tags"),
        ],
        base_form_class=SourceImportForm,
    )

    def get_panel(self):
        return self.import_panel.bind_to_model(self.model)

    def get_form_class(self):
        return self.panel.get_form_class()

    def form_valid(self, form):
        previewed = self.request.POST.get("previewed") == form.text_hash
        if "preview" in self.request.POST or not previewed:
            return self.render_preview(form, asked="preview" in self.request.POST)
        try:
            return super().form_valid(form)
        except ImportRefused as error:
            form.add_error(None, str(error))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def render_preview(self, form: SourceImportForm, asked: bool) -> HttpResponse:
        self.form = form
        if not asked:
            messages.warning(
                self.request,
                "Nothing saved yet: check what the importer makes of this text, then save.",
            )
        return self.render_to_response(self.get_context_data(form=form, preview=form.prepared))

    def save_instance(self):
        # The importer writes the source, its first revision and its "created" log entry.
        return self.form.save()

    def get_success_message(self, instance):
        lines = len(instance.set_aside)
        return f"Source “{instance}” imported: {lines} line{'s' if lines != 1 else ''} set aside."

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[quote(self.object.pk)])
