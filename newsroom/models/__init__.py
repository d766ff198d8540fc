from .claims import Claim, ClaimTag, Evidence, Verification
from .outlets import Outlet
from .sources import Source, SourceTag

__all__ = [
    "Claim",
    "ClaimTag",
    "Evidence",
    "Outlet",
    "Source",
    "SourceTag",
    "Verification",
]
