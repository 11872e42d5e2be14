"""A pure-Python reader for 工作要点 notices: text in, dataclasses out. No Django here."""

from .document import parse_bytes, parse_text
from .messages import ERRORS, WARNINGS, ParseError, ParseWarning
from .places import Gazetteer, Place, RegionRef, Scope
from .result import (
    ParsedDocument,
    ParsedEntry,
    ParsedProject,
    ParsedSection,
    ParsedTask,
    UnconfirmedPlace,
)

__all__ = [
    "ERRORS",
    "WARNINGS",
    "Gazetteer",
    "ParseError",
    "ParseWarning",
    "ParsedDocument",
    "ParsedEntry",
    "ParsedProject",
    "ParsedSection",
    "ParsedTask",
    "Place",
    "RegionRef",
    "Scope",
    "UnconfirmedPlace",
    "parse_bytes",
    "parse_text",
]
