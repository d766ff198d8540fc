"""Admin forms for the evidence desk. The admin's source viewset takes SourceForm as its
edit form; the model does not name it, as the form saves through the write path, which
reads the models."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from newsroom.desk.actions.sources import save_source
from newsroom.desk.ids import parse_id
from newsroom.desk.importing.importer import FAILED, SourceImporter
from newsroom.desk.importing.manifest import ManifestEntry
from newsroom.desk.importing.metadata import PublicationDate
from newsroom.desk.models import Source


class SourceForm(WagtailAdminModelForm):
    """A source's text is typed only when it is created by hand; after that it changes
    only by re-import, so evidence stays checkable against what it quoted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields.pop("original_text", None)

    def save(self, commit=True):
        source = super().save(commit=False)
        if not source.pk or not source.body:
            source.body = source.original_text.strip()
            source.content_hash = source.hash_text(source.original_text)
        if commit:
            # Edits and reverts alike: quotes re-anchored, claims re-checked.
            save_source(source, user=self.for_user)
            self.save_m2m()
        return source


class ImportRefused(Exception):
    """Writing a previewed source failed (its URL taken meanwhile, a database error)."""


class SourceImportForm(WagtailAdminModelForm):
    """A source added by hand: the editor pastes its text, and it goes through the importer
    as a file would (cleaning, set-aside lines, title, date, language and kind inferred).
    The other fields, when filled in, win over what is inferred, as a manifest entry does.

    Validating reads and cleans the text again every time, so what is saved is what the
    importer makes of the posted text, never of anything posted back from a preview."""

    kind = forms.ChoiceField(
        choices=[("", "As the text says (a transcript if timed, else an article)")]
        + Source.Kind.choices,
        required=False,
    )
    # Declared for assume_scheme: a pasted "www.example.org/story" means https.
    url = forms.URLField(
        label="URL", max_length=1000, required=False, empty_value=None, assume_scheme="https"
    )

    class Meta:
        model = Source
        fields = [
            "original_text",
            "title",
            "outlet",
            "url",
            "kind",
            "language",
            "published_on",
            "date_precision",
            "tags",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        text = self.fields["original_text"]
        text.required = True
        text.label = "Pasted text"
        text.help_text = (
            "Paste the article or transcript as copied. The importer keeps its body and sets "
            "the rest aside (site chrome, prompts, captions…), each line with its reason."
        )
        self.fields["title"].required = False
        self.fields["title"].help_text = "Leave blank to use the headline the text starts with."
        self.prepared = None
        # An outlet id that cannot name a row would break the chooser's rendering (the ORM
        # raises ValueError): drop it, and say so as the field's error.
        outlet_key = self.add_prefix("outlet")
        self.forged_outlet = bool(
            self.is_bound and self.data.get(outlet_key) and parse_id(self.data[outlet_key]) is None
        )
        if self.forged_outlet:
            self.data = self.data.copy()
            self.data[outlet_key] = ""

    def clean_outlet(self):
        if self.forged_outlet:
            raise forms.ValidationError("Choose an outlet from the list.")
        return self.cleaned_data["outlet"]

    def clean(self) -> dict:
        cleaned = super().clean()
        text = cleaned.get("original_text")
        if not text or self.errors:
            return cleaned
        outcome, prepared = SourceImporter(user=self.for_user).prepare_text(
            text, self.manifest_entry(cleaned)
        )
        if prepared is None:
            self.add_error(
                "original_text", f"The importer cannot use this text: {outcome.message}."
            )
        elif not prepared.parsed.title:
            self.add_error("title", "The text has no headline the importer can use: give a title.")
        else:
            self.prepared = prepared
        return cleaned

    @staticmethod
    def manifest_entry(cleaned: dict) -> ManifestEntry:
        """What the editor filled in, as the importer takes facts a text does not state."""
        published_on = cleaned.get("published_on")
        precision = cleaned.get("date_precision") or Source.DatePrecision.DAY
        outlet = cleaned.get("outlet")
        return ManifestEntry(
            outlet=outlet.name if outlet else "",
            url=cleaned.get("url") or "",
            date=PublicationDate(published_on, precision) if published_on else None,
            title=(cleaned.get("title") or "").strip(),
            kind=cleaned.get("kind") or "",
            language=(cleaned.get("language") or "").strip(),
        )

    @property
    def text_hash(self) -> str:
        """The pasted text's fingerprint, so a save can tell it was previewed as posted."""
        return Source.hash_text(self.cleaned_data["original_text"])

    def save(self, commit: bool = True) -> Source:
        """Import the text as a new source, through the importer's own write."""
        outcome = SourceImporter(user=self.for_user).write_prepared(
            self.prepared, tags=self.cleaned_data.get("tags") or ()
        )
        if outcome.status == FAILED:
            raise ImportRefused(f"The importer could not save this text: {outcome.message}.")
        self.instance = Source.objects.get(pk=outcome.source_id)
        return self.instance
