from .corrections import Correction
from .pages import ExplainerIndexPage, ExplainerPage, ExplainerPageTag, HomePage
from .pull_quotes import PullQuote
from .related_stories import (
    RelatedFeature,
    RelatedState,
    RelatedStoriesPanel,
    RelatedStory,
    RelatedStoryChoice,
)

__all__ = [
    "Correction",
    "ExplainerIndexPage",
    "ExplainerPage",
    "ExplainerPageTag",
    "HomePage",
    "PullQuote",
    "RelatedFeature",
    "RelatedState",
    "RelatedStoriesPanel",
    "RelatedStory",
    "RelatedStoryChoice",
]
