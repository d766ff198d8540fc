from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Outlet(index.Indexed, models.Model):
    """A publisher whose text we quote: readers judge a claim partly by who said it,
    and corroboration counts distinct outlets, not distinct articles."""

    name = models.CharField(max_length=200, unique=True)
    homepage = models.URLField(blank=True)
    domain = models.CharField(max_length=200, blank=True, help_text="e.g. kyivindependent.com")
    country = models.CharField(max_length=100, blank=True)
    aliases = models.TextField(
        blank=True,
        help_text="Other names the outlet goes by in text, one per line. The importer uses them.",
    )
    notes = models.TextField(blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("homepage"),
        FieldPanel("domain"),
        FieldPanel("country"),
        FieldPanel("aliases"),
        FieldPanel("notes"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("aliases"),
        index.FilterField("country"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def names(self):
        """Every name the outlet may appear under in text, its own name first."""
        return [self.name, *(line.strip() for line in self.aliases.splitlines() if line.strip())]
