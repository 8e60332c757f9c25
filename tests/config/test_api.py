from __future__ import annotations

import subprocess
import sys

import unet.config
from unet.config import diff, emit, parse, predict, remediate


def test_all_is_complete_and_sorted():
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)

    assert list(unet.config.__all__) == sorted(unet.config.__all__, key=kind)
    assert all(hasattr(unet.config, name) for name in unet.config.__all__)


def test_library_imports_only_stdlib_and_core():
    code = (
        "import sys, unet.config; "
        "bad = [m for m in ('click', 'rich', 'jinja2', 'lark', 'pydantic', 'yaml') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_docstring_example():
    assert emit(remediate(diff(parse("hostname a\n"), parse("hostname b\n")))) == "hostname b\n"


def test_predict_is_the_config_after_remediation():
    running = parse("interface Gi1\n shutdown\n description a\n")
    intended = parse("interface Gi1\n no shutdown\n description b\n mtu 9000\n")
    assert not diff(predict(diff(running, intended)), intended)


def test_diff_refuses_mixed_dialects():
    import pytest

    with pytest.raises(ValueError, match="cannot diff"):
        diff(parse("hostname a\n"), parse("set system host-name a\n", "junos"))


def test_trim_keeps_whole_statements_of_a_word_tree() -> None:
    # JunOS is one word per level: cutting at a level must not leave `description;`
    # (its value gone) or `unit;` (its name gone).
    from unet.config import slice, trim

    text = ("interfaces {\n    fxp0 {\n        description \"OOB port 31\";\n"
            "        unit 0 {\n            family inet {\n                address 10.0.0.1/24;\n"
            "            }\n            family inet6;\n        }\n    }\n}\n")
    tree = trim(slice(parse(text, "junos"), "interfaces||fxp0"), 3)
    shown = emit(tree)
    assert 'description "OOB port 31";' in shown and "unit 0" in shown
    assert "address" not in shown  # below where `unit 0` branches
    assert emit(trim(slice(parse(text, "junos"), "interfaces||fxp0"), 2)) == \
        "interfaces {\n    fxp0;\n}\n"
    ios = parse("interface Gi1\n description x\n ip address 10.0.0.1 255.255.255.0\n", "ios")
    assert emit(trim(ios, 1)) == "interface Gi1\n"
