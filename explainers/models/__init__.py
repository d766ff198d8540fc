from .corrections import Correction
from .pages import ExplainerIndexPage, ExplainerPage, ExplainerPageTag, HomePage
from .pull_quotes import PullQuote
from .related import *  # noqa: F403

__all__ = [
    "Correction",
    "ExplainerIndexPage",
    "ExplainerPage",
    "ExplainerPageTag",
    "HomePage",
    "PullQuote",
]
