#!/usr/bin/env python3
"""Turn one bench/downtime.sh run into the downtime section of docs/benchmarks.md.

    bench/write_downtime.py --runs DIR [--crplan EXE] [--criu EXE] [--docker EXE]
        [--docker-host URL] [--probe-ms MS] [--load-start "a b c"] [--load-end "a b c"] [--warmup N]
        [--uptime-start TEXT] [--uptime-end TEXT] [--baseline OLD_EXE] [--sched PERF_SCRIPT_TXT]
        [--write docs/benchmarks.md]

DIR holds one folder per roundtrip (`<mode>-<label>`, with a baseline
`<mode>-<label>-new` and `-old`) with meta.json, events.jsonl (`crplan
apply --events json`), probe.json (bench/downtime_probe.py) and foo (the
counter's file afterwards). Prints the section (Markdown) on stdout; with
--write, also replaces the text between the `<!-- downtime-results:begin -->`
and `<!-- downtime-results:end -->` markers of that file — or, when the runs
include a baseline binary ("old"), the before/after section between
`<!-- downtime-regress-results:begin -->` and `<!-- downtime-regress-results:end -->`
(the single-binary section is then left alone). Writes every run's numbers
to DIR/../downtime-runs.csv. Called by bench/downtime.sh.

crplan's own time per roundtrip, outside the programs it spawns, two ways:

- from the events: apply wall time minus the durations of the commands the
  events print (`command-started` → `command-finished`, `at` in ms). Exact
  only when every spawned program is printed (the refactored executor);
  an older one that runs some `docker inspect`s without printing them
  counts those as its own time.
- with --sched (`perf script -F pid,tid,time,event,trace` of
  sched_process_fork/exec/exit, recorded system-wide on CLOCK_MONOTONIC by
  bench/downtime.sh): crplan's process from exec to exit, minus the union
  of the lifetimes (fork → exit of the last thread) of every process it
  forked, printed or not. The same definition for every binary.
"""

import argparse
import csv
import datetime
import json
import os
import re
import statistics
import sys

from write_results import commit, machine, run, write  # same directory; sys.path[0] is bench/

BEGIN = "<!-- downtime-results:begin -->"
END = "<!-- downtime-results:end -->"
REGRESS_BEGIN = "<!-- downtime-regress-results:begin -->"
REGRESS_END = "<!-- downtime-regress-results:end -->"
BINARIES = ("old", "new")
MODES = [
    ("external-overlay2", "external, overlay2"),
    ("external-vfs", "external, vfs"),
    ("native-overlay2", "native, overlay2"),
]
# (metric key, row label); a step name pair is (external, native).
ROWS = [
    ("downtime", "**downtime** (events: `dump`/`checkpoint-create` started → `restore`/`start-from-checkpoint` finished)"),
    ("gap", "**workload gap** (probe: longest pause between two writes to /foo)"),
    ("apply", "`crplan apply` wall time (process start to exit)"),
    ("dump", "step `dump` / `checkpoint-create`"),
    ("dump_command", "… of which the `criu dump` / `docker checkpoint create` process"),
    ("verify", "step `verify-dump-log`"),
    ("wait", "step `wait-container-exited`"),
    ("rebuild", "step `rebuild-rootfs`"),
    ("restore", "step `restore` / `start-from-checkpoint`"),
    ("restore_command", "… of which the `criu restore` / `docker start --checkpoint` process"),
    ("between", "downtime outside steps (crplan's journal and bookkeeping between them)"),
    ("lead", "last write seen before the gap, relative to the dump step's start"),
    ("lag", "first write seen after the gap, relative to the restore step's end"),
    ("period", "the counter's normal write period (median gap)"),
]
STEP_KEYS = {
    "dump": ("dump", "checkpoint-create"),
    "verify": ("verify-dump-log",),
    "wait": ("wait-container-exited",),
    "rebuild": ("rebuild-rootfs",),
    "restore": ("restore", "start-from-checkpoint"),
}


class RunError(Exception):
    pass


def load_json_lines(path):
    events = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line:
                events.append(json.loads(line))
    return events


def counter_ok(path):
    """The counter's file is exactly 0, 1, 2, ... (a torn last line left out)."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")[:-1]
    return bool(lines) and all(line == str(index) for index, line in enumerate(lines)), len(lines)


def analyse(folder):
    """One roundtrip's numbers (milliseconds), or RunError saying why it does not count."""
    with open(os.path.join(folder, "meta.json"), encoding="utf-8") as handle:
        meta = json.load(handle)
    result = {"mode": meta["mode"], "label": meta["label"], "measured": meta["measured"],
              "binary": meta.get("binary", "new"), "timeout_pid": meta.get("timeout_pid"), "crplan": meta.get("crplan", "")}
    if meta["exit_status"] != 0:
        raise RunError(f"crplan apply exited {meta['exit_status']}")
    events = load_json_lines(os.path.join(folder, "events.jsonl"))
    finished = [event for event in events if event["kind"] == "run-finished"]
    if not finished or finished[-1].get("outcome") != "succeeded":
        raise RunError(f"run outcome {finished[-1].get('outcome') if finished else 'missing'}")
    if not meta["restored_alive"]:
        raise RunError("the restored workload was not alive afterwards")
    ok, values = counter_ok(os.path.join(folder, "foo"))
    if not ok:
        raise RunError("/foo is not one unbroken 0, 1, 2, ... sequence")
    result["values"] = values

    started = {event["step"]: event["at"] for event in events if event["kind"] == "step-started"}
    ended = {event["step"]: event for event in events if event["kind"] == "step-finished"}

    def first(names, table):
        for name in names:
            if name in table:
                return table[name]
        raise RunError(f"no event for {'/'.join(names)}")

    down_start = first(STEP_KEYS["dump"], started)
    down_end = first(STEP_KEYS["restore"], ended)["at"]
    result["downtime"] = down_end - down_start
    result["apply"] = (meta["apply_end_ns"] - meta["apply_start_ns"]) / 1e6
    inside = 0
    for key, names in STEP_KEYS.items():
        event = next((ended[name] for name in names if name in ended), None)
        if event is not None:
            result[key] = event.get("durationMilliseconds", 0)
            inside += result[key]
    result["between"] = result["downtime"] - inside
    commands = printed_commands(events)
    for key in ("dump", "restore"):
        # The criu / docker checkpoint|start process itself, not a printed post-condition `docker inspect`.
        own = [c for c in commands if c["step"] in STEP_KEYS[key] and not c["inspect"]]
        if own:
            result[key + "_command"] = sum(c["ms"] for c in own)
    window_inspects = [c for c in commands if c["inspect"] and c["step"] in
                       {name for names in STEP_KEYS.values() for name in names}]
    result["window_inspects"] = len(window_inspects)
    result["window_inspect_ms"] = sum(c["ms"] for c in window_inspects)
    result["printed"] = len(commands)
    result["printed_ms"] = sum(c["ms"] for c in commands)
    result["own_events"] = result["apply"] - result["printed_ms"]
    result["steps"] = {name: event.get("durationMilliseconds", 0) for name, event in ended.items()}
    wait = ended.get("wait-container-exited")
    if wait and (wait.get("outputs") or {}).get("polls"):
        result["wait_polls"] = int(wait["outputs"]["polls"])

    with open(os.path.join(folder, "probe.json"), encoding="utf-8") as handle:
        probe = json.load(handle)
    offset = probe["clock"]["realtime_ns"] - probe["clock"]["monotonic_ns"]
    # The downtime window on CLOCK_MONOTONIC (ms), to meet perf's records.
    result["window_monotonic"] = (down_start - offset / 1e6, down_end - offset / 1e6)
    times = [(stamp + offset) / 1e6 for stamp, _size in probe["changes"][1:]]  # [0] is the first poll, not a write
    if len(times) < 10:
        raise RunError(f"the probe saw only {len(times)} writes")
    gaps = [(later - earlier, earlier, later) for earlier, later in zip(times, times[1:])]
    gaps.sort()
    longest = gaps.pop()
    result["gap"] = longest[0]
    result["lead"] = longest[1] - down_start
    result["lag"] = longest[2] - down_end
    result["period"] = statistics.median(gap for gap, _, _ in gaps)
    result["probe_lag"] = probe["max_poll_gap_ns"] / 1e6
    if not (longest[1] <= down_end and longest[2] >= down_start):
        raise RunError("the longest pause of the workload lies outside the dump→restore window")
    return result


def printed_commands(events):
    """Every command the events print: step, duration (ms, from `at`), whether it is a `docker inspect`."""
    commands, open_commands = [], []
    for event in events:
        if event["kind"] == "command-started":
            open_commands.append(event)
        elif event["kind"] == "command-finished" and open_commands:
            started = open_commands.pop()
            argv = (started.get("message") or "").split()
            commands.append({"step": started.get("step"), "ms": event["at"] - started["at"],
                             "inspect": "inspect" in argv and any(os.path.basename(a).startswith("docker") for a in argv)})
    return commands


SCHED_LINE = re.compile(r"^\s*(\d+)/(\d+)\s+([0-9.]+):\s+(?:sched:)?(sched_process_\w+):\s*(.*)$")


class Sched:
    """Process forks, execs and exits from `perf script -F pid,tid,time,event,trace` (times in ms)."""

    def __init__(self, path):
        self.forks = {}   # parent tgid -> [(ms, child tid)]
        self.execs = {}   # tgid -> [(ms, filename)]
        self.exits = {}   # tgid -> [ms of the exit that ended the whole process]
        self.tgids = set()
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                match = SCHED_LINE.match(line)
                if not match:
                    continue
                tgid, _tid, seconds, event, trace = match.groups()
                tgid, ms = int(tgid), float(seconds) * 1000
                fields = dict(part.split("=", 1) for part in trace.split() if "=" in part)
                self.tgids.add(tgid)
                if event == "sched_process_fork":
                    self.forks.setdefault(tgid, []).append((ms, int(fields["child_pid"])))
                elif event == "sched_process_exec":
                    self.execs.setdefault(tgid, []).append((ms, fields.get("filename", "?")))
                elif event == "sched_process_exit" and fields.get("group_dead") == "true":
                    self.exits.setdefault(tgid, []).append(ms)

    def first_after(self, table, key, after):
        return next((entry for entry in table.get(key, []) if (entry[0] if isinstance(entry, tuple) else entry) >= after), None)

    def crplan_run(self, timeout_pid, crplan):
        """crplan's exec→exit and the processes it forked, for the `timeout` that ran it; None if not recorded."""
        if timeout_pid is None:
            return None
        target = os.path.realpath(crplan) if crplan else None
        for fork_ms, child in self.forks.get(int(timeout_pid), []):
            executed = self.first_after(self.execs, child, fork_ms)
            if not executed or (target and os.path.realpath(executed[1]) != target):
                continue
            start = executed[0]
            end = self.first_after(self.exits, child, start)
            if end is None:
                return None
            children = []
            for child_fork, grandchild in self.forks.get(child, []):
                if not (start <= child_fork <= end) or grandchild == child:
                    continue
                programs = [name for ms, name in self.execs.get(grandchild, []) if child_fork <= ms <= end]
                finished = self.first_after(self.exits, grandchild, child_fork)
                if finished is not None and finished > end + 5000:
                    finished = None  # a later process that reused the pid
                if not programs and finished is None:
                    continue  # a thread of crplan (its events carry crplan's tgid), not a process
                names = [os.path.basename(name) for name in programs]
                program = next((name for name in names if name != "setpriv"), names[0] if names else "?")
                children.append((child_fork, min(finished, end) if finished is not None else end, program))
            return {"start": start, "end": end, "children": children}
        return None


def union_ms(intervals):
    total, current_start, current_end = 0.0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += current_end - current_start
    return total


def add_sched(result, sched):
    run = sched.crplan_run(result.get("timeout_pid"), result.get("crplan"))
    if run is None:
        return
    children = run["children"]
    wall = run["end"] - run["start"]
    spawned = union_ms([(start, end) for start, end, _ in children])
    docker = [(start, end) for start, end, program in children if program.startswith("docker")]
    criu = [(start, end) for start, end, program in children if "criu" in program or program.startswith("ld-linux")]
    window_start, window_end = result.get("window_monotonic", (0, 0))
    inside = [(max(start, window_start), min(end, window_end)) for start, end, _ in children
              if end > window_start and start < window_end]
    if window_end > window_start:
        result["sched_own_downtime"] = (window_end - window_start) - union_ms(inside)
    result.update({
        "sched_wall": wall, "sched_children": len(children), "sched_spawned": spawned,
        "sched_docker": len(docker), "sched_docker_ms": union_ms(docker), "sched_criu_ms": union_ms(criu),
        "sched_other": len(children) - len(docker) - len(criu),
        "sched_own": wall - spawned,
    })


def cell(values, unit="ms"):
    if not values:
        return "—"
    median = statistics.median(values)
    low, high = min(values), max(values)
    between = " to " if low < 0 else "–"
    return f"{median:.0f} {unit} ({low:.0f}{between}{high:.0f})"


def versions(options):
    parts = []
    if options.crplan:
        build = "release" if "/release/" in options.crplan else "given binary"
        parts.append(f"crplan {run([options.crplan, '--version']) or '?'} ({build} build, `{options.crplan}`)")
    if options.criu:
        parts.append(f"CRIU {run([options.criu, '--version']).replace('Version: ', '').splitlines()[0] if run([options.criu, '--version']) else '?'}")
    if options.docker:
        server = run([options.docker, "-H", options.docker_host, "version", "-f", "{{.Server.Version}}"]) if options.docker_host \
            else run([options.docker, "version", "-f", "{{.Server.Version}}"])
        parts.append(f"Docker engine {server or '?'} (experimental, private daemons of `scripts/provision`)")
    return ", ".join(parts)


def section(options, results, failures, runs_per_mode):
    by_mode = {mode: [r for r in results if r["mode"] == mode] for mode, _ in MODES}
    header = "| | " + " | ".join(f"{label} (n={len(by_mode[mode])})" for mode, label in MODES) + " |"
    lines = [
        f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC by `bench/downtime.sh` "
        f"at commit {commit()}.",
        "",
        f"- Machine: {machine().split(', load average')[0]}, load average {options.load_start or '?'} at the start "
        f"and {options.load_end or '?'} at the end of the run",
        f"- Software: {versions(options)}",
        f"- {runs_per_mode} measured roundtrips per mode, interleaved, after {options.warmup} unmeasured warm-up round(s); "
        f"probe polls /foo every {options.probe_ms} ms (worst poll lag seen: "
        f"{max((r['probe_lag'] for r in results), default=0):.1f} ms)",
        "- Cells: median (min–max) over the runs of a mode",
        "",
        header,
        "|---|" + "---|" * len(MODES),
    ]
    for key, label in ROWS:
        cells = []
        for mode, _ in MODES:
            values = [r[key] for r in by_mode[mode] if key in r]
            cells.append(cell(values))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    if failures:
        lines.append("Runs that did not count: " + "; ".join(f"{name}: {why}" for name, why in failures) + ".")
        lines.append("")

    def median_of(mode, key):
        values = [r[key] for r in by_mode[mode] if key in r]
        return statistics.median(values) if values else None

    for key, what in (("downtime", "downtime (events)"), ("gap", "workload gap (probe)")):
        native = median_of("native-overlay2", key)
        overlay = median_of("external-overlay2", key)
        vfs = median_of("external-vfs", key)
        if native and overlay:
            text = f"**native / external {what}: {native / overlay:.2f}× on overlay2**"
            if vfs:
                text += f" ({native / vfs:.2f}× against external on vfs)"
            lines.append(text + ".")
    return "\n".join(lines) + "\n"


def median(values):
    return statistics.median(values) if values else None


def regress_section(options, results, failures):
    """The before/after section: old and new binary, same modes, rounds and containers' workload."""
    by = {(mode, binary): [r for r in results if r["mode"] == mode and r["binary"] == binary]
          for mode, _ in MODES for binary in BINARIES}
    rounds = {r["label"] for r in results}

    def values(mode, binary, key):
        return [r[key] for r in by[(mode, binary)] if r.get(key) is not None]

    def paired(mode, key):
        old = {r["label"]: r[key] for r in by[(mode, "old")] if r.get(key) is not None}
        new = {r["label"]: r[key] for r in by[(mode, "new")] if r.get(key) is not None}
        return [new[label] - old[label] for label in sorted(old.keys() & new.keys())]

    probe_lag = max((r["probe_lag"] for r in results), default=0)
    baseline = options.baseline or "?"
    lines = [
        f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC by "
        f"`BASELINE=… bench/downtime.sh` at commit {commit()}.",
        "",
        f"- Machine: {machine().split(', load average')[0]}; shared with other work during the run:",
        f"  - before: `{options.uptime_start.strip() or options.load_start}`",
        f"  - after: `{options.uptime_end.strip() or options.load_end}`",
        f"- new: {versions(options)}",
        f"- old: `{baseline}` ({run([baseline, '--version']) or '?'}), the same CRIU, Docker and plan text",
        f"- {len(rounds)} measured rounds after {options.warmup} warm-up round(s); each round runs every mode once per binary "
        f"on a fresh container, which binary goes first alternating from round to round; probe polls /foo every "
        f"{options.probe_ms} ms (worst poll lag seen: {probe_lag:.1f} ms)",
        "- Cells: median (min–max) over the rounds; new/old is the ratio of the medians; paired Δ is new − old within "
        "one round (same mode, back to back), its median (min to max), and in how many rounds new was faster",
        "",
        "| mode | measure | old | new | new/old | paired Δ new − old | new faster |",
        "|---|---|---|---|---|---|---|",
    ]
    measures = [("downtime", "**downtime** (events)"), ("gap", "**workload gap** (probe)"),
                ("apply", "`crplan apply` wall time")]
    for mode, label in MODES:
        for key, what in measures:
            old, new = values(mode, "old", key), values(mode, "new", key)
            ratio = f"{median(new) / median(old):.2f}" if old and new and median(old) else "—"
            deltas = paired(mode, key)
            delta = "—"
            if deltas:
                delta = f"{statistics.median(deltas):+.0f} ms ({min(deltas):+.0f} to {max(deltas):+.0f})"
            faster = f"{sum(d < 0 for d in deltas)}/{len(deltas)}" if deltas else "—"
            lines.append(f"| {label} (n={len(by[(mode, 'old')])}/{len(by[(mode, 'new')])}) | {what} | {cell(old)} | "
                         f"{cell(new)} | {ratio} | {delta} | {faster} |")
    lines.append("")

    # Where the time goes: every step (median ms), the CRIU/Docker process, printed inspects.
    step_names = []
    for r in results:
        for name in r["steps"]:
            if name not in step_names:
                step_names.append(name)
    header = "| median | " + " | ".join(f"{label}: old | new" for _, label in MODES) + " |"
    lines += ["Where the time goes (medians, ms):", "", header, "|---|" + "---|---|" * len(MODES)]
    rows = [(f"step `{name}`", lambda r, name=name: r["steps"].get(name)) for name in step_names]
    rows += [
        ("… `criu dump` / `docker checkpoint create` process", lambda r: r.get("dump_command")),
        ("… `criu restore` / `docker start --checkpoint` process", lambda r: r.get("restore_command")),
        ("printed `docker inspect`s inside the downtime (count)", lambda r: r.get("window_inspects")),
        ("… their time", lambda r: r.get("window_inspect_ms")),
        ("`wait-container-exited` polls (new prints the count)", lambda r: r.get("wait_polls")),
        ("downtime outside steps (journal, events between them)", lambda r: r.get("between")),
        ("**crplan's own time inside the downtime** (perf: window − spawned processes)", lambda r: r.get("sched_own_downtime")),
        ("last write seen before the gap − dump step's start", lambda r: r.get("lead")),
        ("first write seen after the gap − restore step's end", lambda r: r.get("lag")),
    ]
    for label, get in rows:
        cells = []
        for mode, _ in MODES:
            for binary in BINARIES:
                found = [get(r) for r in by[(mode, binary)] if get(r) is not None]
                cells.append("—" if not found else f"{statistics.median(found):.0f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")

    # crplan's own time outside the programs it spawns.
    have_sched = any("sched_own" in r for r in results)
    lines += [
        "crplan's own time per roundtrip, outside CRIU, Docker and every other program it spawns (medians, "
        "min–max in brackets):",
        "",
        "| mode | binary | apply wall (perf: exec → exit) | processes spawned | … `docker` ones | their time (union) | "
        "**own time (perf)** | printed commands (events) | their time | own time (events: wall − printed) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, label in MODES:
        for binary in BINARIES:
            group = by[(mode, binary)]

            def v(key):
                return [r[key] for r in group if r.get(key) is not None]

            def count(key):
                found = v(key)
                return "—" if not found else (f"{statistics.median(found):.0f}" if min(found) == max(found)
                                             else f"{statistics.median(found):.0f} ({min(found)}–{max(found)})")
            own_events = cell(v("own_events"))
            if binary == "old":
                own_events += " ¹"
            lines.append(f"| {label} | {binary} | {cell(v('sched_wall'))} | {count('sched_children')} | "
                         f"{count('sched_docker')} | {cell(v('sched_spawned'))} | **{cell(v('sched_own'))}** | "
                         f"{count('printed')} | {cell(v('printed_ms'))} | {own_events} |")
    lines.append("")
    old_missing = [
        f"{label}: {median([r['sched_children'] - r['printed'] for r in by[(mode, 'old')] if 'sched_children' in r]):.0f}"
        for mode, label in MODES if any("sched_children" in r for r in by[(mode, "old")])
    ]
    lines.append(
        "¹ Not comparable: the old executor runs its `docker inspect`s (the inspect step, every "
        "`wait-container-exited` poll, native mode's post-conditions) through the host without printing them, "
        "so “wall − printed” counts those Docker processes as crplan's own time"
        + (f" (median processes spawned but not printed, per mode — {', '.join(old_missing)})" if old_missing else "")
        + ". The perf column counts every forked process for both binaries and is the one to compare."
        + ("" if have_sched else " (This run had no perf record: TRACE=1.)")
    )
    lines.append("")
    for key, what in (("downtime", "downtime (events)"), ("gap", "workload gap (probe)"), ("sched_own", "own time (perf)")):
        parts = []
        for mode, label in MODES:
            old, new = median(values(mode, "old", key)), median(values(mode, "new", key))
            if old and new:
                parts.append(f"{label} {new / old:.2f}×")
        if parts:
            lines.append(f"**new / old {what}: " + ", ".join(parts) + ".**")
    lines.append("")
    if failures:
        lines.append("Runs that did not count: " + "; ".join(f"{name}: {why}" for name, why in failures) + ".")
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", required=True)
    parser.add_argument("--crplan", default="")
    parser.add_argument("--criu", default="")
    parser.add_argument("--docker", default="")
    parser.add_argument("--docker-host", default="")
    parser.add_argument("--probe-ms", default="2")
    parser.add_argument("--load-start", default="")
    parser.add_argument("--load-end", default="")
    parser.add_argument("--warmup", default="1")
    parser.add_argument("--uptime-start", default="")
    parser.add_argument("--uptime-end", default="")
    parser.add_argument("--baseline", default="")
    parser.add_argument("--sched", help="perf script text of sched_process_fork/exec/exit")
    parser.add_argument("--write", metavar="MARKDOWN")
    options = parser.parse_args()
    sched = Sched(options.sched) if options.sched else None

    results, failures = [], []
    for name in sorted(os.listdir(options.runs)):
        folder = os.path.join(options.runs, name)
        if not os.path.isdir(folder):
            continue
        try:
            result = analyse(folder)
        except (RunError, OSError, ValueError, KeyError) as error:
            failures.append((name, str(error)))
            continue
        if sched is not None:
            add_sched(result, sched)
        if result["measured"]:
            results.append(result)
    measured_labels = {r["label"] for r in results}
    baseline = any(r["binary"] == "old" for r in results) or bool(options.baseline)

    columns = ["mode", "label", "binary", "downtime", "gap", "apply", "dump", "dump_command", "verify", "wait",
               "wait_polls", "rebuild", "restore", "restore_command", "window_inspects", "window_inspect_ms",
               "between", "lead", "lag", "period", "probe_lag", "values", "printed", "printed_ms", "own_events",
               "sched_wall", "sched_children", "sched_docker", "sched_docker_ms", "sched_criu_ms", "sched_other",
               "sched_spawned", "sched_own"]
    with open(os.path.join(os.path.dirname(os.path.abspath(options.runs)), "downtime-runs.csv"), "w",
              encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for result in results:
            writer.writerow({key: (f"{value:.1f}" if isinstance(value, float) else value) for key, value in result.items()})

    if baseline:
        text = regress_section(options, results, failures)
        if options.write:
            write(options.write, text, REGRESS_BEGIN, REGRESS_END)
    else:
        text = section(options, results, failures, len(measured_labels))
        if options.write:
            write(options.write, text, BEGIN, END)
    sys.stdout.write(text)
    if failures:
        sys.stderr.write("write_downtime: some runs did not count:\n" + "".join(f"  {n}: {w}\n" for n, w in failures))


if __name__ == "__main__":
    main()
