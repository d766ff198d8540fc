"""Which lines of a captured page are the story, and which are noise around it.

Each rule names a *class* of noise that news pages share (site chrome, hashtag walls,
tracking codes, reader prompts, comment widgets, photo credits, author bios, stray markup,
teasers after the article's end), judged from a line's shape rather than its exact words,
because every site words its chrome differently. Every line kept out of the body is kept,
with its line number and the reason, so an editor can check the importer and restore it.
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from newsroom.desk.importing.promotion import split_channel_calls
from newsroom.desk.importing.transcripts import read_cue, read_speaker
from newsroom.desk.text import content_words

#: The line that starts each page of a paged document's text (a PDF's, as read).
PAGE_BREAK = "\f"

NO_WORDS = "no words: stray symbols or markup"
STRAY_MARKUP = "stray markup"
HASHTAGS = "hashtag wall"
TRACKING = "tracking code"
READING_TIME = "reading time (site chrome)"
SKIP_LINK = "skip link (site chrome)"
SHORT_LABEL = "short label, not a sentence (site chrome, section name or byline)"
CHROME = "site navigation or widget (site chrome)"
CAPTION = "photo caption or credit"
COMMENTS = "comment widget"
READER_PROMPT = "prompt addressing the reader"
AUTHOR_BIO = "author bio"
AFTER_END = "after the end of the article (other stories, widgets)"
HEADLINE = "headline (used as the title)"
ALT_HEADLINE = "another headline before the article (alternative title or repeat)"
UNRELATED_HEADLINE = "headline of an unrelated story spliced into the article"
DESCRIPTION = "video description before the transcript (not part of what is said)"
CHANNEL_PROMOTION = "channel promotion addressing the reader (subscribe, like, share, watch next)"
SOUND = "sound or music, not speech"
RUNNING_HEAD = "running header or footer (repeated on the document's pages)"
PAGE_NUMBER = "page number"

# Reasons that, once the article has begun, mean it has ended: what follows is the
# page around it, not more of the story.
END_MARKERS = {COMMENTS, READER_PROMPT, AUTHOR_BIO, CHROME}

_SENTENCE_END = re.compile(r"[.!?…:;\"”’)\]]$")
_LETTER = re.compile(r"[^\W\d_]")
_MARKUP = re.compile(r"^(?:</?[a-zA-Z][^<>]*/?>|/?>|<!--.*-->|<[^<>]*|[^<>]*/>)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_LIST_ITEM = re.compile(r"^(?:[-*•–]\s+|\d+[.)]\s+)")
_READING_TIME = re.compile(r"^\d+\s*(?:min|mins|minute|minutes)\.?\s+read$", re.I)
_SKIP_LINK = re.compile(r"^skip to\b", re.I)
# Every pattern here is matched against lines of any length (a pasted page can be one line),
# so none may rescan its input: no two overlapping quantifiers side by side (`\s*(…)?\s*`),
# no unbounded `.*` tried from every word. Possessive (`*+`) and atomic (`(?>…)`) forms keep
# each match linear in the line (issue #25).
_CAPTION_LABEL = re.compile(
    r"^(?:photo|photos|image|picture|photograph|illustration|credit|credits|"
    r"photo credit|image credit|source of photo)\s*+(?:\([^)]*+\)\s*+)?:",
    re.I,
)
_CREDIT_TAIL = re.compile(
    r"\((?=[^()]*(?:/|\bvia\b|\bphoto\b|\bimages?\b|\bAFP\b|\bReuters\b|\bAP\b|\bEPA\b|"
    r"\bGetty\b|\bShutterstock\b|\bTASS\b|\bcourtesy\b))[^()]*\)\s*$",
    re.I,
)
_COMMENT_WIDGET = re.compile(
    r"\b(?:trackbacks?|pingbacks?)\b|"
    # From the first "comment" only (atomic), not from each: "comment comment …" is linear.
    r"^(?>.*?\bcomments?\b).*\b(?:closed|disabled|policy)\b|"
    r"^(?:be the first to comment|add (?:a|your) comment|leave a (?:comment|reply)|"
    r"post a comment|view comments|show comments|load comments|\d+\s+comments?)\b",
    re.I,
)
_CALL_TO_ACTION = re.compile(
    r"^(?:subscribe|download|sign up|signup|follow us|join us|join our|like us|"
    r"share (?:this|your)|stay with us|stay tuned|click|tap|watch (?:the|our) (?:full|latest))\b|"
    r"\bnever miss\b|\bour (?:newsletter|app|channel)\b",
    re.I,
)
_ADDRESSES_READER = re.compile(
    r"^(?:dear )?readers?\s*[,:]|^(?:what do you think|tell us|let us know|"
    r"we want to hear|what(?:'s| is) your (?:view|take|opinion|assessment))\b",
    re.I,
)
_AUTHOR_BIO = re.compile(
    r"^[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2} (?:is|was|has been|joined)\b.{0,120}?"
    r"\b(?:reporter|journalist|correspondent|editor|writer|columnist|producer|"
    r"contributor|freelancer|news desk)\b",
)
_CHROME_WORDS = re.compile(
    r"\b(?:read more|show more|load more|see more|more stories|news feed|newsfeed|"
    r"recommended|related (?:stories|articles|news|posts)|most read|trending|"
    r"advertisement|sponsored|newsletter|sign in|log in|cookies?|privacy policy|"
    r"terms of (?:use|service)|all rights reserved|share on|follow on|back to top|"
    r"main menu|play video|watch video|listen to (?:this|the) article|avatar)\b",
    re.I,
)
_SOUND = re.compile(r"^(?:[\[(][^\])]{1,30}[\])]|[♪♫\s]+)$")
PAGE_NUMBER_LINE = re.compile(
    r"^(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?$|^\d+\s*(?:of|/)\s*\d+$", re.I
)
_KICKER = re.compile(
    r"^(?:breaking(?: news)?|exclusive|live|update[d]?|watch|video|opinion|analysis|"
    r"explainer|just in)\s*[:|–—-]\s+",
    re.I,
)


@dataclass(frozen=True)
class Line:
    """One line of the imported text: `content` is what a reader would read of it."""

    number: int
    text: str
    content: str
    timestamp: str = ""
    page: int = 0
    speaker: str = ""
    turn: bool = False

    @property
    def blank(self) -> bool:
        return not self.content


@dataclass
class Cleaning:
    """What the importer made of a text: the lines, the title, and what it set aside."""

    lines: list
    title: str
    transcript: bool
    set_aside: list = field(default_factory=list)

    @property
    def excluded(self) -> set[int]:
        """The lines kept out whole (not those with only a part set aside)."""
        return {entry["line"] for entry in self.set_aside if not entry.get("part")}


def split_lines(text: str, transcript: bool | None = None) -> list[Line]:
    """The text's lines, with a transcript's cues (time, speaker) taken off into `timestamp`
    and `speaker`, and a paged document's lines numbered with their page. A time or a
    speaker's name alone on its line is the time or speaker of the words on the next line;
    the line itself is left out."""
    raw_lines = text.split("\n")
    if transcript is None:
        transcript = looks_like_transcript(raw_lines)
    lines, pending, speaker, page = [], None, "", 0
    for number, raw in enumerate(raw_lines, start=1):
        if raw == PAGE_BREAK:
            page += 1
            continue
        content = raw.strip()
        cue = read_cue(content) if transcript else None
        if cue is None and transcript and read_speaker(content):
            speaker = read_speaker(content)  # a name alone: who speaks the next words
            continue
        if cue is None and pending and content:
            cue, pending = pending.said(content), None
        if cue and not cue.speech:
            pending = cue
            continue
        if cue:
            pending = None
            line = Line(number, raw, cue.speech, cue.label, page, cue.speaker, cue.turn)
        else:
            line = Line(number, raw, content, "", page)
        if speaker and content:
            line, speaker = replace(line, speaker=line.speaker or speaker, turn=True), ""
        lines.append(replace(line, content=re.sub(r"^#{1,6}\s+", "", line.content)))
    return lines


def looks_like_transcript(raw_lines: Sequence[str]) -> bool:
    stamped = sum(1 for raw in raw_lines if read_cue(raw))
    filled = sum(1 for raw in raw_lines if raw.strip())
    # Two timed lines make a short transcript when they are most of it.
    return (stamped >= 3 and stamped >= 0.3 * filled) or (stamped == 2 and stamped >= 0.5 * filled)


def clean(text: str, transcript: bool | None = None) -> Cleaning:
    """Decide, line by line, what belongs to the story; see the module docstring.
    `transcript` says the text is timed (captions), else the text's shape tells."""
    lines = split_lines(text, transcript)
    transcript = any(line.timestamp for line in lines)
    spoken = _spoken_lines(lines)
    reasons, cuts = {}, {}
    for index, line in enumerate(lines):
        if line.blank:
            continue
        if line.number in spoken:
            reason, cut = _spoken_noise(line)
            if cut:
                cuts[line.number] = cut
        else:
            reason = noise_reason(line, lines[index - 1] if index else None)
        if reason:
            reasons[line.number] = reason
    _mark_after_end(lines, reasons, spoken)
    _mark_running_heads(lines, reasons)
    if transcript:
        _mark_description(lines, reasons)
        title = _title_from_prose(lines)
    else:
        title = _mark_headlines(lines, reasons)
        _mark_unrelated_headlines(lines, reasons)
    set_aside = []
    for line in lines:
        if line.number in reasons:
            set_aside.append(
                {"line": line.number, "text": line.text.strip(), "reason": reasons[line.number]}
            )
        elif line.number in cuts:
            # Only this part of the line is set aside; the rest is speech, kept.
            set_aside.append(
                {
                    "line": line.number,
                    "text": cuts[line.number],
                    "reason": CHANNEL_PROMOTION,
                    "part": True,
                }
            )
    lines = without_cut_parts(lines, set_aside)
    return Cleaning(lines=lines, title=title, transcript=transcript, set_aside=set_aside)


def without_cut_parts(lines: Iterable[Line], set_aside: Iterable[dict[str, Any]]) -> list[Line]:
    """The lines with the parts still set aside (a channel's call on a line of speech) cut
    out of them."""
    parts = {entry["line"] for entry in set_aside if entry.get("part")}
    return [
        replace(line, content=split_channel_calls(line.content)[0])
        if line.number in parts
        else line
        for line in lines
    ]


def _spoken_lines(lines):
    """The numbers of a transcript's lines from its first timed line to its last: speech."""
    timed = [line.number for line in lines if line.timestamp]
    return range(timed[0], timed[-1] + 1) if timed else range(0)


def _spoken_noise(line):
    """(why a line of speech is noise or "", the channel's call cut from it or ""). Only
    what is never speech counts: a line with no words, a sound, a channel's promotion; what
    would be site chrome on a page (a short line, a name) is speech here."""
    content = line.content
    if not _LETTER.search(content):
        return NO_WORDS, ""
    if _SOUND.match(content):
        return SOUND, ""
    words = content.split()
    hashtags = sum(1 for word in words if word.startswith("#") and len(word) > 1)
    if hashtags >= 2 and hashtags >= 0.5 * len(words):
        return HASHTAGS, ""
    speech, call = split_channel_calls(content)
    if not call:
        return "", ""
    if not _LETTER.search(speech):
        return CHANNEL_PROMOTION, ""
    return "", call


def noise_reason(line: Line, previous: Line | None = None) -> str:
    """Why a line on its own is noise, or "" when it may be part of the story."""
    content = line.content
    if _TABLE_RULE.match(content) and previous is not None and previous.content.startswith("|"):
        return ""
    if _MARKUP.match(content) and not _is_prose(content):
        return STRAY_MARKUP
    if not _LETTER.search(content):
        return NO_WORDS
    words = content.split()
    hashtags = sum(1 for word in words if word.startswith("#") and len(word) > 1)
    if hashtags >= 2 and hashtags >= 0.5 * len(words):
        return HASHTAGS
    if len(words) == 1 and _is_code(content):
        return TRACKING
    if _READING_TIME.match(content):
        return READING_TIME
    if _SKIP_LINK.match(content):
        return SKIP_LINK
    if _CAPTION_LABEL.match(content) or _CREDIT_TAIL.search(content):
        return CAPTION
    if _COMMENT_WIDGET.search(content):
        return COMMENTS
    if _ADDRESSES_READER.search(content) or _CALL_TO_ACTION.search(content):
        return READER_PROMPT
    if _AUTHOR_BIO.match(content) and len(words) < 120:
        return AUTHOR_BIO
    if _is_label(content) and _CHROME_WORDS.search(content):
        return CHROME
    if len(words) <= 3 and _is_label(content):
        return SHORT_LABEL
    return ""


def _is_code(token):
    letters = len(_LETTER.findall(token))
    return (
        bool(re.search(r"\d", token))
        and bool(re.search(r"[~|=_.#/]", token))
        and (letters <= len(token) / 2)
    )


def _is_label(content):
    """A line that is not a sentence: no sentence punctuation, not a list item or table row."""
    return not (
        _SENTENCE_END.search(content) or _LIST_ITEM.match(content) or content.startswith("|")
    )


def _is_prose(content):
    return len(content.split()) >= 8 and bool(_SENTENCE_END.search(content))


def _is_headline(content):
    words = content.split()
    return (
        3 <= len(words) <= 30
        and len(content) <= 250
        and content[0].isupper()
        and not re.search(r"[.,;:]$", content)
        and not _LIST_ITEM.match(content)
        and not content.startswith("|")
    )


def _kept(lines, reasons):
    return [line for line in lines if not line.blank and line.number not in reasons]


def _mark_after_end(lines, reasons, spoken=range(0)):
    """Once the story has begun, an end-of-article marker (comments, a prompt to the
    reader, the author's bio, "Read more") ends it: what follows is the page around it. A
    transcript's speech goes on to its last timed line, whatever is said in it."""
    prose_seen, ended = 0, False
    for line in lines:
        if line.blank:
            continue
        if line.number in spoken:
            prose_seen += 1
            continue
        reason = reasons.get(line.number)
        if ended:
            reasons.setdefault(line.number, AFTER_END)
        elif reason in END_MARKERS and prose_seen >= 2:
            ended = True
        elif not reason and _is_prose(line.content):
            prose_seen += 1


def _mark_running_heads(lines, reasons):
    """On a paged document, a line found on most of its pages is the running header or
    footer, and a line that is only a page's number is that."""
    pages = {line.page for line in lines if line.page}
    for line in lines:
        if line.page and not line.blank and PAGE_NUMBER_LINE.match(line.content):
            reasons.setdefault(line.number, PAGE_NUMBER)
    if len(pages) < 3:
        return
    on_pages = {}
    for line in lines:
        if line.page and not line.blank:
            on_pages.setdefault(line.content, set()).add(line.page)
    for line in lines:
        if line.page and len(on_pages.get(line.content, ())) >= 0.6 * len(pages):
            reasons.setdefault(line.number, RUNNING_HEAD)


def _mark_description(lines, reasons):
    first_stamp = next((line.number for line in lines if line.timestamp), None)
    for line in lines:
        if line.number >= first_stamp:
            break
        if not line.blank:
            reasons.setdefault(line.number, DESCRIPTION)


def _mark_headlines(lines, reasons):
    """The first headline before the story's second paragraph is the title; any other
    headline before the story (a repeat, an alternative title) is set aside with it."""
    prose_seen, title = 0, ""
    for line in _kept(lines, reasons):
        if _is_prose(line.content):
            prose_seen += 1
            if prose_seen >= 2:
                break
            continue
        if not _is_headline(line.content):
            continue
        if not title:
            title = _KICKER.sub("", line.content).strip()
            reasons[line.number] = HEADLINE
        elif prose_seen == 0 or _same_words(line.content, title):
            reasons[line.number] = ALT_HEADLINE
    return title or _title_from_prose(lines)


def _same_words(first, second):
    return _content_words(first) == _content_words(second)


def _mark_unrelated_headlines(lines, reasons):
    """A headline-shaped line inside the story that shares no subject with it is another
    story's headline (a "read also" link whose label lost its link)."""
    kept = _kept(lines, reasons)
    words_of = {line.number: _content_words(line.content) for line in kept}
    # How many lines hold each word, counted once: a word is in the rest of the story when
    # another line holds it too. (Uniting the other lines' words per headline was quadratic
    # in a text of many headline-shaped lines.)
    lines_with = Counter(word for words in words_of.values() for word in words)
    for line in kept:
        if not _is_headline(line.content) or _SENTENCE_END.search(line.content):
            continue
        words = words_of[line.number]
        if len(words) < 3:
            continue
        shared = sum(1 for word in words if lines_with[word] > 1)
        if shared / len(words) <= 0.15:
            reasons[line.number] = UNRELATED_HEADLINE


def _content_words(text):
    # Cut to a common stem, so "sanction" and "sanctions" count as one word.
    return {word[:6] for word in content_words(text)}


def _title_from_prose(lines):
    """No headline: the first sentence of the first paragraph stands in for one."""
    for line in lines:
        if _is_prose(line.content):
            sentence = re.split(r"(?<=[.!?])\s+", line.content, maxsplit=1)[0]
            return sentence.rstrip(".").strip()[:300]
    return ""
