"""The `lab` pytest fixture: one lab of routers for the whole test session.

Tests that use it get a running `Lab` (see `tests.lab`) with `LAB_SIZE` routers and its
repository at `lab.repo` (treat it as read-only; `write_repository(lab, tmp_path)`
gives a test its own copy). The lab has a name unique to the session, so test runs
on one machine never collide, and it is stopped at the end of the session whatever
happened. When it cannot start, the tests that need it fail under CI=true and are
skipped with the reason elsewhere.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

from tests.lab._lab import Lab, LabError, down, prerequisites, up

__all__ = ["LAB_SIZE", "lab", "running_lab"]

LAB_SIZE = 3


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the router lab cannot start in CI: {reason}", pytrace=False)
    pytest.skip(f"no router lab on this machine: {reason}")


def running_lab(tmp_path_factory: pytest.TempPathFactory, size: int,
                prefix: str) -> Iterator[Lab]:
    """A lab of `size` routers for a fixture to yield from; stopped when it resumes."""
    missing = prerequisites()
    if missing:
        _unavailable("missing " + "; ".join(missing))
    name = f"{prefix}{os.getpid()}-{secrets.token_hex(2)}"
    repo = tmp_path_factory.mktemp(prefix) / "repo"
    try:
        started = up(size, repo=repo, name=name, owner=os.getpid())
    except LabError as exc:
        _unavailable(str(exc))
        raise AssertionError("unreachable") from exc
    try:
        yield started
    finally:
        down(name)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    yield from running_lab(tmp_path_factory, LAB_SIZE, "t")
