"""Admin forms for claims: the snippet edit form and the verification form. The admin's
claim viewset takes ClaimForm as its edit form; the model does not name it, as the form
reads the models and the write paths."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from newsroom.desk.actions.claims import live_citations
from newsroom.desk.ids import FormIdsChecked
from newsroom.desk.models import Claim, Evidence
from newsroom.desk.quote_repair import QuoteRepairTextarea, quote_repair
from newsroom.desk.similar_claims import live_duplicate, refusal_of


def decision_choices() -> list[tuple[str, str]]:
    return [
        (Claim.Status.VERIFIED, "Verified"),
        (Claim.Status.DISPUTED, "Disputed"),
        (Claim.Status.FALSE, "False"),
        (Claim.Status.UNVERIFIED, "Reopen: back to unverified"),
    ]


class ClaimForm(FormIdsChecked, WagtailAdminModelForm):
    """The claim's edit form. An evidence row may only ever be one of this claim's own:
    a posted id of another claim's evidence is refused, not quietly turned into a copy, and
    an id that cannot exist (an evidence row's, a source's) is refused as a form error.

    A change to the statement or evidence of a decided claim waits in Claim review (see
    ClaimEditView), so readers keep the decided version. Only where no review workflow is
    set up does publishing it return the claim to unverified on the live explainers citing
    it: the editor must then say why, in a correction note readers see."""

    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For readers of the live explainers citing this claim, when a change you "
        "publish alters what they see (required if it takes a decided claim back to unverified).",
    )

    id_fields = (r"evidence-\d+-source",)

    def clean(self):
        cleaned_data = super().clean()
        self.refuse_live_duplicate(cleaned_data.get("statement", ""))
        formset = self.formsets.get("evidence")
        if formset is None:
            return cleaned_data
        self.check_evidence_ids(formset)
        if self.needs_correction_note(formset) and not cleaned_data.get("correction_note"):
            self.add_error(
                "correction_note",
                "This claim is decided and live explainers cite it: publishing this change "
                "returns it to unverified there. Write a correction note for their readers.",
            )
        return cleaned_data

    def refuse_live_duplicate(self, statement):
        """A new or reworded statement that a published claim already makes word for word
        is refused, linking to that claim (an unchanged one is left alone, so claims saved
        before this rule can still be edited)."""
        if not statement or (self.instance.pk and "statement" not in self.changed_data):
            return
        duplicate = live_duplicate(statement, exclude=self.instance.pk)
        if duplicate is not None:
            edit_url_name = Claim.snippet_viewset.get_url_name("edit")
            self.add_error("statement", refusal_of(duplicate, edit_url_name))

    def is_valid(self):
        valid = super().is_valid()
        if not valid:
            self.offer_quote_repairs()
        return valid

    def offer_quote_repairs(self):
        """Under each quote its source refused, the closest passage with the words that
        differ marked, and a button to use it (see quote_repair)."""
        formset = self.formsets.get("evidence")
        for form in formset.forms if formset is not None else []:
            if "quote" not in form.errors:
                continue
            repair = quote_repair(form.instance)
            if repair is not None:
                field = form.fields["quote"]
                field.widget = QuoteRepairTextarea(attrs=field.widget.attrs, repair=repair)

    def needs_correction_note(self, formset):
        claim = self.instance
        if not (claim.pk and self.data.get("action-publish")):
            return False
        if claim.status not in Claim.DECIDED or not claim.live or claim.get_workflow():
            return False
        if not ("statement" in self.changed_data or formset.has_changed()):
            return False
        return bool(live_citations([claim.pk]))

    def check_evidence_ids(self, formset):
        rows = Evidence.objects.filter(claim_id=self.instance.pk) if self.instance.pk else []
        own = {str(row.pk) for row in rows}
        for form in formset.forms:
            posted = form.data.get(form.add_prefix("id"), "")
            if posted and str(posted) not in own:
                raise ValidationError(
                    "An evidence row refers to a quote that is not this claim's. "
                    "Reload the page and try again; nothing was saved."
                )


class VerificationForm(forms.Form):
    status = forms.ChoiceField(choices=decision_choices, widget=forms.RadioSelect)
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Readers see this note with the claim's status.",
    )
    single_source = forms.BooleanField(
        required=False,
        label="Single source",
        help_text="Verified on one outlet's word; the note must say so, and readers see it.",
    )
    seen_version = forms.CharField(widget=forms.HiddenInput, max_length=100)
