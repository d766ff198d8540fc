"""What a source's text says about itself: outlet, publication date, language, kind.

Only what the text states is inferred; anything else comes from the manifest or is left
blank for an editor, because a wrong date or outlet misleads readers more than none.
"""

import re
from dataclasses import dataclass
from datetime import date
from itertools import islice

import py3langid
from dateparser.date import DateDataParser

from newsroom.desk.models import Source

_NAME = r"(?P<name>(?:The |the )?[A-Z][\w&'’.-]*(?: [A-Z][\w&'’.-]*){0,4})"
# Places where a page names its own publisher: its sign-up prompts and copyright line.
OUTLET_PATTERNS = [
    re.compile(rf"\bSubscribe to {_NAME}(?= and\b| for\b| on\b|[.!,]|$)"),
    re.compile(rf"\bDownload the {_NAME} app\b"),
    re.compile(rf"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:\d{{4}}\s*(?:[-–]\s*\d{{4}}\s*)?)?{_NAME}"),
    re.compile(rf"\b(?:First published|Originally published) (?:by|on|in) {_NAME}"),
]
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:\d{{1,2}} {_MONTHS},? \d{{4}}|{_MONTHS} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}|{_MONTHS} \d{{4}})"
)
# Lines that date the page itself, as opposed to the events it reports.
DATE_PATTERNS = [
    re.compile(
        rf"^(?:published|posted|updated|last updated|first published|date)\b[^\n\d]{{0,12}}"
        rf"(?P<date>{_DATE})",
        re.I | re.M,
    ),
    re.compile(rf"^(?P<date>{_DATE})(?:\s+\d{{1,2}}:\d{{2}}.*)?$", re.I | re.M),
    re.compile(
        rf"\b(?:available|reported|current|correct) (?:up to|as of) (?P<date>{_DATE})", re.I
    ),
]
# A page states its date near its top; each candidate that dateparser turns down costs
# about 10 ms, so a text of thousands of "Published 31 Feb 2025" lines is read for only the
# first few of each kind.
DATE_CANDIDATES = 5
_PARSER = DateDataParser(
    languages=["en"],
    settings={"REQUIRE_PARTS": ["year"], "PREFER_DAY_OF_MONTH": "first"},
)
_PRECISION = {
    "day": Source.DatePrecision.DAY,
    "month": Source.DatePrecision.MONTH,
    "year": Source.DatePrecision.YEAR,
}


@dataclass(frozen=True)
class PublicationDate:
    value: date
    precision: str


def infer_outlet(text: str) -> str:
    """The publisher's name where the page names itself, else ""."""
    for pattern in OUTLET_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group("name").strip(" .’'")
    return ""


def infer_date(text: str) -> PublicationDate | None:
    """The page's own publication date where it states one, with its precision."""
    for pattern in DATE_PATTERNS:
        for match in islice(pattern.finditer(text), DATE_CANDIDATES):
            parsed = parse_date(match.group("date"))
            if parsed:
                return parsed
    return None


def parse_date(value: object) -> PublicationDate | None:
    """A PublicationDate from free text ("21 December 2025", "Dec. 2025", "2025-12-21")."""
    value = str(value).strip()
    iso = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if iso:
        year, month, day = iso.groups()
        precision = "day" if day else "month" if month else "year"
        try:
            return PublicationDate(
                date(int(year), int(month or 1), int(day or 1)), _PRECISION[precision]
            )
        except ValueError:
            return None
    data = _PARSER.get_date_data(value)
    if not data or not data.date_obj:
        return None
    return PublicationDate(data.date_obj.date(), _PRECISION.get(data.period, "day"))


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "" when there is too little to tell."""
    sample = text[:800]
    if len(re.findall(r"[^\W\d_]+", sample)) < 5:
        return ""
    return py3langid.classify(sample)[0]


def infer_kind(transcript: bool) -> str:
    return Source.Kind.TRANSCRIPT if transcript else Source.Kind.ARTICLE
