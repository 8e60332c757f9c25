from __future__ import annotations

from unet.templates import compile_normalizers, normalize


def rules(*entries):
    return compile_normalizers({"normalizers": [dict(e) for e in entries]})


def test_caret_anchors_each_line_not_only_the_first():
    found = rules({"pattern": r"^ntp clock-period \d+$"}, {"pattern": r"^(snmp-server location) .*",
                                                           "replace": r"\1 <site>"})
    text = "hostname r1\nntp clock-period 17179\nsnmp-server location rack 4\n"
    assert normalize(text, found, "ios")[0] == "hostname r1\nsnmp-server location <site>\n"


def test_rewritten_lines_are_remembered_and_dropped_ones_are_not():
    changed: set[str] = set()
    found = rules({"pattern": r"(key 7) \S+", "replace": r"\1 <hash>"},
                  {"pattern": r"^! Last configuration change.*"})
    normalize("! Last configuration change at 10:00\n tacacs-server key 7 0822455D0A16\n", found,
              "ios", changed=changed)
    assert changed == {"tacacs-server key 7 <hash>"}
