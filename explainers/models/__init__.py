from .pages import ExplainerIndexPage, ExplainerPage, ExplainerPageTag, HomePage
from .related import *  # noqa: F403

__all__ = ["ExplainerIndexPage", "ExplainerPage", "ExplainerPageTag", "HomePage"]
