"""Run a sensitive-check program with the local `node`: scratch dir, empty env, limits, no net."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from trustreg.security import isolation
from trustreg.security._pipes import capture
from trustreg.security.verdict import (
    OUTPUT_CAP_BYTES,
    CheckRequest,
    CheckVerdict,
    cap_text,
    describe_exit,
    env_float,
)

MIB = 1024 * 1024
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"


def _limits(address_space_mb: int, file_mb: int) -> Callable[[], None]:
    """A preexec hook applying rlimits in the child before it execs (fork-safe: no locks)."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (address_space_mb * MIB,) * 2)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb * MIB,) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


class LocalNodeRunner:
    """Runs checks as `node` child processes on this host (laptops, CI, containers)."""

    def __init__(
        self,
        *,
        timeout_s: float | None = None,
        heap_mb: int | None = None,
        address_space_mb: int | None = None,
        file_mb: int = 64,
        network: str = "auto",
        node: str | None = None,
    ) -> None:
        self.timeout_s = timeout_s or env_float("SENSITIVE_CHECK_TIMEOUT_S", 5.0)
        self.heap_mb = heap_mb or int(env_float("SENSITIVE_CHECK_HEAP_MB", 128))
        self.address_space_mb = address_space_mb or int(env_float("SENSITIVE_CHECK_AS_MB", 2048))
        self.file_mb = file_mb
        self.network, self._prefix = isolation.choose(network)
        self.node = node or os.environ.get("SENSITIVE_CHECK_NODE") or shutil.which("node")

    def run(self, request: CheckRequest) -> CheckVerdict:
        """Run once in a fresh scratch directory that is removed afterwards (fails closed)."""
        started = time.monotonic()
        if not self.node:
            return self._refuse("node is not installed; the check cannot run", started)
        scratch = Path(tempfile.mkdtemp(prefix="sensitive-check-")).resolve()
        try:
            argv = self._prepare(scratch, request)
            return self._execute(argv, scratch, started)
        except OSError as exc:
            return self._refuse(f"the check could not start: {exc.strerror or exc}", started)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _prepare(self, scratch: Path, request: CheckRequest) -> list[str]:
        program = scratch / "check.js"
        program.write_text(request.program_source, encoding="utf-8")
        guard = scratch / "guard.cjs"
        guard.write_bytes(resources.files("trustreg.security").joinpath("guard.cjs").read_bytes())
        # A copy, not a hard link: the program may write in its scratch directory, and through
        # a hard link it could change the stored blob every later downloader receives.
        zip_copy = scratch / "model.zip"
        shutil.copyfile(request.zip_path, zip_copy)
        return [
            *self._prefix,
            str(self.node),
            "--experimental-permission",
            f"--allow-fs-read={scratch}",
            f"--allow-fs-write={scratch}",
            f"--max-old-space-size={self.heap_mb}",
            "--no-warnings",
            "--require",
            str(guard),
            str(program),
            request.model_name,
            request.uploader,
            request.downloader,
            str(zip_copy),
        ]

    def _execute(self, argv: list[str], scratch: Path, started: float) -> CheckVerdict:
        env = {"PATH": SAFE_PATH, "HOME": str(scratch)}  # nothing of ours leaks in
        with subprocess.Popen(  # noqa: S603 - argv built above; the program is the payload
            argv,
            cwd=scratch,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, so a timeout kills everything
            preexec_fn=_limits(self.address_space_mb, self.file_mb),  # noqa: PLW1509
        ) as proc:
            got = capture(proc, self.timeout_s, OUTPUT_CAP_BYTES)
        code = got.exit_code
        return CheckVerdict(
            allowed=code == 0 and not got.timed_out,
            exit_code=code,
            stdout=cap_text(got.stdout, truncated=got.stdout_cut),
            stderr=cap_text(got.stderr, truncated=got.stderr_cut),
            timed_out=got.timed_out,
            duration_ms=(time.monotonic() - started) * 1000,
            reason=describe_exit(code, got.timed_out, self.timeout_s),
            isolation=f"{self.network}+permission",
        )

    def _refuse(self, reason: str, started: float) -> CheckVerdict:
        return CheckVerdict(
            allowed=False,
            exit_code=None,
            stdout="",
            stderr="",
            timed_out=False,
            duration_ms=(time.monotonic() - started) * 1000,
            reason=reason,
            isolation=f"{self.network}+permission",
        )
