from __future__ import annotations

import pytest
from jinja2 import TemplateNotFound
from jinja2.exceptions import SecurityError

from unet.source import MemorySnapshot
from unet.templates import template_path
from unet.templates._bounds import RenderLimit
from unet.templates._env import (
    _CODE_CACHE,
    make_environment,
    undefined_reference,
)


def test_template_path_stays_under_templates() -> None:
    assert template_path("ios/base.j2") == "templates/ios/base.j2"
    assert template_path("ios/./base.j2") == "templates/ios/base.j2"
    for bad in ("../secrets.j2", "ios/../../x", "/etc/passwd", "a\\b", ""):
        with pytest.raises(TemplateNotFound):
            template_path(bad)


def test_environment_options_and_includes() -> None:
    snapshot = MemorySnapshot({
        "templates/a.j2": "{% for x in [1, 2] %}\n  {% if x %}\nline {{ x }}\n  {% endif %}\n"
                          "{% endfor %}\n{% include 'sub/b.j2' %}",
        "templates/sub/b.j2": "{% from 'm.j2' import hi %}{{ hi() }}\n",
        "templates/m.j2": "{% macro hi() %}hi{% endmacro %}",
    })
    env = make_environment(snapshot)
    # trim_blocks + lstrip_blocks: no blank lines or indentation from tags; trailing newline kept.
    assert env.get_template("a.j2").render() == "line 1\nline 2\nhi\n"


def test_compiled_once_per_content() -> None:
    files = {"templates/c.j2": "compiled {{ 1 }}\n"}
    make_environment(MemorySnapshot(files)).get_template("c.j2")
    key = next(k for k in _CODE_CACHE if k[0] == "templates/c.j2")
    code = _CODE_CACHE[key]
    make_environment(MemorySnapshot(files)).get_template("c.j2")
    assert _CODE_CACHE[key] is code


def test_sandbox_bounds_repetition_and_power() -> None:
    env = make_environment(MemorySnapshot({}))
    # Size bounds are T112 (RenderLimit) whichever operator hits them; T106 is the sandbox.
    with pytest.raises(RenderLimit, match="over the limit") as caught:
        env.from_string("{{ 'x' * 100000000 }}").render()
    assert caught.value.code == "T112"
    with pytest.raises(RenderLimit, match="exponent of 100000"):
        env.from_string("{{ 10 ** 100000 }}").render()
    with pytest.raises(RenderLimit, match="power over"):
        env.from_string("{{ 10 ** 101 }}").render()
    assert env.from_string("{{ 'ab' * 2 }} {{ 2 ** 10 }}").render() == "abab 1024"
    with pytest.raises(OverflowError):  # the sandbox's own range() cap stays
        env.from_string("{{ range(10 ** 6) | list }}").render()


def test_data_is_read_only() -> None:
    env = make_environment(MemorySnapshot({}))
    data = {"vars": {"ntp": [1]}}
    with pytest.raises(SecurityError):
        env.from_string("{{ vars.ntp.append(2) }}").render(data)
    assert data == {"vars": {"ntp": [1]}}


def test_undefined_reference_from_the_source_line() -> None:
    line = "ntp {{ node.vars.ntp_servrs[0] | join }}"
    assert undefined_reference("'dict object' has no attribute 'ntp_servrs'", line) == (
        "node.vars.ntp_servrs", 7)
    assert undefined_reference("'hostnme' is undefined", "x {{ a.hostnme }} {{ hostnme }}") == (
        "hostnme", 21)
    assert undefined_reference("something else", line) is None
