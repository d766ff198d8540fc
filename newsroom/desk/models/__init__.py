from .audits import AuditRun
from .captures import SourceCapture
from .claims import Claim, ClaimReviewTask, ClaimTag, Evidence, Verification, approver_of_change
from .imports import ImportItem, ImportRun
from .outlets import Outlet
from .sources import Source, SourceTag

__all__ = [
    "AuditRun",
    "Claim",
    "ClaimReviewTask",
    "ClaimTag",
    "Evidence",
    "ImportItem",
    "ImportRun",
    "Outlet",
    "Source",
    "SourceCapture",
    "SourceTag",
    "Verification",
    "approver_of_change",
]
