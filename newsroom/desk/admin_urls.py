"""Admin URLs of the desk's snippets, named by their viewsets rather than by hand: a
viewset's URL names follow its registration, which `get_url_name` knows."""

from django.contrib.admin.utils import quote
from django.db.models import Model
from django.urls import reverse


def snippet_url(instance: Model, action: str, *args) -> str:
    """The URL of `action` ("edit", "inspect", "verify"...) for a registered snippet."""
    viewset = type(instance).snippet_viewset
    return reverse(viewset.get_url_name(action), args=[quote(instance.pk), *args])


def snippet_list_url(model: type[Model]) -> str:
    return reverse(model.snippet_viewset.get_url_name("list"))
