"""The claim chooser widget: Wagtail's snippet chooser, showing the chosen claim's statement
in full with its status badge, so an editor sees what a claim stands on while citing it.

The badge is rendered on the server when the widget is; in a StreamField, Wagtail renders
choosers in the browser from their value data, which carries the status too, and
``claim-chooser.js`` draws the same badge from it (with textContent: statements are
untrusted text)."""

from django import forms
from django.utils.functional import cached_property
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.telepath import register
from wagtail.snippets.widgets import AdminSnippetChooser, SnippetChooserAdapter

from newsroom.desk.models import Claim


def claim_chooser_media() -> forms.Media:
    """Wagtail's snippet chooser (the widget and its StreamField form), then ours on it."""
    return forms.Media(
        js=[
            versioned_static("wagtailsnippets/js/snippet-chooser.js"),
            versioned_static("wagtailsnippets/js/snippet-chooser-telepath.js"),
            versioned_static("newsroom/desk/claim-chooser.js"),
        ]
    )


def claim_status_data(claim: Claim) -> dict[str, str]:
    """A claim's status as the admin's badges show it: its value and its label."""
    return {"status": claim.status, "status_label": claim.get_status_display()}


class ClaimChooser(AdminSnippetChooser):
    """Chooses a claim, showing its statement in full and its status badge."""

    model = Claim
    template_name = "newsroom/admin/chooser/claim_chooser.html"
    classname = "snippet-chooser claim-chooser"
    js_constructor = "ClaimChooser"

    @staticmethod
    def display_title(claim: Claim) -> str:
        return claim.statement

    def get_display_title(self, instance):
        return self.display_title(instance)

    def get_value_data_from_instance(self, instance):
        return {**super().get_value_data_from_instance(instance), **claim_status_data(instance)}

    def get_context(self, name, value_data, attrs):
        context = super().get_context(name, value_data, attrs)
        context["status"] = value_data.get("status", "")
        context["status_label"] = value_data.get("status_label", "")
        return context

    @cached_property
    def media(self):
        return claim_chooser_media()


class ClaimChooserAdapter(SnippetChooserAdapter):
    js_constructor = "newsroom.desk.widgets.ClaimChooser"

    @cached_property
    def media(self):
        return claim_chooser_media()


register(ClaimChooserAdapter(), ClaimChooser)
