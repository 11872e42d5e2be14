from inspections.models.documents import DocumentKind, DocumentSeries, DocumentTemplate, IssuedDocument
from inspections.models.register import Inspector, InspectorZone, School, ZoneAssignment, key_school_q
from inspections.models.visits import VISIT_TOPICS, Visit, VisitRhythm, VisitTally
from inspections.models.work import (
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Finding,
    FindingFile,
    Inspection,
    InspectionKind,
    InspectionMember,
    Rectification,
    Severity,
)

__all__ = [
    "ChecklistAnswer",
    "ChecklistItem",
    "ChecklistTemplate",
    "ChecklistTemplateItem",
    "DocumentKind",
    "DocumentSeries",
    "DocumentTemplate",
    "Finding",
    "FindingFile",
    "Inspection",
    "InspectionKind",
    "InspectionMember",
    "Inspector",
    "InspectorZone",
    "IssuedDocument",
    "Rectification",
    "School",
    "Severity",
    "VISIT_TOPICS",
    "Visit",
    "VisitRhythm",
    "VisitTally",
    "ZoneAssignment",
    "key_school_q",
]
