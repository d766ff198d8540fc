from .audits import AuditRun
from .claims import Claim, ClaimTag, Evidence, Verification
from .outlets import Outlet
from .sources import Source, SourceTag

__all__ = [
    "AuditRun",
    "Claim",
    "ClaimTag",
    "Evidence",
    "Outlet",
    "Source",
    "SourceTag",
    "Verification",
]
