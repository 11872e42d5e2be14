"""Who a notice is sent to and which places it gives work: recipients wrapped over lines, the
issuer's own county, and development zones the division table lacks."""

from pathlib import Path

from plans.parsing import parse_bytes

GENRE = Path(__file__).resolve().parent / "genre"


def read(name: str, gazetteer):
    return parse_bytes((GENRE / name).read_bytes(), gazetteer)


def test_recipients_wrapped_inside_a_name_are_read_as_whole_names(gazetteer):
    doc = read("nanchong_2024_wrapped_recipients.txt", gazetteer)
    assert doc.recipients == ["各县（市、区）教育局", "市直各有关部门", "市直属各学校"]
    assert doc.notice_text == "现将《南充市2024年教育督导工作要点》印发给你们，请结合实际抓好落实。"
    assert not any(w.code == "unknown_line" for w in doc.warnings)


def test_recipients_wrapped_over_three_lines_are_read_as_whole_names(gazetteer):
    doc = read("guangan_2022_recipients_over_three_lines.txt", gazetteer)
    assert doc.recipients == ["各区（市、县）教育局", "广安经开区社会事业局", "枣山园区社会事务局", "市直属各学校"]
    assert doc.notice_title == "关于印发2022年广安市教育督导工作要点的通知"
    assert not any(w.code == "unknown_line" for w in doc.warnings)
