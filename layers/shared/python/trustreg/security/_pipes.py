"""Read a child's stdout/stderr with a byte cap and a deadline, killing its group on timeout."""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass


@dataclass
class Captured:
    """Bytes kept from each stream (at most the cap) and whether more was thrown away."""

    stdout: bytes
    stderr: bytes
    stdout_cut: bool
    stderr_cut: bool
    timed_out: bool
    exit_code: int | None


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the child's whole process group (it was started in a new session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
        os.killpg(proc.pid, signal.SIGKILL)


def capture(proc: subprocess.Popen[bytes], timeout_s: float, cap: int) -> Captured:
    """Drain both pipes until EOF or the deadline; keep `cap` bytes each, discard the rest."""
    # Draining past the cap (instead of stopping) keeps a chatty program from blocking on a
    # full pipe and running into the timeout, which would misreport why it failed.
    assert proc.stdout is not None and proc.stderr is not None
    kept: dict[str, bytearray] = {"out": bytearray(), "err": bytearray()}
    cut = {"out": False, "err": False}
    deadline = time.monotonic() + timeout_s
    timed_out = False
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ, "out")
        sel.register(proc.stderr, selectors.EVENT_READ, "err")
        while sel.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                kill_group(proc)
                break
            for key, _ in sel.select(timeout=min(remaining, 0.5)):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                buf = kept[key.data]
                room = cap + 1 - len(buf)  # one extra byte tells us the cap was exceeded
                if room > 0:
                    buf.extend(chunk[:room])
                if len(chunk) > room:
                    cut[key.data] = True
    try:
        code: int | None = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        timed_out = True
        kill_group(proc)
        code = proc.wait()
    if timed_out:
        code = None
    return Captured(
        stdout=bytes(kept["out"]),
        stderr=bytes(kept["err"]),
        stdout_cut=cut["out"],
        stderr_cut=cut["err"],
        timed_out=timed_out,
        exit_code=code,
    )
