"""What a county is asked, as its obligation reads when sent: the task, the calendar line and,
for recurring work, which time it is (1.开展督导 · 每月：报送进展 · 3月)."""


def task_heading(*, label: str, number: int, title: str) -> str:
    return f"{label or str(number) + '.'}{title}"


def obligation_label(*, task: str | None, period: str | None, text: str | None, occurrence: str | None = None) -> str:
    parts = []
    if task is not None:
        parts.append(task)
    if period is not None:
        parts.append(f"{period}：{text}")
    if occurrence:
        parts.append(occurrence)
    return " · ".join(parts)
