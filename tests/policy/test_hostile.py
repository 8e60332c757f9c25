"""Hostile policies cannot hang or crash a run."""

from __future__ import annotations

import time

from tests.policy.helpers import check

LONG = "a" * 30000 + "!"


def test_catastrophic_regex_is_stopped_and_reported_once() -> None:
    files = {"devices/r1.yaml": f"name: r1\nplatform: ios\nvars: {{blob: '{LONG}'}}\n",
             "devices/r2.yaml": f"name: r2\nplatform: ios\nvars: {{blob: '{LONG}'}}\n",
             "links/l.yaml": "links: []\n"}
    started = time.monotonic()
    run = check("RULE evil WHEN true THEN ASSERT node.vars.blob MATCHES /(a+)+$/\n"
                "RULE fine WHEN true THEN ASSERT node.platform == \"ios\"\n", files)
    elapsed = time.monotonic() - started
    assert [d.code for d in run.diagnostics] == ["P301"]
    assert "took longer than 1s" in run.diagnostics[0].message
    # Skipped after the first timeout; the other rule still ran everywhere.
    assert run.result.evaluated == {"r1": ["evil", "fine"], "r2": ["fine"]}
    assert elapsed < 5  # one timeout, not one per device


def test_match_expressions_with_nested_quantifiers_are_refused() -> None:
    run = check('RULE evil WHEN running HAS "(a+)+" THEN ASSERT true')
    assert [d.code for d in run.policies.diagnostics] == ["P204"]
