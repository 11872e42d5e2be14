"""A bulletin as the notice prints it and as its Word template (docxtpl) reads it: the same
fields as the inspection documents' (inspections.documents.TEMPLATE_FIELDS)."""

from bulletins.drafting import cn_day
from bulletins.models import Bulletin
from inspections.documents import docx_render, template_for
from supervision.localtime import site_localtime, site_today

TEMPLATE_KIND = "bulletin"
# Until issued, the 文号 line says so.
UNNUMBERED = "（未编号）"


def bulletin_content(bulletin: Bulletin) -> dict:
    # The day of issue as the office reads its clock: 01:30 in Beijing is still the day before in UTC.
    day = site_localtime(bulletin.issued_at).date() if bulletin.issued_at else site_today()
    return {
        "kind": bulletin.kind,
        "office": bulletin.office.name,
        "doc_number": bulletin.doc_number or UNNUMBERED,
        "year": bulletin.year,
        "number": bulletin.number or "",
        "title": bulletin.title,
        "recipient": "各县（市、区）教育督导室" if bulletin.kind == Bulletin.Kind.BULLETIN else "",
        "date": cn_day(day),
        "sections": [
            {
                "heading": section.get("heading", ""),
                "paragraphs": [paragraph["text"] for paragraph in section["paragraphs"]],
                "table": None,
            }
            for section in bulletin.body.get("sections", [])
            if section["paragraphs"]
        ],
    }


def bulletin_docx(*, bulletin: Bulletin) -> bytes:
    """The bulletin as a Word file, from the template its office uses (its own, the site's or the
    default in bulletins/docx/); TemplateBroken when that cannot be filled in."""
    name, data = template_for(office_id=bulletin.office_id, kind=TEMPLATE_KIND)
    return docx_render(data=data, name=name, context=bulletin_content(bulletin))


def bulletin_docx_name(bulletin: Bulletin) -> str:
    """The Word file's name: its 文号 and title."""
    return f"{bulletin.doc_number} {bulletin.title}".strip()[:120].replace("/", "-") + ".docx"
