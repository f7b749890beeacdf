"""Given a hostile check program, it cannot see our secrets, files, network or processes."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

REPO_FILE = Path(__file__).resolve().parents[3] / "pyproject.toml"


def test_program_cannot_read_registry_secrets_from_env(
    check, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JWT_SECRET", "supersecret")
    monkeypatch.setenv("DATABASE_URL", "postgresql://admin:hunter2@db/registry")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "awssecretvalue")
    verdict = check("console.log(JSON.stringify(process.env))")
    assert verdict.allowed, verdict.stderr
    for secret in ("supersecret", "hunter2", "awssecretvalue"):
        assert secret not in verdict.stdout


@pytest.mark.parametrize("target", ["/etc/hostname", str(REPO_FILE), "/proc/self/environ"])
def test_program_cannot_read_files_outside_its_scratch(check, target: str) -> None:
    assert Path(target).exists()
    verdict = check(f"console.log(require('fs').readFileSync({target!r}, 'utf8'))")
    assert not verdict.allowed
    assert "ERR_ACCESS_DENIED" in verdict.stderr


def test_program_cannot_write_outside_its_scratch(check, tmp_path: Path) -> None:
    target = tmp_path / "planted.txt"
    verdict = check(f"require('fs').writeFileSync({str(target)!r}, 'owned')")
    assert not verdict.allowed and not target.exists()


def test_program_writing_its_zip_leaves_the_stored_blob_alone(check, model_zip: Path) -> None:
    before = model_zip.read_bytes()
    verdict = check("require('fs').writeFileSync(process.argv[5], 'tampered')")
    assert verdict.allowed, verdict.stderr
    assert model_zip.read_bytes() == before


def test_scratch_directory_is_removed_afterwards(check, tmp_path: Path) -> None:
    verdict = check("console.log(process.cwd())")
    assert verdict.allowed
    assert not Path(verdict.stdout.strip()).exists()


@pytest.mark.parametrize(
    "connect",
    [
        "require('net').connect(PORT, '127.0.0.1')",
        "require('http').get('http://127.0.0.1:' + PORT + '/')",
        "fetch('http://127.0.0.1:' + PORT + '/')",
    ],
    ids=["net", "http", "fetch"],
)
def test_program_cannot_reach_the_network(check, connect: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        source = f"""
        const PORT = {port};
        process.on('uncaughtException', (e) => {{ console.log('blocked', e.code); }});
        process.on('unhandledRejection', (e) => {{ console.log('blocked', e && e.code); }});
        try {{ const s = {connect}; s?.on?.('error', (e) => console.log('err', e.code)); }}
        catch (e) {{ console.log('blocked', e.code); }}
        setTimeout(() => process.exit(0), 700);
        """
        check(source)
        listener.settimeout(0.5)
        with pytest.raises(TimeoutError):
            listener.accept()


def test_program_cannot_spawn_processes(check, tmp_path: Path) -> None:
    marker = tmp_path / "spawned"
    verdict = check(f"require('child_process').execSync('touch {marker}')")
    assert not verdict.allowed and not marker.exists()
    assert "ERR_ACCESS_DENIED" in verdict.stderr


def test_program_cannot_start_workers(check) -> None:
    verdict = check("new (require('worker_threads').Worker)('1', { eval: true })")
    assert not verdict.allowed


def test_program_cannot_signal_other_processes(check) -> None:
    verdict = check("process.kill(process.ppid, 'SIGKILL')")
    assert not verdict.allowed
