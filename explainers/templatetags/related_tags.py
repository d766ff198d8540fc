"""The related-stories widget, rendered from stored rows in one query."""

from django import template

from explainers.related.storage import widget_stories

register = template.Library()


@register.inclusion_tag("explainers/includes/related_stories.html")
def related_stories(page):
    return {"stories": widget_stories(page)}
