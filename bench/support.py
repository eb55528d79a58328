"""Shared parts of the map benchmark and the load script: a Streamlit process on loopback (from deploy.processes), its CPU and
memory from ``/proc``, and a reader of Streamlit's websocket messages (protobuf ``ForwardMsg``).

Not part of the tests; nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

# The app processes are started by deploy/ (bench may import deploy, never the reverse).
from deploy.processes import ROOT, App, free_port, running, wait_healthy  # noqa: F401

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# What Chromium sends with every request (Playwright does not show it): replaying the files without it would
# measure other answers than a browser gets.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"
# How the benchmark and the browser tests start Debian's Chromium (headless, in a container, nothing phoning home).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads), from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def browser_cpu_seconds() -> float:
    """User + system CPU seconds of every Chromium process this process started (browser, renderers, GPU
    and network services), from /proc: what drawing a page costs the browser, however busy the machine is.
    A process that ended in between drops out, so compare readings taken while the pages stay open."""
    parents: dict[int, int] = {}
    chromium: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        parents[int(entry.name)] = int(fields[1])
        if stat[stat.index("(") + 1:stat.rindex(")")].startswith("chrom"):
            chromium[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def ours(pid: int) -> bool:
        while pid > 1:
            if pid == os.getpid():
                return True
            pid = parents.get(pid, 0)
        return False

    return sum(cpu for pid, cpu in chromium.items() if ours(pid))


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (from /proc/<pid>/statm)."""
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * PAGE_SIZE / 1_000_000


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0..1) of a non-empty list; NaN for an empty one."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


@dataclass
class Stream:
    """What one session received over the websocket, decoded from ``ForwardMsg`` protobufs."""

    bytes_received: int = 0
    component_bytes: int = 0  # arguments of custom components (the map's HTML/JS) in deltas
    runs: int = 0  # new_session messages = script runs started (full or fragment)
    fragment_runs: int = 0
    finished: int = 0
    last_message: float = field(default_factory=time.monotonic)
    texts: list[str] = field(default_factory=list)
    components: list = field(default_factory=list)  # ComponentInstance protos, in arrival order
    widgets: dict = field(default_factory=dict)  # label → widget id (text inputs etc.)

    def feed(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            payload = payload.encode()
        self.bytes_received += len(payload)
        self.last_message = time.monotonic()
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # a frame that is not a ForwardMsg: count its bytes only
            return
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.runs += 1
        elif kind == "script_finished":
            self.finished += 1
            if msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                self.fragment_runs += 1
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "component_instance":
                instance = element.component_instance
                self.component_bytes += len(instance.json_args) + sum(
                    len(arg.bytes) for arg in instance.special_args
                )
                self.components.append(instance)
            elif which in ("markdown", "heading"):
                self.texts.append(getattr(element, which).body)
            elif which == "text_input":
                self.widgets[element.text_input.label] = element.text_input.id
