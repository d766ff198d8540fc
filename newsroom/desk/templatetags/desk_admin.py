"""Admin URLs of the desk's snippets, from their viewsets (no hard-coded URL names)."""

from django import template

from newsroom.desk.admin_urls import snippet_url as snippet_url_of

register = template.Library()


@register.simple_tag
def snippet_url(instance, action, *args):
    """{% snippet_url claim "edit" %}: the URL of one of the instance's snippet views."""
    return snippet_url_of(instance, action, *args)
