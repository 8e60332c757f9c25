"""`unet diff A B`: hierarchical diff of two config files, remediation, rollback, prediction."""

from __future__ import annotations

import sys

import click

from unet.cli._app import App

pass_app = click.make_pass_decorator(App)

__all__ = ["diff"]


@click.command()
@click.argument("running", type=str)
@click.argument("intended", type=str)
@click.option("-p", "--platform", help="Config dialect (default: detected).")
@click.option("--remediation", is_flag=True, help="Print the commands that turn A into B.")
@click.option("--rollback", is_flag=True, help="Print the commands that turn B back into A.")
@click.option("--predict", is_flag=True, help="Print the config A would have after remediation.")
@click.option("--format", "fmt", type=click.Choice(["text", "unified", "json"]), default="text",
              show_default=True, help="Format of the diff on stdout.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when the configurations differ.")
@pass_app
def diff(app: App, running: str, intended: str, platform: str | None, remediation: bool,
         rollback: bool, predict: bool, fmt: str, exit_code: bool) -> int:
    """Compare RUNNING (A) with INTENDED (B), section by section."""
    from unet import config as cfg
    from unet.cli.config import load_config, read_config_text
    from unet.report import diff as report

    a_text, b_text = read_config_text(running), read_config_text(intended)
    if platform is None:
        found = cfg.detect_dialect(a_text)
        platform = found.name if found.certain else None
    a = load_config(app, running, platform, text=a_text)
    b = load_config(app, intended, a.dialect, text=b_text)
    result = cfg.diff(a, b)
    wanted = {"remediation": remediation, "rollback": rollback, "predict": predict}
    if any(wanted.values()):
        _commands(result, wanted, fmt)
    else:
        report.render(result, sys.stdout, styled=fmt == "text" and app.styled(), fmt=fmt)
    app.log(f"diff: {report.summary(result)}")
    return 1 if exit_code and result else 0


def _commands(result: object, wanted: dict[str, bool], fmt: str) -> None:
    from unet import config as cfg
    from unet.report import diff as report

    form = "set" if result.rules.syntax == "junos" else None  # type: ignore[attr-defined]
    texts = {
        "remediation": lambda: cfg.emit(cfg.remediate(result), form=form),  # type: ignore[arg-type]
        "rollback": lambda: cfg.emit(cfg.rollback(result), form=form),  # type: ignore[arg-type]
        "predict": lambda: cfg.emit(cfg.predict(result)),  # type: ignore[arg-type]
    }
    chosen = {name: texts[name]() for name, on in wanted.items() if on}
    if fmt == "json":
        import json

        document = report.as_json(result)  # type: ignore[arg-type]
        document.update({name: text.splitlines() for name, text in chosen.items()})
        json.dump(document, sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
        return
    for name, text in chosen.items():
        if len(chosen) > 1:
            sys.stdout.write(f"! --- {name} ---\n")
        sys.stdout.write(text)
