"""Annex items linked to the task they restate: by the number they cite, or a phrase of some
length that one task has and no other. A wrong link is worse than none."""

from plans.parsing import parse_text

TASKS = (
    "2022年某市教育督导工作要点\n一、主要任务\n"
    "1.开展县级政府履行教育职责评价。修订完善县级政府履行教育职责评价细则，开展实地督导。\n"
    "2.推进义务教育优质均衡发展。指导创建县做好国家督导评估迎检工作，开展年度监测。\n"
    "3.深化责任督学挂牌督导。组织责任督学业务培训，开展年度监测。\n"
    "4.做好教育质量监测。组织实施国家义务教育质量监测，发布监测报告。\n"
)


def links(annex: str, tasks: str = TASKS) -> list[tuple[str, int | None, str]]:
    doc = parse_text(tasks + "附件：重点工作安排\n" + annex)
    return [(e.text, e.task, e.task_link) for e in doc.schedule]


def test_an_item_citing_a_task_number_is_linked_to_it():
    assert links("3月：部署自评工作（任务1）\n4月：开展培训（第3项）\n5月：组织考核，落实第2项任务\n") == [
        ("部署自评工作（任务1）", 1, "number"),
        ("开展培训（第3项）", 3, "number"),
        ("组织考核，落实第2项任务", 2, "number"),
    ]


def test_a_number_no_task_has_or_two_numbers_link_nothing():
    assert [task for _, task, _ in links("3月：部署工作（任务9）\n4月：落实任务1、任务2\n")] == [None, None]


def test_an_item_restating_a_task_in_fewer_words_is_linked_by_the_phrase():
    assert links("一季度：印发县级政府履行教育职责评价细则\n三季度：组织实施国家义务教育质量监测\n") == [
        ("印发县级政府履行教育职责评价细则", 1, "phrase"),
        ("组织实施国家义务教育质量监测", 4, "phrase"),
    ]


def test_a_phrase_two_tasks_share_or_a_short_one_links_nothing():
    # 开展年度监测 is in tasks 2 and 3; 督导评估 is the genre's own word.
    assert [task for _, task, _ in links("二季度：开展年度监测\n三季度：做好督导评估\n")] == [None, None]


def test_an_item_naming_two_tasks_nearly_as_well_is_not_linked():
    item = "组织责任督学业务培训及国家督导评估迎检工作"
    assert links(f"9月：{item}\n") == [(item, None, "")]


def test_numbers_that_restart_in_each_section_cannot_be_cited():
    tasks = "2022年某市教育督导工作要点\n一、督政\n1.开展履职评价。认真组织。\n二、督学\n1.开展挂牌督导。认真组织。\n"
    assert links("3月：部署工作（任务1）\n", tasks) == [("部署工作（任务1）", None, "")]


def test_a_task_own_calendar_line_is_not_an_annex_link():
    doc = parse_text(TASKS.replace("发布监测报告。\n", "发布监测报告。\n工作月历：5月，组织监测。\n"))
    assert [(e.task, e.task_link) for e in doc.schedule] == [(4, "")]
    assert doc.to_json()["schedule"][0]["task_link"] == ""
