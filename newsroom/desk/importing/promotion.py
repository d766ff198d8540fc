"""A channel's calls to subscribe, like, share or watch next, found inside what is said.

A video's presenter often ends a line of real speech with "don't forget to like and
subscribe". The call is set aside and the speech kept. Calls are matched as phrases a
channel uses to address its viewers (an appeal to like *and* subscribe, to hit the bell, to
follow us, a link in the description, the next video), never as single words: "Russia's
share of exports" and "those who subscribe to this view" are speech.
"""

import re

# How a presenter leads into a call: "and", "so", "don't forget to", "make sure you"...
# Every repeat below is bounded or possessive, and no two overlapping quantifiers touch:
# a line of "and and and …" or of spaces is searched in time linear in its length, not
# rescanned from every word (issue #25). A longer run of joining words is trimmed off
# the speech before a call anyway (_without_joint).
_LEAD = (
    r"(?:(?:and|so|also|now|then|but|oh|guys|everyone|folks|friends)[,!]?\s++){0,4}+"
    r"(?:(?:please\s+)?(?:do(?:n'?t| not) forget to|(?:be|make) sure (?:to|you)|remember to|"
    r"you (?:can|should|might want to)|why not|go ahead and|feel free to|consider)\s+|"
    r"please\s+(?=(?:do\s+)?(?:like|subscribe|hit|smash|click|tap|follow|share|comment|"
    r"leave|check out|watch|turn on|ring|join|support)\b))?"
)
_VERB = r"(?:like|share|comment|subscribe)"
# Calls that are a channel's wherever they stand in a sentence.
_CALLS = [
    rf"{_VERB}(?:\s*+,\s*+{_VERB}){{0,12}}+(?:\s*+,)?\s++(?:and|&|or)\s++{_VERB}\b",
    # After "don't forget to" any of a channel's verbs is a call, even cut off by the cue.
    r"(?:do(?:n'?t| not) forget to|(?:be|make) sure (?:to|you)|remember to)\s+"
    r"(?:like|share|subscribe|comment|follow|hit|smash|click|tap|ring|turn on|check out|"
    r"watch|join|support|leave)\b",
    r"(?:hit|smash|click|tap|press|ring|turn on|hit on)\s+(?:the|that|this|our)\s+"
    r"(?:like|subscribe|notification|bell|thumbs[- ]up)",
    r"(?:like|share)\s+(?:this|the|our)\s+(?:video|clip|channel|post|episode)\b",
    r"share (?:it|this|them) with (?:your|a) (?:friends?|family)",
    r"(?:leave|drop|post|write)\s+(?:a|your|us a)\s+(?:comment|like|thumbs[- ]up)",
    r"(?:let us know|tell us)\b[^.!?]{0,40}\bin the comments\b",
    r"\bcomment(?:s)? (?:down )?below\b",
    r"follow (?:us|me|the channel|our channel)\b",
    r"(?:check out|see|find|click) (?:the )?links? (?:below|in (?:the )?description)",
    r"links? (?:is |are )?(?:down )?(?:below|in the description)",
    r"(?:watch|check out|see) (?:our|my|this|the) (?:next|other|latest|previous|full) "
    r"(?:video|episode|report)s?\b",
    r"watch (?:this )?(?:video )?next\b",
    r"(?:join|become a member of|support) (?:our|the|this|my) channel",
    r"support (?:us|the channel|our work) on patreon",
    r"download (?:the|our) [\w'’ -]{0,30}\bapp\b",
    r"thanks? (?:you )?(?:so much )?for watching",
    r"never miss an? (?:update|video|story|episode)",
]
# Calls that are a channel's only where a sentence or clause opens with them.
_OPENING_CALLS = [r"subscribe\b", r"sign up\b", r"(?:like|follow) us\b"]
_CALL = re.compile(rf"{_LEAD}(?:{'|'.join(_CALLS)})", re.I)
_OPENING_CALL = re.compile(
    rf"(?:^|(?<=[,;:–—-])\s*|\b(?:and|so|but)\s+){_LEAD}(?:{'|'.join(_OPENING_CALLS)})", re.I
)
# Every call above holds one of these: a sentence with none of them is passed over without
# running the two long patterns over it, which cost ~50 µs a caption line (30,000 cues took
# seconds). A call added above must add its word here (test_import_cleaning checks).
_CALL_WORDS = (
    "like", "share", "comment", "subscribe", "forget", "sure", "remember", "notification",
    "bell", "thumbs", "follow", "link", "video", "episode", "report", "watch", "channel",
    "patreon", "download", "never miss", "sign up",
)  # fmt: skip
_SENTENCE = re.compile(r"\S[^.!?…]*(?:[.!?…]+[\"”’)]*|$)")
_JOINT_MARKS = ",;:–—-"
_JOINT_WORDS = ("and", "so", "but", "now", "then")


def split_channel_calls(text: str) -> tuple[str, str]:
    """(the speech, the channel's calls) of a line: each sentence that holds a call loses
    it from where the call (and its lead-in) begins to the sentence's end."""
    kept, calls = [], []
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip()
        start = _call_start(sentence)
        if start is None:
            kept.append(sentence)
            continue
        before = _without_joint(sentence[:start]).strip()
        if before:
            kept.append(before)
        calls.append(sentence[start:].strip())
    if not calls:
        return text, ""
    return " ".join(kept), " ".join(calls)


def _call_start(sentence):
    lowered = sentence.lower()
    if not any(word in lowered for word in _CALL_WORDS):
        return None
    starts = [
        found.start() + len(found.group()) - len(found.group().lstrip())
        for found in (_CALL.search(sentence), _OPENING_CALL.search(sentence))
        if found
    ]
    return min(starts, default=None)


def _without_joint(text):
    """`text` without what joined it to the call after it: trailing spaces, commas, dashes
    and joining words ("and so, now"). Walked back from the end once, as a regex anchored at
    the end would rescan a long run of them from each of its words."""
    end = len(text)
    while end:
        if text[end - 1].isspace() or text[end - 1] in _JOINT_MARKS:
            end -= 1
            continue
        word = next((word for word in _JOINT_WORDS if _joint_word_ends(text, end, word)), "")
        if not word:
            break
        end -= len(word)
    return text[:end]


def _joint_word_ends(text, end, word):
    """Whether `word` is a whole word of `text` ending at `end` (case aside)."""
    start = end - len(word)
    if start < 0 or text[start:end].lower() != word:
        return False
    return not _is_word_char(text, start - 1) and not _is_word_char(text, end)


def _is_word_char(text, index):
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")
