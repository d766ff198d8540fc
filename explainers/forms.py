"""Admin forms for explainer pages."""

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from explainers.guard import downgraded_claims, refusal_message, unverified_citations
from explainers.models.corrections import Correction
from newsroom.desk.ids import FormIdsChecked

CORRECTION_NOTE_HELP = (
    "When you publish a change to a live explainer that readers should know about, say what "
    "changed. Readers see it, dated, under “Corrections and updates”. Required when you take "
    "out a verified claim or mark it “Show as not verified”."
)


class ExplainerPageForm(FormIdsChecked, WagtailAdminPageForm):
    """The explainer edit form: refuses to publish (or approve for publishing) an explainer
    citing unverified claims, with a message naming them; saving a draft always works.
    Publishing a change to a live explainer may carry a correction note, and must when it
    takes a claim readers see as verified out of the page or marks it as not verified."""

    # Ids the form posts besides its inline rows': pinned or excluded stories, and the
    # claims and sources chosen in the body's blocks (a block's own id is a UUID).
    id_fields = (r"related_choices-\d+-story", r"body-[\w-]+-value-(claim|source)")

    correction_note = forms.CharField(
        label="Correction note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=CORRECTION_NOTE_HELP,
    )

    def clean(self):
        cleaned_data = super().clean()
        body = cleaned_data.get("body")
        if body is None or not self.is_going_live():
            return cleaned_data
        stream_data = body.get_prep_value()
        claims = unverified_citations(stream_data)
        if claims:
            self.add_error(None, refusal_message(claims))
        self.check_correction_note(stream_data)
        return cleaned_data

    def check_correction_note(self, stream_data):
        note = (self.cleaned_data.get("correction_note") or "").strip()
        if note and self.is_scheduled():
            self.add_error(
                "correction_note",
                "A correction note is dated when the change goes live, so it cannot be "
                "scheduled: publish now, or schedule without a note.",
            )
            return
        downgraded = downgraded_claims(self.live_body(), stream_data)
        if downgraded and not note:
            listed = "; ".join(f"“{claim}”" for claim in downgraded)
            self.add_error(
                "correction_note",
                "This takes out of the live explainer, or marks as not verified, claims "
                f"readers now see as verified: {listed}. Write a correction note saying why; "
                "readers will see it.",
            )

    def live_body(self):
        """The body readers see now (the page row, not the draft being edited); None if the
        page is not live."""
        if not self.instance.pk:
            return None
        live = self._meta.model.objects.filter(pk=self.instance.pk, live=True).first()
        return live.body.raw_data if live else None

    def save(self, commit=True):
        page = super().save(commit=commit)
        note = (self.cleaned_data.get("correction_note") or "").strip()
        if note and page.first_published_at and self.publishes_now():
            Correction.objects.record_prose(page, note, self.for_user)
        return page

    def is_going_live(self):
        # Wagtail ignores a publish button from someone who may not publish (it saves a draft).
        if self.data.get("action-publish"):
            return self.user_can_publish()
        return bool(
            self.data.get("action-workflow-action")
            and self.data.get("workflow-action-name") == "approve"
        )

    def publishes_now(self):
        """Whether the edit view, once this form is saved, puts the page live at once:
        publishing without a future go-live time, or approving the last step of its review
        for someone who may approve it."""
        if not self.is_going_live() or self.is_scheduled():
            return False
        if self.data.get("action-publish"):
            return True
        task = self.instance.current_workflow_task
        if task is None or not self.instance.current_workflow_state.is_at_final_task:
            return False
        return "approve" in [name for name, *_ in task.get_actions(self.instance, self.for_user)]

    def is_scheduled(self):
        go_live_at = self.cleaned_data.get("go_live_at")
        return bool(go_live_at and go_live_at > timezone.now())

    def user_can_publish(self):
        if self.instance.pk:
            return self.instance.permissions_for_user(self.for_user).can_publish()
        return self.parent_page.permissions_for_user(self.for_user).can_publish_subpage()
