import re

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_LEADING_ARTICLE = re.compile(r"^(the|le|la|les|der|die|das|el|il)\s+")


def name_key(name):
    """How an outlet's name compares with another spelling of it: case, spacing, a leading
    article, a web address's scheme, "www." and path folded away ("The Kyiv Independent",
    "kyiv independent" and "https://www.kyivindependent.com/" each compare with their kind).
    """
    key = " ".join((name or "").casefold().split())
    key = _SCHEME.sub("", key)
    key = key.removeprefix("www.").split("/", 1)[0] if "." in key and " " not in key else key
    return _LEADING_ARTICLE.sub("", key)


class OutletQuerySet(models.QuerySet):
    def matching(self, name, exclude=None):
        """The outlet going by `name`: its name, one of its aliases or its domain, however
        spelt; None if there is none."""
        wanted = name_key(name)
        if not wanted:
            return None
        outlets = self.exclude(pk=exclude.pk) if exclude and exclude.pk else self
        exact = outlets.filter(name__iexact=name.strip()).first()
        if exact:
            return exact
        for outlet in outlets.order_by("pk"):
            if wanted in outlet.name_keys:
                return outlet
        return None


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

    objects = OutletQuerySet.as_manager()

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

    @property
    def name_keys(self):
        """Its names and domain, folded as name_key() folds them."""
        keys = {name_key(name) for name in [*self.names, self.domain, self.homepage]}
        return keys - {""}

    def add_aliases(self, *names):
        """Remember other names (and domains) this outlet goes by; a name it already
        answers to is not added twice."""
        known = self.name_keys
        for name in names:
            name = (name or "").strip()
            if name and name_key(name) not in known:
                self.aliases = f"{self.aliases.rstrip()}\n{name}".strip()
                known.add(name_key(name))

    def clean(self):
        super().clean()
        for name in self.names:
            other = Outlet.objects.matching(name, exclude=self)
            if other:
                raise ValidationError(
                    f"“{name}” is already a name of the outlet “{other}”: one publisher is "
                    "one outlet, or its quotes would count twice. Edit that outlet instead, "
                    "or merge the two."
                )
