from .audits import AuditRun
from .claims import Claim, ClaimReviewTask, ClaimTag, Evidence, Verification, approver_of_change
from .outlets import Outlet
from .sources import Source, SourceTag

__all__ = [
    "AuditRun",
    "Claim",
    "ClaimReviewTask",
    "ClaimTag",
    "Evidence",
    "Outlet",
    "Source",
    "SourceTag",
    "Verification",
    "approver_of_change",
]
