"""Spreadsheets that are safe to open: no cell of a CSV download runs as a formula.

A source's title, an outlet's name or a claim's statement comes from pages and pastes an
attacker may control. Opened in a spreadsheet, a CSV cell starting `=HYPERLINK(…)` or
`-2+3+cmd|…` would run as a formula (leaking other cells, or starting a program). OWASP's
rule is applied to every CSV cell: one starting with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a leading `'`, which spreadsheets read as "this is text" and show as the text.

Every admin download goes through Wagtail's SpreadsheetExportMixin (the desk's listings,
Wagtail's reports such as site history, form submissions), and Wagtail escapes nothing in
CSV, so the rule is installed there, once, from the desk's AppConfig.ready(). XLSX needs
none of it: Wagtail already stores a cell that looks like a formula as a string.
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """`value` as a CSV cell no spreadsheet runs: text starting like a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def install_csv_neutralising(mixin=SpreadsheetExportMixin):
    """Make every CSV cell `mixin`'s views write pass through `neutralise_cell`. Idempotent."""
    original = mixin.preprocess_field_value
    if getattr(original, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = original(self, field, value, export_format)
        return neutralise_cell(value) if export_format == self.FORMAT_CSV else value

    preprocess_field_value.neutralises_formulas = True
    mixin.preprocess_field_value = preprocess_field_value
