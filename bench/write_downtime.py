#!/usr/bin/env python3
"""Turn one bench/downtime.sh run into the downtime section of docs/benchmarks.md.

    bench/write_downtime.py --runs DIR [--crplan EXE] [--criu EXE] [--docker EXE]
        [--docker-host URL] [--probe-ms MS] [--load-start "a b c"] [--load-end "a b c"] [--warmup N]
        [--write docs/benchmarks.md]

DIR holds one folder per roundtrip (`<mode>-<label>`) with meta.json,
events.jsonl (`crplan apply --events json`), probe.json
(bench/downtime_probe.py) and foo (the counter's file afterwards). Prints
the section (Markdown) on stdout; with --write, also replaces the text
between the `<!-- downtime-results:begin -->` and
`<!-- downtime-results:end -->` markers of that file. Writes every run's
numbers to DIR/../downtime-runs.csv. Called by bench/downtime.sh.
"""

import argparse
import csv
import datetime
import json
import os
import statistics
import sys

from write_results import commit, machine, run, write  # same directory; sys.path[0] is bench/

BEGIN = "<!-- downtime-results:begin -->"
END = "<!-- downtime-results:end -->"
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
    result = {"mode": meta["mode"], "label": meta["label"], "measured": meta["measured"]}
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
    for key in ("dump", "restore"):
        begun = [e["at"] for e in events if e["kind"] == "command-started" and e.get("step") in STEP_KEYS[key]]
        ended_commands = [e["at"] for e in events if e["kind"] == "command-finished" and e.get("step") in STEP_KEYS[key]]
        if begun and len(begun) == len(ended_commands):
            result[key + "_command"] = sum(end - start for start, end in zip(begun, ended_commands))

    with open(os.path.join(folder, "probe.json"), encoding="utf-8") as handle:
        probe = json.load(handle)
    offset = probe["clock"]["realtime_ns"] - probe["clock"]["monotonic_ns"]
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
    parser.add_argument("--write", metavar="MARKDOWN")
    options = parser.parse_args()

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
        if result["measured"]:
            results.append(result)
    measured_labels = {r["label"] for r in results}

    columns = ["mode", "label", "downtime", "gap", "apply", "dump", "dump_command", "verify", "wait", "rebuild",
               "restore", "restore_command",
               "between", "lead", "lag", "period", "probe_lag", "values"]
    with open(os.path.join(os.path.dirname(os.path.abspath(options.runs)), "downtime-runs.csv"), "w",
              encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for result in results:
            writer.writerow({key: (f"{value:.1f}" if isinstance(value, float) else value) for key, value in result.items()})

    text = section(options, results, failures, len(measured_labels))
    if options.write:
        write(options.write, text, BEGIN, END)
    sys.stdout.write(text)
    if failures:
        sys.stderr.write("write_downtime: some runs did not count:\n" + "".join(f"  {n}: {w}\n" for n, w in failures))


if __name__ == "__main__":
    main()
