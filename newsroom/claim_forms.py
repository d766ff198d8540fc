"""Admin forms for claims: the snippet edit form and the verification form."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm


def decision_choices():
    # Imported here because the Claim model imports this module for its edit form.
    from newsroom.models import Claim

    return [
        (Claim.Status.VERIFIED, "Verified"),
        (Claim.Status.DISPUTED, "Disputed"),
        (Claim.Status.FALSE, "False"),
        (Claim.Status.UNVERIFIED, "Reopen: back to unverified"),
    ]


class ClaimForm(WagtailAdminModelForm):
    """The claim's edit form. An evidence row may only ever be one of this claim's own:
    a posted id of another claim's evidence is refused, not quietly turned into a copy."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("evidence")
        if formset is None:
            return cleaned_data
        from newsroom.models import Evidence

        rows = Evidence.objects.filter(claim_id=self.instance.pk) if self.instance.pk else []
        own = {str(row.pk) for row in rows}
        for form in formset.forms:
            posted = form.data.get(form.add_prefix("id"), "")
            if posted and str(posted) not in own:
                raise ValidationError(
                    "An evidence row refers to a quote that is not this claim's. "
                    "Reload the page and try again; nothing was saved."
                )
        return cleaned_data


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
    seen_version = forms.IntegerField(widget=forms.HiddenInput)
