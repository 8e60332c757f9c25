"""git access through GitPython; the only module of unet that imports git."""

from __future__ import annotations

from pathlib import Path

__all__ = ["init_repository", "is_git_repository"]


def is_git_repository(path: Path) -> bool:
    """Whether `path` is inside a git work tree."""
    import git

    try:
        git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False
    return True


def init_repository(path: Path) -> None:
    """`git init` at `path`; raises OSError when git is not installed."""
    import git

    try:
        git.Repo.init(path)
    except git.GitCommandNotFound as exc:
        raise OSError("git is not installed or not on PATH") from exc
