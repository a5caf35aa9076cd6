"""GRPO-shaped batches: identical (answer, reference) pairs are decided once, and again never."""

from __future__ import annotations

import re

import httpx

from tests.support.api import math_item, verify


def decisions(client: httpx.Client) -> dict[str, float]:
    text = client.get("/metrics").text
    found = re.findall(r'verifier_math_decisions_total\{source="(\w+)"\} ([0-9.e+]+)', text)
    return {source: float(count) for source, count in found}


def delta(before: dict[str, float], after: dict[str, float], source: str) -> float:
    return after.get(source, 0.0) - before.get(source, 0.0)


def test_identical_samples_are_judged_once_then_served_from_cache(client: httpx.Client) -> None:
    samples = [
        math_item(rf"Reasoning {n}. So \boxed{{(q+17)^2}}", "q^2 + 34q + 289", id=n)
        for n in range(16)
    ]
    before = decisions(client)
    first = verify(client, *samples)
    middle = decisions(client)
    second = verify(client, *samples)
    after = decisions(client)
    assert {r["verdict"] for r in first + second} == {"correct"}
    assert delta(before, middle, "worker") == 1  # 16 samples, one distinct pair
    assert delta(middle, after, "worker") == 0
    assert delta(middle, after, "cache") == 16


def test_cache_is_keyed_by_every_reference_and_the_tolerance(client: httpx.Client) -> None:
    results = verify(
        client,
        math_item(r"\boxed{3.1}", "3"),
        math_item(r"\boxed{3.1}", "3", options={"numeric_tolerance": 0.05}),
        math_item(r"\boxed{3.1}", ["3", "3.1"]),
        math_item(r"\boxed{3.1}", "3"),
    )
    assert [r["verdict"] for r in results] == ["wrong", "correct", "correct", "wrong"]
