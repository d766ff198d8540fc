"""The related-stories widget, rendered from stored rows in one query."""

from django import template

from explainers.page_cache.keys import add_keys, page_key, related_key
from explainers.related.storage import widget_stories

register = template.Library()


@register.inclusion_tag("explainers/includes/related_stories.html", takes_context=True)
def related_stories(context, page):
    """The widget; the response showing it is purged when it is regenerated or when a page
    it shows changes."""
    stories = widget_stories(page)
    shown = [page_key(story.related_page_id) for story in stories]
    add_keys(context.get("request"), [related_key(page.pk), *shown])
    return {"stories": stories}
