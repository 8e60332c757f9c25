"""Prometheus text exposition: compliance of the served state and the server's own traffic."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from unet.serve._state import Served, State

__all__ = ["BUCKETS", "Metrics"]

# Seconds; a page of JSON is milliseconds, a first render or a big diff can take seconds.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _labels(**labels: str) -> str:
    def escape(value: str) -> str:
        return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

    inner = ",".join(f'{k}="{escape(v)}"' for k, v in labels.items())
    return "{" + inner + "}" if inner else ""


def _family(name: str, kind: str, help_text: str, samples: Iterable[str]) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", *samples]


class Metrics:
    """Request counters and latency histograms, safe to update from many threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, str], int] = {}
        self._latency: dict[str, list[float]] = {}  # endpoint -> bucket counts + [sum, count]

    def observe(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            key = (endpoint, method, str(status))
            self._requests[key] = self._requests.get(key, 0) + 1
            row = self._latency.setdefault(endpoint, [0.0] * (len(BUCKETS) + 2))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    row[i] += 1
            row[-2] += seconds
            row[-1] += 1

    def render(self, state: State, served: Served) -> str:
        lines = [*_state_lines(state, served), *self._traffic_lines()]
        return "\n".join(lines) + "\n"

    def _traffic_lines(self) -> list[str]:
        with self._lock:
            requests = sorted(self._requests.items())
            latency = sorted((k, list(v)) for k, v in self._latency.items())
        lines = _family("unet_http_requests_total", "counter", "HTTP requests answered.",
                        (f"unet_http_requests_total{_labels(endpoint=e, method=m, code=c)} {n}"
                         for (e, m, c), n in requests))
        samples = []
        for endpoint, row in latency:
            samples += [f"unet_http_request_duration_seconds_bucket"
                        f"{_labels(endpoint=endpoint, le=str(b))} {int(row[i])}"
                        for i, b in enumerate(BUCKETS)]
            samples += [
                f"unet_http_request_duration_seconds_bucket"
                f"{_labels(endpoint=endpoint, le='+Inf')} {int(row[-1])}",
                f"unet_http_request_duration_seconds_sum{_labels(endpoint=endpoint)} {row[-2]:.6f}",
                f"unet_http_request_duration_seconds_count{_labels(endpoint=endpoint)} "
                f"{int(row[-1])}"]
        return lines + _family("unet_http_request_duration_seconds", "histogram",
                               "Time to answer a request.", samples)


def _finding_lines(state: State) -> list[str]:
    # Open findings fail `unet check`; pending deploys do not (a deploy fixes them), so an
    # alert on unet_findings means what the check's exit code means.
    counts: dict[tuple[str, str], int] = {}
    pending: dict[tuple[str, str], int] = {}
    waived = 0
    for finding in state.outcome.findings:
        if finding.waived is not None:
            waived += 1
            continue
        key = (finding.severity.label, finding.rule)
        into = counts if finding.pending is None else pending
        into[key] = into.get(key, 0) + 1
    return [
        *_family("unet_findings", "gauge",
                 "Open findings (not waived, not pending deploy), by severity and rule.",
                 (f"unet_findings{_labels(severity=s, rule=r)} {n}"
                  for (s, r), n in sorted(counts.items()))),
        *_family("unet_findings_pending_deploy", "gauge",
                 "Findings on a running config that deploying the intended one fixes.",
                 (f"unet_findings_pending_deploy{_labels(severity=s, rule=r)} {n}"
                  for (s, r), n in sorted(pending.items()))),
        *_family("unet_findings_waived", "gauge", "Findings accepted by a waiver.",
                 [f"unet_findings_waived {waived}"]),
    ]


def _compliance_lines(state: State) -> list[str]:
    features = state.compliance()
    return [
        *_family("unet_devices_compliant", "gauge",
                 "Devices whose running config matches the intended config, per feature.",
                 (f"unet_devices_compliant{_labels(feature=f)} {ok}"
                  for f, (ok, _) in features.items())),
        *_family("unet_devices_compared", "gauge",
                 "Devices compared with their intended config, per feature.",
                 (f"unet_devices_compared{_labels(feature=f)} {total}"
                  for f, (_, total) in features.items())),
    ]


def _state_lines(state: State, served: Served) -> list[str]:
    info = _labels(commit=state.commit or "", dirty="1" if state.dirty else "0")
    return [
        *_family("unet_devices", "gauge", "Devices in the served state.",
                 [f"unet_devices {len(state.inventory.devices)}"]),
        *_finding_lines(state),
        *_compliance_lines(state),
        *_family("unet_state_info", "gauge", "The commit the served state describes.",
                 [f"unet_state_info{info} 1"]),
        *_family("unet_state_build_seconds", "gauge", "Time to build the served state.",
                 [f"unet_state_build_seconds {state.build_seconds:.3f}"]),
        *_family("unet_state_built_timestamp_seconds", "gauge",
                 "When the served state was built (Unix time).",
                 [f"unet_state_built_timestamp_seconds {state.built_at:.0f}"]),
        *_family("unet_refresh_errors_total", "counter",
                 "Refreshes that failed (the previous state kept being served).",
                 [f"unet_refresh_errors_total {served.refresh_errors}"]),
    ]
