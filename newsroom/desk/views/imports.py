"""The admin's Import sources page, a run's progress, and a web source's captured copies.

An editor uploads files and pastes URLs; a Celery task imports them (in-process under the
embedded default, on the worker in production) through the command's importer, and the
run's page shows a line per file or URL as it is reached: its script polls a small JSON
status, and without script the page refreshes itself until the run is done."""

from functools import partial

from django import forms
from django.conf import settings
from django.contrib.admin.utils import quote
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from newsroom.desk.importing.fetching import is_web_url
from newsroom.desk.importing.reading import format_size
from newsroom.desk.importing.runs import start_import
from newsroom.desk.models import ImportRun, SourceCapture
from newsroom.desk.tasks import import_sources
from newsroom.desk.views.base import DeskObjectView


def send_after_commit(run: ImportRun):
    """Send the run's task once the request's transaction commits: the worker must find it."""
    transaction.on_commit(partial(import_sources.delay, run.pk))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way): a list of uploads."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(upload, initial) for upload in files]


class ImportSourcesForm(forms.Form):
    files = MultipleFileField(
        required=False,
        label="Files",
        help_text="Files of news text, as import_sources reads them.",
    )
    urls = forms.CharField(
        required=False,
        label="URLs",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One http(s) address per line. Each page is fetched, and its copy kept.",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        most = settings.NEWSROOM_IMPORT_MAX_FILES
        if len(files) > most:
            raise forms.ValidationError(f"At most {most} files at a time: {len(files)} given.")
        return files

    def clean_urls(self):
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines()]
        urls = list(dict.fromkeys(line for line in lines if line))
        wrong = [url for url in urls if not is_web_url(url)]
        if wrong:
            raise forms.ValidationError(f"Not an http(s) address: {wrong[0]}")
        most = settings.NEWSROOM_IMPORT_MAX_URLS
        if len(urls) > most:
            raise forms.ValidationError(f"At most {most} URLs at a time: {len(urls)} given.")
        return urls

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("files") and not cleaned.get("urls"):
            raise forms.ValidationError("Choose files or paste URLs to import.")
        return cleaned


class ImportSourcesView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Upload files and paste URLs; the import runs as a task, then its page shows how it
    went."""

    model = None
    permission_required = "add"
    template_name = "newsroom/admin/import_sources.html"
    form_class = ImportSourcesForm
    header_icon = "upload"
    page_title = "Import sources"
    import_run_url_name = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            max_files=settings.NEWSROOM_IMPORT_MAX_FILES,
            max_size=format_size(settings.NEWSROOM_IMPORT_MAX_BYTES),
            max_urls=settings.NEWSROOM_IMPORT_MAX_URLS,
            **kwargs,
        )

    def form_valid(self, form):
        run = start_import(self.request.user, form.cleaned_data["files"], form.cleaned_data["urls"])
        send_after_commit(run)
        return redirect(self.import_run_url_name, run.pk)


class ImportRunMixin(PermissionCheckedMixin):
    """One import run, for the editor who started it (and superusers); 404 for others."""

    model = None
    permission_required = "add"
    run = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            runs = ImportRun.objects.all()
            if not request.user.is_superuser:
                runs = runs.filter(requested_by=request.user)
            self.run = runs.filter(pk=kwargs["pk"]).first()
        return super().dispatch(request, *args, **kwargs)

    def get_run(self):
        if self.run is None:
            raise Http404("No import of yours has that number.")
        return self.run

    def lines(self, run):
        inspect_url = self.model.snippet_viewset.get_url_name("inspect")

        def url_of(source_id):
            return reverse(inspect_url, args=[quote(source_id)]) if source_id else ""

        return [
            {
                "name": item.name,
                "outcome": item.outcome or "waiting",
                "message": item.message,
                "source_url": url_of(item.source_id),
                "duplicate_of": str(item.duplicate_of) if item.duplicate_of_id else "",
                "duplicate_url": url_of(item.duplicate_of_id),
            }
            for item in run.items.select_related("duplicate_of")
        ]


class ImportRunView(ImportRunMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsroom/admin/import_run.html"
    header_icon = "upload"
    page_title = "Import sources"
    import_run_status_url_name = None
    import_url_name = None

    def get_context_data(self, **kwargs):
        run = self.get_run()
        lines = self.lines(run)
        return super().get_context_data(
            run=run,
            lines=lines,
            reached=sum(1 for line in lines if line["outcome"] != "waiting"),
            done=run.is_finished,
            status_url=reverse(self.import_run_status_url_name, args=[run.pk]),
            import_url=reverse(self.import_url_name),
            **kwargs,
        )


class ImportRunStatusView(ImportRunMixin, View):
    """The run's progress as JSON, for the page's script."""

    http_method_names = ["get"]

    def get(self, request, pk):
        run = self.get_run()
        lines = self.lines(run)
        return JsonResponse(
            {
                "status": run.status,
                "done": run.is_finished,
                "summary": run.summary,
                "failure_reason": run.failure_reason,
                "reached": sum(1 for line in lines if line["outcome"] != "waiting"),
                "lines": lines,
            }
        )


class CapturedCopyView(DeskObjectView, View):
    """A web source's captured copy, exactly as fetched, as a download: never shown as a
    page of this site (the page's scripts would run with the admin's rights)."""

    permission_required = "view"
    http_method_names = ["get"]

    def get(self, request, pk, capture):
        found = SourceCapture.objects.filter(source=self.object, pk=capture).first()
        if found is None:
            raise Http404("This source has no such captured copy.")
        response = HttpResponse(bytes(found.content), content_type="application/octet-stream")
        name = f"source-{self.object.pk}-capture-{found.pk}-{found.fetched_at:%Y%m%d-%H%M%S}.html"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class RecaptureSourceView(DeskObjectView, View):
    """POST: fetch a web source's page again, as an import of its URL: a changed text is a
    new revision, its quotes re-anchored, the claims whose quotes broke sent for re-check."""

    permission_required = "change"
    http_method_names = ["post"]
    import_run_url_name = None

    def post(self, request, pk):
        source = self.object
        if source.captured_at is None or not source.url:
            raise Http404("This source was not captured from the web.")
        run = start_import(request.user, [], [source.url])
        send_after_commit(run)
        messages.success(request, f"Fetching “{source}” again from {source.url}.")
        return redirect(self.import_run_url_name, run.pk)
