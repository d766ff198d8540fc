"""The demo's data file (`demo.toml` beside the seeds; its header documents the format),
read and checked whole before anything is written: a claim without a quote, a source that
was never imported, an unknown stance, a quote that is not word for word in its source."""

import datetime
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from newsroom.desk.anchoring import anchor_quote, refusal_message
from newsroom.desk.importing.parsing import rebuild_body
from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.verification import SETTABLE

DEMO_DATA_NAME = "demo.toml"

# Field kinds, named as the error messages name them.
TEXT, FLAG, DATE = "text", "true or false", "a date (YYYY-MM-DD)"
NAMES, TABLES = "a list of strings", "a list of tables"
REQUIRED = object()

DEMO_FIELDS = {
    "restored_lines": (TABLES, ()),
    "claims": (TABLES, REQUIRED),
    "explainers": (TABLES, REQUIRED),
}
RESTORED_LINE_FIELDS = {"source": (TEXT, REQUIRED), "text": (TEXT, REQUIRED)}
CLAIM_FIELDS = {
    "key": (TEXT, REQUIRED),
    "statement": (TEXT, REQUIRED),
    "tags": (NAMES, ()),
    "status": (TEXT, Claim.Status.UNVERIFIED.value),
    "single_source": (FLAG, False),
    "note": (TEXT, ""),
    "decided_after_publishing": (FLAG, False),
    "reopened_after_publishing": (TEXT, ""),
    "evidence": (TABLES, REQUIRED),
}
EVIDENCE_FIELDS = {
    "source": (TEXT, REQUIRED),
    "quote": (TEXT, REQUIRED),
    "stance": (TEXT, REQUIRED),
}
EXPLAINER_FIELDS = {
    "title": (TEXT, REQUIRED),
    "slug": (TEXT, REQUIRED),
    "standfirst": (TEXT, REQUIRED),
    "tags": (NAMES, ()),
    "body": (TABLES, REQUIRED),
}
# Each body block's fields by type; DemoReader.<type>_value makes its stream data.
BLOCK_FIELDS = {
    "paragraph": {"html": (TEXT, REQUIRED)},
    "heading": {"text": (TEXT, REQUIRED)},
    "claim": {
        "claim": (TEXT, REQUIRED),
        "framing": (TEXT, ""),
        "show_as_unverified": (FLAG, False),
    },
    "key_facts": {"heading": (TEXT, "Key facts"), "claims": (NAMES, REQUIRED)},
    "timeline": {"heading": (TEXT, "Timeline"), "events": (TABLES, REQUIRED)},
    "pull_quote": {
        "source": (TEXT, REQUIRED),
        "quote": (TEXT, REQUIRED),
        "attribution": (TEXT, ""),
    },
}
EVENT_FIELDS = {
    "date": (DATE, REQUIRED),
    "date_label": (TEXT, ""),
    "event": (TEXT, REQUIRED),
    "claims": (NAMES, ()),
}


class DemoDataError(CommandError):
    """The data file cannot be used; each line names the file, the entry and the problem."""

    def __init__(self, path, problems):
        self.problems = [f"{path}, {problem}" for problem in problems]
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class DemoClaim:
    key: str
    statement: str
    tags: list
    evidence: list  # [(Source, quote, stance)]
    status: str
    note: str
    single_source: bool
    decided_after_publishing: bool
    reopened_after_publishing: str  # the verifier's note when reopening it, once published


@dataclass(frozen=True)
class DemoExplainer:
    title: str
    slug: str
    standfirst: str
    tags: list
    body: list  # stream data, each cited claim by its key


@dataclass(frozen=True)
class Demo:
    path: Path
    claims: dict  # {key: DemoClaim}
    explainers: list
    restored_lines: list  # [(Source, the set-aside line's text)], still to restore


class DemoReader:
    """Reads the data file into a Demo, or raises DemoDataError naming every problem. Writes
    nothing: sources are looked up, and each quote anchored in its source's text."""

    def __init__(self, path):
        self.path = Path(path)
        self.problems, self.not_imported = [], []
        self.sources, self.claim_keys = {}, set()
        self.bodies = {}  # {source pk: its body once the file's lines are restored}

    def read(self):
        document = self.load()
        fields = self.fields("the file", document, DEMO_FIELDS)
        if fields is None:
            raise DemoDataError(self.path, self.problems)
        restored = [
            self.restored_line(f"restored line {number}", table)
            for number, table in enumerate(fields["restored_lines"], 1)
        ]
        claims = {}
        for number, table in enumerate(fields["claims"], 1):
            claim = self.claim(number, table)
            if claim and claim.key in claims:
                self.problems.append(f"claim {number} “{claim.key}”: another claim has this key")
            elif claim:
                claims[claim.key] = claim
        self.check_unique("statement", [claim.statement for claim in claims.values()])
        explainers = [
            self.explainer(number, table) for number, table in enumerate(fields["explainers"], 1)
        ]
        self.check_unique("slug", [explainer.slug for explainer in explainers if explainer])
        if self.not_imported:
            listed = ", ".join(self.not_imported)
            self.problems.insert(0, f"sources not imported: {listed}. Run import_sources first.")
        if self.problems:
            raise DemoDataError(self.path, self.problems)
        return Demo(self.path, claims, explainers, [line for line in restored if line])

    def restored_line(self, where, table):
        """A line the importer set aside that the demo's editor puts back, so claims can
        quote it: (source, text) while it is still set aside, None once it is back."""
        fields = self.fields(where, table, RESTORED_LINE_FIELDS)
        source = fields and self.source(where, fields["source"])
        if source is None:
            return None
        text = fields["text"].strip()
        if any(line["text"].strip() == text for line in source.restored_lines):
            return None
        remaining = [line for line in source.set_aside if line["text"].strip() != text]
        if len(remaining) == len(source.set_aside):
            self.problems.append(f"{where}: “{text[:60]}” is not a set-aside line of the source")
            return None
        self.bodies[source.pk] = rebuild_body(source.original_text, remaining)[0]
        source.set_aside = remaining  # for the next line of the same source
        return source, fields["text"]

    def load(self):
        try:
            return tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DemoDataError(self.path, ["no such file"]) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
            raise DemoDataError(self.path, [f"not a readable TOML file ({error})"]) from error

    def fields(self, where, table, spec):
        """The table's values by `spec` ({name: (kind, default)}), defaults filled in; None,
        with the problems noted, if it lacks a required field or has a wrong or unknown one."""
        if not isinstance(table, dict):
            self.problems.append(f"{where}: must be a table")
            return None
        before = len(self.problems)
        unknown = sorted(set(table) - set(spec))
        if unknown:
            self.problems.append(f"{where}: unknown keys {', '.join(unknown)}")
        values = {}
        for name, (kind, default) in spec.items():
            value = table.get(name)
            if value is None or value == "" or value == []:
                if default is REQUIRED:
                    self.problems.append(f"{where}: missing {name}")
                values[name] = default
            elif not is_kind(value, kind):
                self.problems.append(f"{where}: {name} must be {kind}")
            else:
                values[name] = value
        return values if len(self.problems) == before else None

    def claim(self, number, table):
        key = table.get("key") if isinstance(table, dict) else None
        where = f"claim {number} “{key}”" if isinstance(key, str) else f"claim {number}"
        if isinstance(key, str):
            self.claim_keys.add(key)
        fields = self.fields(where, table, CLAIM_FIELDS)
        if fields is None:
            return None
        evidence = [
            self.evidence(f"{where}, evidence {index}", row)
            for index, row in enumerate(fields["evidence"], 1)
        ]
        if fields["status"] not in SETTABLE:
            status = fields["status"]
            self.problems.append(f"{where}: unknown status “{status}” ({choices(SETTABLE)})")
        elif fields["decided_after_publishing"] and fields["status"] == Claim.Status.UNVERIFIED:
            self.problems.append(f"{where}: decided_after_publishing needs a status to decide")
        elif fields["reopened_after_publishing"] and fields["status"] == Claim.Status.UNVERIFIED:
            self.problems.append(f"{where}: reopened_after_publishing needs a status to reopen")
        if None in evidence:
            return None
        fields["evidence"] = evidence
        return DemoClaim(**fields)

    def evidence(self, where, table):
        fields = self.fields(where, table, EVIDENCE_FIELDS)
        if fields is None:
            return None
        if fields["stance"] not in Evidence.Stance.values:
            stance = fields["stance"]
            self.problems.append(
                f"{where}: unknown stance “{stance}” ({choices(Evidence.Stance.values)})"
            )
            return None
        source = self.quoted_source(where, fields["source"], fields["quote"])
        return (source, fields["quote"], fields["stance"]) if source else None

    def source(self, where, name):
        """The imported source `name`; else None, noted."""
        if name not in self.sources:
            self.sources[name] = Source.objects.filter(seed_file=name).first()
            if self.sources[name] is None and (Path(settings.BASE_DIR) / name).is_file():
                self.not_imported.append(name)
        source = self.sources[name]
        if source is None and name not in self.not_imported:
            self.problems.append(f"{where}: unknown source file “{name}”")
        return source

    def quoted_source(self, where, name, quote):
        """The imported source `name`, if it has `quote` word for word (with the file's
        lines restored); else None, noted."""
        source = self.source(where, name)
        if source is None:
            return None
        if anchor_quote(self.bodies.get(source.pk, source.body), quote) is None:
            self.problems.append(f"{where}: {refusal_message(source, quote)} ({name})")
            return None
        return source

    def explainer(self, number, table):
        slug = table.get("slug") if isinstance(table, dict) else None
        where = f"explainer {number} “{slug}”" if isinstance(slug, str) else f"explainer {number}"
        fields = self.fields(where, table, EXPLAINER_FIELDS)
        if fields is None:
            return None
        body = [
            self.block(f"{where}, body block {index}", block)
            for index, block in enumerate(fields["body"], 1)
        ]
        if None in body:
            return None
        return DemoExplainer(**{**fields, "body": body})

    def block(self, where, table):
        """A body block as stream data, citing claims by key; None if it has problems."""
        kind = table.get("type") if isinstance(table, dict) else None
        if kind not in BLOCK_FIELDS:
            self.problems.append(f"{where}: type must be one of {', '.join(BLOCK_FIELDS)}")
            return None
        where = f"{where} ({kind})"
        fields = self.fields(where, table, {"type": (TEXT, REQUIRED), **BLOCK_FIELDS[kind]})
        value = fields and getattr(self, f"{kind}_value")(where, fields)
        return {"type": kind, "value": value} if value else None

    def paragraph_value(self, where, fields):
        return fields["html"]

    def heading_value(self, where, fields):
        return fields["text"]

    def claim_value(self, where, fields):
        if not self.cited(where, [fields["claim"]]):
            return None
        return {name: fields[name] for name in ("claim", "show_as_unverified", "framing")}

    def key_facts_value(self, where, fields):
        if not self.cited(where, fields["claims"]):
            return None
        return {"heading": fields["heading"], "facts": citations(fields["claims"])}

    def timeline_value(self, where, fields):
        events = [
            self.event(f"{where}, event {index}", event)
            for index, event in enumerate(fields["events"], 1)
        ]
        return None if None in events else {"heading": fields["heading"], "events": events}

    def pull_quote_value(self, where, fields):
        source = self.quoted_source(where, fields["source"], fields["quote"])
        if source is None:
            return None
        return {"source": source.pk, "quote": fields["quote"], "attribution": fields["attribution"]}

    def event(self, where, table):
        fields = self.fields(where, table, EVENT_FIELDS)
        if fields is None or not self.cited(where, fields["claims"]):
            return None
        return {
            **fields,
            "date": fields["date"].isoformat(),
            "claims": citations(fields["claims"]),
        }

    def cited(self, where, keys):
        """Whether every key names a claim in the file; notes those that do not."""
        unknown = [key for key in keys if key not in self.claim_keys]
        for key in unknown:
            self.problems.append(f"{where}: no claim has the key “{key}”")
        return not unknown

    def check_unique(self, field, values):
        for value in sorted({value for value in values if values.count(value) > 1}):
            self.problems.append(f"{field} “{value}”: given more than once")


def is_kind(value, kind):
    if kind == TEXT:
        return isinstance(value, str)
    if kind == FLAG:
        return isinstance(value, bool)
    if kind == DATE:
        return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    if kind == NAMES:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def choices(values):
    return "one of " + ", ".join(values)


def citations(keys):
    return [{"claim": key, "show_as_unverified": False} for key in keys]
