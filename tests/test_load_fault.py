"""scripts/load_fault.py's pure parts: the arrivals and rates of the throughput sweep, the
percentiles, the restart windows, and the checks that nothing acknowledged was lost or doubled
and every notice told once. The full run is not a test: it restarts PostgreSQL and Redis."""

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "load_fault.py"
spec = importlib.util.spec_from_file_location("load_fault", SCRIPT)
load_fault = importlib.util.module_from_spec(spec)
spec.loader.exec_module(load_fault)


def test_arrivals_come_at_the_rate_asked_and_the_same_for_a_seed():
    offsets = load_fault.arrivals(100, 30, seed=1)
    assert offsets == sorted(offsets)
    assert 0 <= offsets[0] and offsets[-1] < 30
    assert 2800 <= len(offsets) <= 3200
    assert offsets == load_fault.arrivals(100, 30, seed=1)
    assert offsets != load_fault.arrivals(100, 30, seed=2)


def test_rates_must_be_positive_and_rising():
    assert load_fault.rate_schedule("50,100, 150,") == [50, 100, 150]
    for text in ("", "100,50", "0,50", "50,50"):
        with pytest.raises(ValueError):
            load_fault.rate_schedule(text)


def test_percentiles():
    values = list(range(1, 101))
    assert load_fault.percentile(values, 50) == pytest.approx(50.5)
    assert load_fault.percentile(values, 95) == pytest.approx(95.95)
    assert load_fault.percentile([7.0], 99) == 7.0


def test_the_best_rate_is_the_last_before_the_first_that_missed():
    steps = [
        {"rate": 50, "p95": 40, "failed": 0},
        {"rate": 100, "p95": 90, "failed": 0},
        {"rate": 150, "p95": 80, "failed": 1},
        {"rate": 200, "p95": 60, "failed": 0},
    ]
    assert load_fault.best_rate(steps) == 100
    assert load_fault.best_rate([{"rate": 50, "p95": 140, "failed": 0}]) is None
    assert load_fault.best_rate([{"rate": 50, "p95": float("nan"), "failed": 0}]) is None


def test_errors_fall_in_the_window_of_the_restart_they_followed():
    windows = {"PostgreSQL": (100.0, 103.0), "Redis": (200.0, 201.0)}
    errors = [(99.5, "a: 503"), (112.0, "b: 503"), (114.0, "c: 503"), (205.0, "d: 503"), (50.0, "e: 500")]
    inside, outside = load_fault.errors_by_window(errors, windows)
    assert [e[1] for e in inside["PostgreSQL"]] == ["a: 503", "b: 503"]
    assert [e[1] for e in inside["Redis"]] == ["d: 503"]
    assert [e[1] for e in outside] == ["c: 503", "e: 500"]


def test_acknowledged_reports_are_each_stored_once():
    assert load_fault.stored_once({"a", "b", "c"}, ["a", "b", "b"]) == {
        "acknowledged": 3,
        "missing": 1,
        "duplicated": 1,
    }
    assert load_fault.stored_once({"a"}, ["a"]) == {"acknowledged": 1, "missing": 0, "duplicated": 0}


def test_each_notice_is_told_once():
    messages = [(1, "wecom", "sent", "t1"), (2, "dingtalk", "sent", "t1"), (3, "wecom", "sent", "t2")]
    accepted = Counter({("wecom", "t1"): 1, ("dingtalk", "t1"): 1, ("wecom", "t2"): 1})
    check = load_fault.deliveries_check
    assert check(messages=messages, accepted=accepted, reviews_ok={"t1", "t2"}, expected={"t1": 2, "t2": 1}) == []

    twice = accepted + Counter({("wecom", "t2"): 1})
    assert check(messages=messages, accepted=twice, reviews_ok=set(), expected={}) == [
        "message 3 (wecom) delivered 2 times"
    ]
    lost = check(messages=messages[:2], accepted=accepted, reviews_ok={"t2"}, expected={"t2": 1})
    assert lost == ["review t2: 0 robot messages written, 1 due", "1 payloads by wecom for no message (t2)"]
    demo = [(4, "wecom", "sent", "(no token)"), (5, "wecom", "sent", "(no token)")]
    assert check(messages=demo, accepted=Counter({("wecom", "(no token)"): 2}), reviews_ok=set(), expected={}) == []
    assert check(messages=demo, accepted=Counter({("wecom", "(no token)"): 3}), reviews_ok=set(), expected={}) == [
        "2 wecom messages that name no review, 3 payloads"
    ]
    waiting = [(1, "wecom", "sending", "t1")]
    assert check(messages=waiting, accepted=Counter({("wecom", "t1"): 1}), reviews_ok=set(), expected={}) == [
        "message 1 is sending, not sent"
    ]
