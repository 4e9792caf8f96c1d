"""The benchmark's output: a table for people, then one line of JSON for scripts."""

from __future__ import annotations

import contextlib
import json
import platform
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from advocacy.bench.measure import CORES, Result
from advocacy.bench.routes import BASELINE, Route

# A load generator above this share of one core may be what limits the throughput.
SATURATED_PCT_OF_CORE = 85.0
# Above this share of the machine it still takes CPU the server would otherwise get.
SHARED_PCT = 15.0
# Other processes above this share of the machine make a route's figures unreliable.
NOISY_PCT = 10.0
# What the server runs: a change here changes the figures.
APP_PATHS = ("advocacy", "templates", "static", "migrations", "wsgi.py", "pyproject.toml")


@dataclass(frozen=True)
class ScalePoint:
    """The stats API and the dashboard's queries at one number of pledges."""

    pledges: int
    seed_seconds: float
    stats: Result
    dashboard_ms: dict[str, float]

    @property
    def dashboard_total_ms(self) -> float:
        return sum(self.dashboard_ms.values())


def target_check(route: Route, result: Result) -> dict[str, Any] | None:
    """Return the route's targets and whether this run met them, or None if it has none."""
    if route.target_ratio is None and route.target_p99_ms is None:
        return None
    checks: dict[str, Any] = {}
    met = True
    if route.target_ratio is not None:
        checks["min_ratio"] = route.target_ratio
        met = met and result.ratio >= route.target_ratio
    if route.target_p99_ms is not None:
        checks["max_p99_ms"] = route.target_p99_ms
        met = met and result.p99_ms < route.target_p99_ms
    checks["met"] = met
    return checks


def _target_text(check: dict[str, Any] | None) -> str:
    if check is None:
        return ""
    parts = [f">={check['min_ratio']:.1f}x"] if "min_ratio" in check else []
    if "max_p99_ms" in check:
        parts.append(f"p99<{check['max_p99_ms']:.0f}")
    return f"{' '.join(parts)}: {'pass' if check['met'] else 'MISS'}"


def print_table(
    results: list[Result], routes: dict[str, Route], checks: dict[str, dict[str, Any] | None]
) -> None:
    """Print one line per route, then what each route is and what the columns mean."""
    print(
        f"\n{'route':<10} {'req/s':>8} {'x bare':>6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'errors':>6} {'cpu ms/req':>10} {'server':>6} {'db':>4} "
        f"{'load':>5} {'other':>5}  target"
    )
    for r in results:
        print(
            f"{r.route:<10} {r.rps:>8.0f} {r.ratio:>6.2f} {r.p50_ms:>7.2f} {r.p95_ms:>7.2f} "
            f"{r.p99_ms:>7.2f} {r.errors:>6d} {r.server_cpu_ms_per_request:>10.3f} "
            f"{r.server_cpu_pct:>5.0f}% {r.database_cpu_pct:>3.0f}% "
            f"{r.load_cpu_pct_of_core:>4.0f}% {r.other_cpu_pct:>4.0f}%  "
            f"{_target_text(checks.get(r.route))}".rstrip()
        )
    print()
    for r in results:
        route = routes[r.route]
        print(
            f"  {route.name}: {route.method} {route.path} ({route.note}), expects {route.expect}"
        )
    print(
        "x bare: requests/s as a share of the bare route's in this run; errors: connection "
        "errors, timeouts and answers with another status; cpu ms/req: the server's CPU per "
        f"request; server, db, other: share of the machine's {CORES} cores used by the "
        "server, PostgreSQL and everything else (processes, and CPU time the hypervisor "
        "gave to other machines); load: the load generator, share of one core"
    )


def print_scaling(points: list[ScalePoint]) -> None:
    """Print the stats API and the dashboard's queries against the number of pledges."""
    print(
        f"\n{'pledges':>10} {'seeded in':>9} {'stats req/s':>11} {'stats p99':>9} "
        f"{'errors':>6} {'dashboard':>9}  slowest query"
    )
    for p in points:
        slowest = max(p.dashboard_ms, key=lambda name: p.dashboard_ms[name])
        print(
            f"{p.pledges:>10,} {p.seed_seconds:>8.1f}s {p.stats.rps:>11.0f} "
            f"{p.stats.p99_ms:>7.2f}ms {p.stats.errors:>6d} {p.dashboard_total_ms:>7.1f}ms  "
            f"{slowest} {p.dashboard_ms[slowest]:.1f} ms"
        )
    print(
        "dashboard: the five queries of the organizers' campaign dashboard (totals, per "
        "day, by state, by district, by partner), best of 3 each, added up"
    )


def load_generator_check(results: list[Result], generator: str) -> str:
    """Say whether the load generator could have limited the throughput, and why."""
    busiest = max(results, key=lambda r: r.load_cpu_pct_of_core)
    used = busiest.load_cpu_pct_of_core
    hint = " (install wrk)" if generator == "python" else ""
    if used >= SATURATED_PCT_OF_CORE:
        return (
            f"warning: the load generator ({generator}) used {used:.0f}% of a core on "
            f"{busiest.route}: it may be the bottleneck there, so that route's throughput "
            f"is understated{hint}"
        )
    if used / CORES > SHARED_PCT:
        return (
            f"load generator ({generator}): at most {used:.0f}% of one core, so not the "
            f"bottleneck, but on {busiest.route} it took {used / CORES:.0f}% of the "
            f"machine's CPU, which the server did not get{hint}"
        )
    return f"load generator ({generator}): at most {used:.0f}% of one core: not the bottleneck"


def unanswered(results: list[Result], points: list[ScalePoint]) -> list[str]:
    """Return the runs that got no answer at all: they measured nothing."""
    silent = [r.route for r in results if r.requests == 0]
    return silent + [f"stats at {p.pledges:,}" for p in points if p.stats.requests == 0]


def warnings(
    results: list[Result],
    points: list[ScalePoint],
    recheck: Result | None,
    server_log: str,
) -> list[str]:
    """Return what makes this run's figures less trustworthy, in plain words."""
    found = []
    silent = unanswered(results, points)
    if silent:
        found.append(f"error: no answer at all within the run from {', '.join(silent)}")
    noisy = [r for r in results if r.other_cpu_pct > NOISY_PCT]
    if noisy:
        steal = max(r.steal_pct for r in noisy)
        found.append(
            f"warning: other processes used over {NOISY_PCT:.0f}% of the machine during "
            f"{', '.join(r.route for r in noisy)} (of which the hypervisor's steal: up to "
            f"{steal:.0f}%): those figures are unreliable"
        )
    if recheck is not None and results[0].rps:
        drift = 100 * (recheck.rps - results[0].rps) / results[0].rps
        if abs(drift) > 10:
            found.append(f"warning: the bare route drifted {drift:+.0f}% during the run")
    problems = [line for line in server_log.splitlines() if "Traceback" in line or "ERROR" in line]
    if problems:
        found.append(f"warning: the server logged {len(problems)} errors, e.g. {problems[0]}")
    return found


def machine() -> dict[str, Any]:
    """Describe the machine: CPU model, cores, memory, kernel, Python."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    return {
        "cpu": model,
        "cores": CORES,
        "memory": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def source_version(root: Path) -> str:
    """Return the measured commit, with "+changes" when the app's files differ from it."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=True
        )
        return done.stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--", *APP_PATHS)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+changes" if changed else "")


def summary(
    results: list[Result],
    checks: dict[str, dict[str, Any] | None],
    recheck: Result | None,
    points: list[ScalePoint],
    run: dict[str, Any],
) -> dict[str, Any]:
    """Return every figure of the run as one JSON-ready object."""
    figures: dict[str, Any] = {}
    for r in results:
        key = r.route.replace("-", "_")
        figures[f"{key}_rps"] = round(r.rps, 1)
        figures[f"{key}_p99_ms"] = round(r.p99_ms, 2)
    for r in results:
        if r.route != BASELINE:
            figures[f"{r.route.replace('-', '_')}_ratio"] = round(r.ratio, 3)
    routes = {}
    for r in results:
        entry = {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(r).items()}
        entry["errors"] = r.errors
        entry["target"] = checks.get(r.route)
        routes[r.route] = entry
    return {
        **figures,
        "errors": {r.route: r.errors for r in results},
        "targets_met": {name: c["met"] for name, c in checks.items() if c is not None},
        **run,
        "baseline_recheck_rps": round(recheck.rps, 1) if recheck else None,
        "load_generator_max_pct_of_core": round(max(r.load_cpu_pct_of_core for r in results), 1),
        "routes": routes,
        "scaling": [
            {
                "pledges": p.pledges,
                "seed_seconds": round(p.seed_seconds, 2),
                "stats_rps": round(p.stats.rps, 1),
                "stats_p99_ms": round(p.stats.p99_ms, 2),
                "stats_errors": p.stats.errors,
                "dashboard_ms": {k: round(v, 2) for k, v in p.dashboard_ms.items()},
                "dashboard_total_ms": round(p.dashboard_total_ms, 2),
            }
            for p in points
        ],
        "machine": machine(),
    }


def json_line(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=False)
