"""Killing a stage with SIGKILL at random points and running it again, as `python -m pipeline` subprocesses.

A kill point is chosen by progress, not by the clock: the stage is killed once the test double has received a
seeded random number of requests (plus a random few milliseconds), so every kill lands inside the work, at a
different request and a different moment of it, however fast the machine is. Before the first request a kill
lands in start-up; after the last, the run has finished and there is nothing to kill.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tests.reliability.harness import PROJECT_ROOT


@dataclass
class Kill:
    target: int          # requests the double had received when the kill was due
    at_requests: int     # requests it had received when the process died
    seconds: float       # how long the process had run
    finished_first: bool  # the run ended before the kill point (nothing was killed)


@dataclass
class CrashLog:
    kills: list[Kill] = field(default_factory=list)

    @property
    def landed(self) -> list[Kill]:
        return [k for k in self.kills if not k.finished_first]

    def describe(self) -> str:
        points = ", ".join(f"{k.at_requests}" + ("(done)" if k.finished_first else "") for k in self.kills)
        return f"{len(self.landed)} kills at requests [{points}]"


def stage_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SHOPIFY_"))}
    env["PYTHONPATH"] = str(PROJECT_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env | extra


def run_stage(args: Sequence[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def kill_at(args: Sequence[str], env: dict[str, str], requests: Callable[[], int], target: int,
            rng: random.Random, timeout: float = 120) -> Kill:
    """Start the stage, SIGKILL it once `requests()` reaches `target` (and a random 0-30 ms more)."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while requests() < target and process.poll() is None:
            if time.monotonic() - started > timeout:
                raise AssertionError(f"the stage made no progress to request {target} in {timeout} s")
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.03))
        finished = process.poll() is not None
        if not finished:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return Kill(target, requests(), time.monotonic() - started, finished)


def crash_and_resume(args: Sequence[str], env: dict[str, str], requests: Callable[[], int], *, kills: int,
                     total_requests: int, seed: int) -> tuple[CrashLog, subprocess.CompletedProcess[str]]:
    """Kill the stage at `kills` seeded random request counts in (0, total_requests), then run it to the end."""
    rng = random.Random(seed)
    targets = sorted(rng.sample(range(1, max(total_requests, kills + 1)), kills))
    log = CrashLog()
    for target in targets:
        log.kills.append(kill_at(args, env, requests, max(target, requests() + 1), rng))
    return log, run_stage(args, env)
