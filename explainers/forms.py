"""Admin forms for explainer pages."""

from wagtail.admin.forms import WagtailAdminPageForm

from explainers.guard import refusal_message, unverified_citations


class ExplainerPageForm(WagtailAdminPageForm):
    """The explainer edit form: refuses to publish (or approve for publishing) an explainer
    citing unverified claims, with a message naming them; saving a draft always works."""

    def clean(self):
        cleaned_data = super().clean()
        body = cleaned_data.get("body")
        if body is None or not self.is_going_live():
            return cleaned_data
        claims = unverified_citations(body.get_prep_value())
        if claims:
            self.add_error(None, refusal_message(claims))
        return cleaned_data

    def is_going_live(self):
        # Wagtail ignores a publish button from someone who may not publish (it saves a draft).
        if self.data.get("action-publish"):
            return self.user_can_publish()
        return bool(
            self.data.get("action-workflow-action")
            and self.data.get("workflow-action-name") == "approve"
        )

    def user_can_publish(self):
        if self.instance.pk:
            return self.instance.permissions_for_user(self.for_user).can_publish()
        return self.parent_page.permissions_for_user(self.for_user).can_publish_subpage()
