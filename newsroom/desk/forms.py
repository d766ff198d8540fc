"""Admin forms for the evidence desk. The admin's source viewset takes SourceForm as its
edit form; the model does not name it, as the form saves through the write path, which
reads the models."""

from wagtail.admin.forms import WagtailAdminModelForm

from newsroom.desk.actions.sources import save_source


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
