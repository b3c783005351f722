"""make bench-scale: generation at the provider's rate limit, through the Batch API, and the estimate's accuracy.

Writes workspace/bench/scale.json. The store is built fresh (pull, audit, keywords) in workspace/bench/scale/ from
the bundled sample, with every field rewritten in en and fr, so a run has 1,200 products x 2 locales = 2,400 first
requests, rendered by the generate stage exactly as a real run renders them. The local OpenAI-compatible server
(tests/fakes/openai_server.py) runs in its own process with 300 ms latency and the given RPM / TPM limits, enforced
over one-second windows (stricter than a minute-long burst allowance). Measured, side by side in one run:

- throughput_ratio_to_ceiling: answered requests per minute / 3,000 (first send to last answer), live runner,
  3,000 RPM / 2,000,000 TPM. A request counts against TPM as its prompt (characters / 4) plus its max output tokens
  when it is sent, as OpenAI charges; `binding_limit` and `ceiling_rpm` say which limit the prompts actually hit
  and `throughput_ratio_to_binding_limit` is the ratio to that. The same 2,400 requests are also sent with the
  token limit raised so that requests per minute bind (`rpm_bound`).
- tokens_charged_per_request: the mean of that charge over the run. Each request's output cap is sized to the
  fields it asks for and the length limits (pipeline/llm/tokens.py; `output_cap` has its mean, least and most), for
  the default model (gpt-5.4-mini at reasoning_effort "none": no reasoning budget). `fixed_cap_1500` is what the
  same requests would be charged with the fixed 1,500-token cap used before, and the ceiling that gave;
  `requests_per_minute` is the live run's; `live.truncated` counts answers the server cut off at their cap.
- rate_limited_share: 429 answers / requests the server received (target < 0.01).
- speedup_vs_sequential: live throughput / one-request-at-a-time throughput on the same server (the sequential
  rate is measured on the first `--sequential` requests; sending all 2,400 one by one would take 12 minutes).
- batch_completed: the 2,400 first requests answered through the Batch API path end to end (`generate --mode
  batch`: JSONL upload, batch, polls, output file, response cache, validation, drafts).
- estimate_error: |estimated - used| / used tokens (input + output) for the 2,400 requests, the estimate made
  before sending (tiktoken for input, the field/limit model for output), usage as the server reported it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.cli import main  # noqa: E402
from pipeline.config import DEFAULT_MODEL, load_settings  # noqa: E402
from pipeline.llm.batch import BatchJobs  # noqa: E402
from pipeline.llm.concurrent import ConcurrentOpenAI  # noqa: E402
from pipeline.llm.costs import price_for  # noqa: E402
from pipeline.llm.estimate import batch_price, estimate  # noqa: E402
from pipeline.llm.openai_wire import rate_limit_charge  # noqa: E402
from pipeline.llm.provider import Request  # noqa: E402
from pipeline.llm.tokens import TokenCounter  # noqa: E402
from pipeline.llm.waves import ModelIdentity  # noqa: E402
from pipeline.stages.generate.stage import GenerateOptions, planned_requests  # noqa: E402
from pipeline.state.drafts import list_drafts  # noqa: E402
from pipeline.state.store import StateStore  # noqa: E402
from pipeline.workspace import Workspace, write_json_atomic  # noqa: E402

BENCH = ROOT / "workspace" / "bench"
STORE = "scale"
MODEL = DEFAULT_MODEL
OLD_FIXED_CAP = 1500  # [generation] max_output_tokens before caps were sized to each request
TARGETS = {"tokens_charged_per_request": 1800, "requests_per_minute": 1000, "throughput_ratio_to_binding_limit": 0.90}
CONFIG = f"""
[pipeline]
locales = ["en", "fr"]
primary_locale = "en"

[generation]
provider = "openai"
model = "{MODEL}"
batch_poll_s = 0.5

[generation.rewrite]
title = "always"
body_html = "always"
seo_title = "always"
seo_description = "always"
"""  # prices: pipeline/llm/costs.py KNOWN_PRICES


class FakeServer:
    """tests/fakes/openai_server.py in its own process, so it does not share the client's interpreter."""

    def __init__(self, **options: Any):
        args = [sys.executable, str(ROOT / "tests" / "fakes" / "openai_server.py")]
        for key, value in options.items():
            args += [f"--{key.replace('_', '-')}", str(value)]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        if not self.base_url.startswith("http://127.0.0.1"):
            self.stop()
            raise SystemExit(f"bench-scale: the test server did not start ({self.base_url!r})")

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.base_url.replace("/v1", "/_stats"), timeout=10) as answer:
            return json.loads(answer.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def prepare(config_path: Path) -> Workspace:
    shutil.rmtree(BENCH / STORE, ignore_errors=True)
    base = ["--workspace", str(BENCH), "--store", STORE, "--config", str(config_path)]
    for args in ([*base, "pull"], [*base, "audit"], [*base, "keywords"]):
        if main(args) != 0:
            raise SystemExit(f"bench-scale: `{args[-1]}` failed")
    return Workspace(BENCH / STORE)


def live_run(server: FakeServer, requests: list[Request], *, rpm: int, tpm: int, concurrency: int) -> dict[str, Any]:
    runner = ConcurrentOpenAI(MODEL, base_url=server.base_url, api_key="bench", rpm=rpm, tpm=tpm,
                              concurrency=concurrency, timeout_s=30)
    before = server.stats()
    started = time.monotonic()
    outcomes = runner.complete_many(requests)
    elapsed = time.monotonic() - started
    after = server.stats()
    answered = [o.response for o in outcomes if o.response is not None]
    received = after["chat_requests"] - before["chat_requests"]
    limited = after["rate_limited"] - before["rate_limited"] + after["injected"].get("429", 0) \
        - before["injected"].get("429", 0)
    return {"requests": len(requests), "answered": len(answered), "seconds": round(elapsed, 2),
            "requests_per_minute": round(len(answered) / elapsed * 60, 1), "server_received": received,
            "rate_limited": limited, "rate_limited_share": round(limited / max(received, 1), 5),
            "max_in_flight": after["max_in_flight"], "limiter_rpm": runner.limiter.rpm,
            "truncated": after.get("truncated", 0) - before.get("truncated", 0),
            "limiter_tpm": runner.limiter.tpm,
            "tokens_in": sum(r.usage.tokens_in for r in answered), "tokens_out": sum(r.usage.tokens_out
                                                                                  for r in answered)}


def charged_tokens(request: Request) -> int:
    """What the test server charges a request against TPM (as OpenAI: prompt characters / 4 + max tokens)."""
    return rate_limit_charge(request)


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rpm", type=int, default=3000)
    parser.add_argument("--tpm", type=int, default=2_000_000)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--sequential", type=int, default=100, help="requests timed one at a time")
    args = parser.parse_args()
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        os.environ.pop(name, None)

    BENCH.mkdir(parents=True, exist_ok=True)
    config_path = BENCH / "scale-seo.toml"
    config_path.write_text(CONFIG, encoding="utf-8")
    print("bench-scale: building the store (pull, audit, keywords) ...", flush=True)
    workspace = prepare(config_path)
    settings = load_settings(config_path, store=STORE, workspace=BENCH)
    options = GenerateOptions.from_settings(settings, select_all=True)
    with StateStore(workspace.state_db) as state:
        requests = planned_requests(workspace, state, ModelIdentity("openai", MODEL), options)
    counter = TokenCounter(MODEL)
    live_price = price_for(settings, MODEL)
    predicted = estimate(requests, model=MODEL, counter=counter, price=live_price,
                         batch=batch_price(settings, MODEL, live_price), repair_share=0.0,
                         rpm=args.rpm, tpm=args.tpm)
    mean_charge = sum(charged_tokens(r) for r in requests) / len(requests)
    ceiling_rpm = min(args.rpm, args.tpm / mean_charge)
    binding = "requests" if args.rpm <= args.tpm / mean_charge else "tokens"
    caps = [r.max_output_tokens for r in requests]
    fixed_charge = mean_charge - sum(caps) / len(caps) + OLD_FIXED_CAP
    fixed = {"max_output_tokens": OLD_FIXED_CAP, "tokens_charged_per_request": round(fixed_charge, 1),
             "ceiling_rpm": round(min(args.rpm, args.tpm / fixed_charge), 1),
             "binding_limit": "requests" if args.rpm <= args.tpm / fixed_charge else "tokens"}
    print(f"bench-scale: {len(requests):,} requests; {mean_charge:,.0f} tokens charged each against TPM -> "
          f"ceiling {ceiling_rpm:,.0f} RPM ({binding}-bound)", flush=True)

    server_options = {"latency_s": args.latency, "rpm": args.rpm, "burst_s": 1.0, "model": MODEL}
    with FakeServer(**server_options, tpm=args.tpm) as server:
        print("bench-scale: live at the limits ...", flush=True)
        live = live_run(server, requests, rpm=args.rpm, tpm=args.tpm, concurrency=args.concurrency)
        print(f"  {live['requests_per_minute']:,.0f} requests/min, {live['rate_limited']} x 429", flush=True)
    with FakeServer(**server_options, tpm=args.tpm) as server:
        sample = requests[: args.sequential]
        print(f"bench-scale: {len(sample)} requests one at a time ...", flush=True)
        sequential = live_run(server, sample, rpm=args.rpm, tpm=args.tpm, concurrency=1)
    rpm_bound_tpm = int(args.rpm * mean_charge * 3)
    with FakeServer(**server_options, tpm=rpm_bound_tpm) as server:
        print(f"bench-scale: live with TPM raised to {rpm_bound_tpm:,} (requests per minute bind) ...", flush=True)
        rpm_bound = live_run(server, requests, rpm=args.rpm, tpm=rpm_bound_tpm, concurrency=args.concurrency)
        print(f"  {rpm_bound['requests_per_minute']:,.0f} requests/min, {rpm_bound['rate_limited']} x 429",
              flush=True)

    with FakeServer(model=MODEL) as server:
        print("bench-scale: generate --mode batch, end to end ...", flush=True)
        os.environ.update({"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "bench"})
        started = time.monotonic()
        code = main(["--workspace", str(BENCH), "--store", STORE, "--config", str(config_path), "generate", "--all",
                     "--mode", "batch"])
        batch_seconds = time.monotonic() - started
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            os.environ.pop(name, None)
        batch_stats = server.stats()
    with StateStore(workspace.state_db) as state:
        jobs = BatchJobs(state).all_jobs()
        drafts = list_drafts(state)
    first_job = jobs[0] if jobs else {}
    batch_completed = first_job.get("requests", 0) if first_job.get("status") == "completed" else 0

    used = live["tokens_in"] + live["tokens_out"]
    estimated = predicted.tokens_in + predicted.tokens_out
    report = {
        "catalogue": "catalog_samples/products.csv", "products": predicted.products, "locales": list(options.locales),
        "requests": len(requests), "server": {"latency_s": args.latency, "rpm": args.rpm, "tpm": args.tpm,
                                              "enforced_over_s": 1.0},
        "model": MODEL, "requests_sent_with": options.sampling.describe(),
        "output_cap": {"mean": round(sum(caps) / len(caps), 1), "min": min(caps), "max": max(caps)},
        "tokens_charged_per_request": round(mean_charge, 1), "requests_per_minute": live["requests_per_minute"],
        "fixed_cap_1500": fixed, "targets": TARGETS,
        "binding_limit": binding, "ceiling_rpm": round(ceiling_rpm, 1),
        "throughput_ratio_to_ceiling": round(live["requests_per_minute"] / args.rpm, 4),
        "throughput_ratio_to_binding_limit": round(live["requests_per_minute"] / ceiling_rpm, 4),
        "rate_limited_share": live["rate_limited_share"],
        "speedup_vs_sequential": round(live["requests_per_minute"] / sequential["requests_per_minute"], 2),
        "live": live, "sequential": sequential,
        "rpm_bound": rpm_bound | {"tpm": rpm_bound_tpm,
                                  "throughput_ratio_to_ceiling": round(rpm_bound["requests_per_minute"] / args.rpm, 4),
                                  "speedup_vs_sequential": round(rpm_bound["requests_per_minute"]
                                                                 / sequential["requests_per_minute"], 2)},
        "batch_completed": batch_completed,
        "batch": {"exit_code": code, "seconds": round(batch_seconds, 1), "jobs": [
            {k: j[k] for k in ("status", "requests")} for j in jobs], "server_batch_requests":
            batch_stats["batch_requests"], "live_requests": batch_stats["chat_requests"], "drafts": len(drafts),
            "passed": sum(d.passed for d in drafts)},
        "estimate_error": round(abs(estimated - used) / used, 4),
        "estimate": {"tokenizer": predicted.tokenizer, "tokens_in": predicted.tokens_in,
                     "tokens_out": predicted.tokens_out, "used_in": live["tokens_in"], "used_out": live["tokens_out"],
                     "input_error": round(abs(predicted.tokens_in - live["tokens_in"]) / live["tokens_in"], 4),
                     "output_error": round(abs(predicted.tokens_out - live["tokens_out"]) / live["tokens_out"], 4),
                     "cost_realtime_usd": predicted.cost["realtime"], "cost_batch_usd": predicted.cost["batch"]},
    }
    write_json_atomic(BENCH / "scale.json", report)
    print(json.dumps({k: report[k] for k in ("requests", "tokens_charged_per_request", "requests_per_minute",
                                             "binding_limit", "ceiling_rpm", "throughput_ratio_to_ceiling",
                                             "throughput_ratio_to_binding_limit", "rate_limited_share",
                                             "speedup_vs_sequential", "batch_completed", "estimate_error")}, indent=2))
    print(f"  output caps sized per request: mean {report['output_cap']['mean']:,.0f} tokens (least "
          f"{min(caps):,}, most {max(caps):,}), {live['truncated']} answers cut off; with the fixed "
          f"{OLD_FIXED_CAP:,}: {fixed['tokens_charged_per_request']:,.0f} tokens charged each, ceiling "
          f"{fixed['ceiling_rpm']:,.0f} RPM")
    met = {name: (report[name] <= goal if name == "tokens_charged_per_request" else report[name] >= goal)
           for name, goal in TARGETS.items()}
    print("  targets: " + ", ".join(f"{name} {report[name]:,} {'<=' if name.startswith('tokens') else '>='} "
                                    f"{goal:,} {'met' if met[name] else 'NOT met'}" for name, goal in TARGETS.items()))
    print(f"  rpm-bound run: {report['rpm_bound']['throughput_ratio_to_ceiling']} of {args.rpm:,} RPM, "
          f"{rpm_bound['rate_limited']} x 429, speedup {report['rpm_bound']['speedup_vs_sequential']}x")
    print(f"bench-scale: wrote {BENCH / 'scale.json'}")


if __name__ == "__main__":
    main_bench()
