from .pages import HomePage
from .related import *  # noqa: F403

__all__ = ["HomePage"]
