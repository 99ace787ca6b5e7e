#!/usr/bin/env python3
"""Turn one bench/migrate.sh run into the migration section of docs/benchmarks.md.

    bench/write_migrate.py --runs DIR [--probe-ms 2] [--warmup 1] [--not-run NAME=REASON ...] [--write docs/benchmarks.md]

DIR holds one folder per migration (r<round>-<contender>) with meta.json,
probe.json (bench/downtime_probe.py on the bind-mounted /probe/foo),
probe/foo, foo (the container's /foo read on the target afterwards),
`measured` (true/false), and per contender: Podman's
checkpoint-stats.json / restore-stats.json (`--print-stats`), crplan's
events.jsonl (`--events json`). Prints the section (Markdown); with --write,
replaces the text between `<!-- migrate-results:begin -->` and
`<!-- migrate-results:end -->` (appended at the end when absent).

Numbers per contender are medians over the measured runs that succeeded:
- downtime: the longest pause between two writes the probe saw (host clock);
- phases: Podman's three commands (wall), crplan's steps (events);
- CRIU frozen time: Podman's `--print-stats` (Docker removes CRIU's stats);
- archive: Podman's export file; crplan-archive's archive file (which must
  also have passed `crplan import`, meta.json's import_status); for the other
  crplan contenders the staging dir as a `tar | zstd` stream;
- ratios: each contender's median downtime and total over Podman's;
- write-archive's cost: its step's median, and crplan-archive's median
  downtime minus crplan-local's (the same plan without `archive:`);
- crplan's own time: its wall time minus the union of the commands it
  printed and ran (docker, criu, tar, zstd, ssh, …), for the whole run and
  inside the window checkpoint-create started → start-target finished.
"""

import argparse
import json
import os
import statistics
import sys

BEGIN = "<!-- migrate-results:begin -->"
END = "<!-- migrate-results:end -->"
CONTENDERS = [
    ("podman", "Podman 4.3 `checkpoint --export` + `rm` + `restore --import`"),
    ("crplan-local", "crplan migrate, overlay2 engine → vfs engine (this machine)"),
    ("crplan-ssh", "crplan migrate over ssh (vfs engine behind the private sshd)"),
    ("crplan-archive", "crplan migrate, overlay2 → vfs, with `archive:` (write-archive before the target start)"),
]
ARCHIVE_KIND = {"podman": "export file", "crplan-local": "staging dir, tar + zstd",
                "crplan-ssh": "staging dir, tar + zstd", "crplan-archive": "archive file"}


class RunError(Exception):
    pass


def load_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def load_json_lines(path):
    events = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line:
                events.append(json.loads(line))
    return events


def unbroken(path):
    """The file is 0, 1, 2, ... (a torn last line left out); its line count."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().split("\n")[:-1]
    except OSError:
        return False, 0
    return bool(lines) and all(line == str(index) for index, line in enumerate(lines)), len(lines)


def longest_pause(folder):
    probe = load_json(os.path.join(folder, "probe.json"))
    times = [stamp / 1e6 for stamp, _size in probe["changes"][1:]]  # [0] is the first poll, not a write
    if len(times) < 10:
        raise RunError(f"the probe saw only {len(times)} writes")
    gaps = sorted(later - earlier for earlier, later in zip(times, times[1:]))
    return gaps[-1], statistics.median(gaps[:-1]), probe["max_poll_gap_ns"] / 1e6


def union_ms(intervals):
    total, end = 0.0, None
    for start, stop in sorted(intervals):
        if end is None or start > end:
            total += stop - start
            end = stop
        elif stop > end:
            total += stop - end
            end = stop
    return total


def commands_of(events):
    """(step, start ms, end ms, argv text) of every printed command, from the events."""
    result, open_commands = [], []
    for event in events:
        if event["kind"] == "command-started":
            open_commands.append(event)
        elif event["kind"] == "command-finished" and open_commands:
            started = open_commands.pop()
            result.append((started.get("step"), started["at"], event["at"], started.get("message") or ""))
    return result


def analyse(folder):
    meta = load_json(os.path.join(folder, "meta.json"))
    if meta.get("not_run"):
        raise RunError("not run")
    if os.path.exists(os.path.join(folder, "error")):
        raise RunError(open(os.path.join(folder, "error"), encoding="utf-8").read().strip())
    if meta["exit_status"] != 0:
        raise RunError(f"exited {meta['exit_status']}")
    if meta["target_running"] != "true":
        raise RunError("the target was not running afterwards")
    if meta.get("import_status") not in (None, 0):
        raise RunError(f"`crplan import` of the archive exited {meta['import_status']}")
    ok, values = unbroken(os.path.join(folder, "probe", "foo"))
    if not ok:
        raise RunError("/probe/foo is not one unbroken 0, 1, 2, ... sequence")
    ok, _ = unbroken(os.path.join(folder, "foo"))
    if not ok:
        raise RunError("/foo on the target is not one unbroken 0, 1, 2, ... sequence")
    result = {"contender": meta["contender"], "values": values, "archive": meta.get("archive_bytes", 0),
              "total": meta["total_ns"] / 1e6}
    result["downtime"], result["period"], result["probe_lag"] = longest_pause(folder)
    phases = {}
    if meta["contender"] == "podman":
        for name, ns in meta["phases_ns"].items():
            phases[name] = ns / 1e6
        stats = load_json(os.path.join(folder, "checkpoint-stats.json"))
        criu = stats["container_statistics"][0].get("criu_statistics") or {}
        if "frozen_time" in criu:
            result["frozen"] = criu["frozen_time"] / 1000
    else:
        events = load_json_lines(os.path.join(folder, "events.jsonl"))
        finished = [event for event in events if event["kind"] == "run-finished"]
        if not finished or finished[-1].get("outcome") != "succeeded":
            raise RunError(f"run outcome {finished[-1].get('outcome') if finished else 'missing'}")
        started = {event["step"]: event["at"] for event in events if event["kind"] == "step-started"}
        ended = {event["step"]: event for event in events if event["kind"] == "step-finished"}
        for step, event in ended.items():
            phases[step] = event.get("durationMilliseconds", 0)
        commands = commands_of(events)
        apply_start = meta["apply_start_ns"] / 1e6
        apply_end = meta["apply_end_ns"] / 1e6
        result["own"] = (apply_end - apply_start) - union_ms([(start, end) for _, start, end, _ in commands])
        if "checkpoint-create" in started and "start-target" in ended:
            low, high = started["checkpoint-create"], ended["start-target"]["at"]
            inside = [(max(start, low), min(end, high)) for _, start, end, _ in commands if end > low and start < high]
            result["window"] = high - low
            result["own_window"] = (high - low) - union_ms(inside)
    result["phases"] = phases
    return result


def median(values):
    return statistics.median(values) if values else None


def ratio(value, reference):
    if value is None or not reference:
        return "–"
    return f"{value / reference:.2f}×"


def fmt(value, unit="ms"):
    if value is None:
        return "–"
    if unit == "ms":
        return f"{value:.0f} ms"
    if unit == "kb":
        return f"{value / 1024:.0f} KiB"
    return str(value)


def render(results, failures, not_run, options):
    lines = [
        BEGIN,
        "",
        f"Machine: 2 cores shared with other builds; {options.runs_count} measured migration(s) per contender after "
        f"{options.warmup} warm-up round(s), interleaved; probe poll {options.probe_ms} ms; medians. "
        "Downtime = the longest pause of the counter seen from the host (last write before the freeze → first write after the start).",
        "",
        "| contender | runs | downtime | ÷ Podman's | total | ÷ Podman's | CRIU frozen | archive | crplan's own time (whole run / in the downtime window) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    podman = [r for r in results if r["contender"] == "podman"]
    podman_down = median([r["downtime"] for r in podman])
    podman_total = median([r["total"] for r in podman])
    for key, title in CONTENDERS:
        if key in not_run:
            lines.append(f"| {title} | not run: {not_run[key]} | | | | | | | |")
            continue
        mine = [r for r in results if r["contender"] == key]
        failed = failures.get(key, [])
        if not mine and not failed:
            continue
        own = median([r["own"] for r in mine if "own" in r])
        own_window = median([r["own_window"] for r in mine if "own_window" in r])
        down = median([r["downtime"] for r in mine])
        own_text = "–" if own is None else f"{own:.0f} ms / {own_window:.0f} ms" + (
            f" ({100 * own_window / down:.1f}% of the downtime)" if own_window is not None and down else "")
        total = median([r['total'] for r in mine])
        archive = median([r['archive'] for r in mine])
        lines.append(
            f"| {title} | {len(mine)}" + (f" ({len(failed)} failed)" if failed else "")
            + f" | {fmt(down)} | {ratio(down, podman_down)} | {fmt(total)} | {ratio(total, podman_total)}"
            + f" | {fmt(median([r['frozen'] for r in mine if 'frozen' in r]))}"
            + f" | {fmt(archive, 'kb')}" + (f" ({ARCHIVE_KIND[key]})" if archive is not None else "")
            + f" | {own_text} |")
    lines.append("")
    for key, title in CONTENDERS:
        mine = [r for r in results if r["contender"] == key]
        if not mine:
            continue
        names = []
        for r in mine:
            for name in r["phases"]:
                if name not in names:
                    names.append(name)
        phases = ", ".join(f"{name} {median([r['phases'][name] for r in mine if name in r['phases']]):.0f} ms" for name in names)
        lines.append(f"- {title}, median per phase: {phases}.")
    archived = [r for r in results if r["contender"] == "crplan-archive"]
    local = [r for r in results if r["contender"] == "crplan-local"]
    if archived and local:
        step = median([r["phases"]["write-archive"] for r in archived if "write-archive" in r["phases"]])
        added = median([r["downtime"] for r in archived]) - median([r["downtime"] for r in local])
        lines.append(f"- write-archive's cost: the step's median {fmt(step)}; crplan-archive's median downtime minus "
                     f"crplan-local's: {added:+.0f} ms.")
    for key, reasons in failures.items():
        lines.append(f"- {key}: {len(reasons)} run(s) not counted: " + "; ".join(sorted(set(reasons))) + ".")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", required=True)
    parser.add_argument("--probe-ms", default="2")
    parser.add_argument("--warmup", default="1")
    parser.add_argument("--not-run", action="append", default=[])
    parser.add_argument("--write")
    options = parser.parse_args()
    not_run = dict(item.split("=", 1) for item in options.not_run)
    results, failures = [], {}
    measured_folders = 0
    for name in sorted(os.listdir(options.runs)):
        folder = os.path.join(options.runs, name)
        if not os.path.isdir(folder):
            continue
        try:
            with open(os.path.join(folder, "measured"), encoding="utf-8") as handle:
                measured = handle.read().strip() == "true"
        except OSError:
            measured = False
        if not measured:
            continue
        contender = name.split("-", 1)[1]
        if contender in not_run:
            continue
        measured_folders += 1
        try:
            results.append(analyse(folder))
        except (RunError, OSError, KeyError, ValueError) as error:
            failures.setdefault(contender, []).append(f"{name}: {error}")
    options.runs_count = max((sum(1 for r in results if r["contender"] == k) + len(failures.get(k, [])) for k, _ in CONTENDERS),
                             default=0)
    section = render(results, failures, not_run, options)
    sys.stdout.write(section)
    if options.write:
        with open(options.write, encoding="utf-8") as handle:
            text = handle.read()
        if BEGIN in text and END in text:
            text = text[: text.index(BEGIN)] + section.rstrip("\n") + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n## Migration: crplan and Podman side by side\n\n" + section
        with open(options.write, "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
