"""A channel's calls to subscribe, like, share or watch next, found inside what is said.

A video's presenter often ends a line of real speech with "don't forget to like and
subscribe". The call is set aside and the speech kept. Calls are matched as phrases a
channel uses to address its viewers (an appeal to like *and* subscribe, to hit the bell, to
follow us, a link in the description, the next video), never as single words: "Russia's
share of exports" and "those who subscribe to this view" are speech.
"""

import re

# How a presenter leads into a call: "and", "so", "don't forget to", "make sure you"...
_LEAD = (
    r"(?:(?:and|so|also|now|then|but|oh|guys|everyone|folks|friends)[,!]?\s+)*"
    r"(?:(?:please\s+)?(?:do(?:n'?t| not) forget to|(?:be|make) sure (?:to|you)|remember to|"
    r"you (?:can|should|might want to)|why not|go ahead and|feel free to|consider)\s+|"
    r"please\s+(?=(?:do\s+)?(?:like|subscribe|hit|smash|click|tap|follow|share|comment|"
    r"leave|check out|watch|turn on|ring|join|support)\b))?"
)
_VERB = r"(?:like|share|comment|subscribe)"
# Calls that are a channel's wherever they stand in a sentence.
_CALLS = [
    rf"{_VERB}(?:\s*,\s*{_VERB})*\s*,?\s+(?:and|&|or)\s+{_VERB}\b",
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
_SENTENCE = re.compile(r"\S[^.!?…]*(?:[.!?…]+[\"”’)]*|$)")
_JOINT = re.compile(r"(?:[\s,;:–—-]|\b(?:and|so|but|now|then)\b)+$", re.I)


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
        before = _JOINT.sub("", sentence[:start]).strip()
        if before:
            kept.append(before)
        calls.append(sentence[start:].strip())
    if not calls:
        return text, ""
    return " ".join(kept), " ".join(calls)


def _call_start(sentence):
    starts = [
        found.start() + len(found.group()) - len(found.group().lstrip())
        for found in (_CALL.search(sentence), _OPENING_CALL.search(sentence))
        if found
    ]
    return min(starts, default=None)
