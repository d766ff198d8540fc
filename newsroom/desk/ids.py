"""Ids as requests carry them: in a URL, a query string or a posted form, any of which may
have been tampered with. One rule says what can name a row, so that every view answers an
id that cannot with a 4xx or a form error, never with a server error (the ORM raises
ValueError for "abc"; SQLite overflows past 64 bits)."""

import re

from django.core.exceptions import BadRequest

# The largest value of a 64-bit integer column (BigAutoField, OFFSET): beyond it, SQLite
# overflows and PostgreSQL refuses.
DATABASE_INT_MAX = 2**63 - 1

UNUSABLE_IDS = "The request names something by an id that cannot exist: {ids}."


def parse_id(value):
    """The row id that `value` names, or None when it can name none: anything but a whole
    number in plain digits from 1 to DATABASE_INT_MAX."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= DATABASE_INT_MAX else None


def unusable(values):
    """The values, among `values`, that cannot name a row."""
    return [value for value in values if parse_id(value) is None]


def require_ids(values):
    """The ids `values` name, in order; BadRequest (a 400) if any of them cannot name a row."""
    bad = unusable(values)
    if bad:
        raise BadRequest(UNUSABLE_IDS.format(ids=", ".join(repr(value) for value in bad)))
    return [parse_id(value) for value in values]


class BulkActionIdsChecked:
    """For a Wagtail bulk action: ids in its query string that cannot name a row are refused
    with a 400 before Wagtail looks them up (the ORM would fail on them)."""

    def get_actionable_objects(self):
        ids = self.request.GET.getlist("id")
        if "all" in ids:
            ids = [self.request.GET["childOf"]] if "childOf" in self.request.GET else []
        require_ids(ids)
        return super().get_actionable_objects()


class FormIdsChecked:
    """For an admin form whose posted data names rows by id (inline rows, choosers): each
    posted value under a name in `id_fields` (regular expressions), or in an inline row's
    id, that cannot name a row is emptied before any field, formset or widget reads it (they
    fail on it), and the form is refused with an error. An empty value (a new row, nothing
    chosen) is left to the form."""

    id_fields = ()

    def __init__(self, data=None, *args, **kwargs):
        self.unusable_ids = []
        if data is not None and hasattr(data, "getlist"):
            data = self.without_unusable_ids(data)
        super().__init__(data, *args, **kwargs)

    def id_field_patterns(self):
        formsets = [rf"{re.escape(name)}-\d+-id" for name in getattr(self, "formsets", {})]
        return [re.compile(pattern) for pattern in (*self.id_fields, *formsets)]

    def without_unusable_ids(self, data):
        patterns = self.id_field_patterns()
        data = data.copy()
        for name in list(data):
            if not any(pattern.fullmatch(name) for pattern in patterns):
                continue
            bad = unusable(value for value in data.getlist(name) if value != "")
            if bad:
                self.unusable_ids += bad
                data.setlist(name, [""])
        return data

    def clean(self):
        cleaned_data = super().clean()
        if self.unusable_ids:
            listed = ", ".join(repr(value) for value in self.unusable_ids)
            self.add_error(
                None,
                f"The form names something by an id that cannot exist ({listed}). "
                "Reload the page and try again; nothing was saved.",
            )
        return cleaned_data
