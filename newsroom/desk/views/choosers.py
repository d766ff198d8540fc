"""The evidence desk's snippet choosers: Wagtail's, answering an id that cannot exist with a
404 (one chosen) or a 400 (several) instead of failing on it."""

from wagtail.snippets.views.chooser import (
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

from newsroom.desk.ids import parse_id, require_ids


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
