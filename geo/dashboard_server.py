"""Start ``streamlit run dashboard.py`` on 127.0.0.1 for end-to-end tests and benchmarks.

One way to do it (free port, isolated data directory, no usage statistics, wait on
Streamlit's health URL rather than a fixed sleep, always stopped) so that the
browser tests and the benchmarks measure the same app the README tells analysts to run.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from geo.config import PROJECT_DIR


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningDashboard:
    """A started dashboard: its base URL, process and log file."""

    url: str
    process: subprocess.Popen
    log: Path


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the dashboard did not start; its log:\n{log.read_text(errors='replace')[-4000:]}")
        time.sleep(0.2)


@contextmanager
def run_dashboard(data_dir: Path, env: Mapping[str, str] | None = None, *, timeout: float = 90) -> Iterator[
        RunningDashboard]:
    """Run the dashboard with ``GEO_DATA_DIR=data_dir`` (plus ``env``) until the block ends."""
    port = free_port()
    log = Path(data_dir) / "streamlit.log"
    environment = {**os.environ, "GEO_DATA_DIR": str(data_dir), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
                   **(env or {})}
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(PROJECT_DIR / "dashboard.py"),
             "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
             "--server.fileWatcherType=none"],
            cwd=PROJECT_DIR, env=environment, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log, timeout)
        yield RunningDashboard(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
