#!/usr/bin/env python3
"""Summarise bench/overhead.sh runs: medians of total time and frozen window
(criu dump start -> criu restore end) for the raw wiki script and for
`crplan apply`, their ratios, and where crplan's time goes (per step, and
inside vs outside the commands it spawns). Optionally writes the section
between the overhead markers of docs/benchmarks.md."""
import argparse
import json
import os
import statistics
import subprocess

BEGIN = "<!-- overhead:begin (bench/overhead.sh writes this section) -->"
END = "<!-- overhead:end -->"


def load(folder):
    runs = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        with open(os.path.join(path, "meta.json")) as f:
            meta = json.load(f)
        with open(os.path.join(path, "measured")) as f:
            if f.read().strip() != "1":
                continue
        meta["name"] = name
        if meta["kind"] in ("crplan", "baseline"):
            events = []
            with open(os.path.join(path, "events.jsonl")) as f:
                for line in f:
                    line = line.strip()
                    if line:
                        events.append(json.loads(line))
            meta["events"] = events
        runs.append(meta)
    return runs


def crplan_figures(run):
    events = run["events"]
    dump_start = next(e["at"] for e in events if e["kind"] == "command-started" and e.get("step") == "dump")
    restore_end = next(e["at"] for e in events if e["kind"] == "command-finished" and e.get("step") == "restore")
    steps = {e["step"]: e["durationMilliseconds"] for e in events if e["kind"] == "step-finished"}
    in_commands = 0
    started = {}
    for e in events:
        key = (e.get("step"), e.get("attempt"))
        if e["kind"] == "command-started":
            started[key] = e["at"]
        elif e["kind"] == "command-finished" and key in started:
            in_commands += e["at"] - started.pop(key)
    first = events[0]["at"] if events else 0
    last = events[-1]["at"] if events else 0
    return {
        "total": (run["end_ns"] - run["start_ns"]) / 1e6,
        "frozen": restore_end - dump_start,
        "steps": steps,
        "commands": in_commands,
        "events_span": last - first,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", required=True)
    parser.add_argument("--crplan", required=True)
    parser.add_argument("--load-start", default="")
    parser.add_argument("--load-end", default="")
    parser.add_argument("--baseline", default="")
    parser.add_argument("--write")
    args = parser.parse_args()

    runs = load(args.runs)
    raw = [r for r in runs if r["kind"] == "raw"]
    ours = [crplan_figures(r) for r in runs if r["kind"] == "crplan"]
    base = [crplan_figures(r) for r in runs if r["kind"] == "baseline"]
    raw_total = statistics.median((r["end_ns"] - r["start_ns"]) / 1e6 for r in raw)
    raw_frozen = statistics.median((r["end_ns"] - r["dump_start_ns"]) / 1e6 for r in raw)
    our_total = statistics.median(o["total"] for o in ours)
    our_frozen = statistics.median(o["frozen"] for o in ours)
    commands = statistics.median(o["commands"] for o in ours)
    span = statistics.median(o["events_span"] for o in ours)
    step_names = [s for s in ours[0]["steps"]]
    base_total = statistics.median(o["total"] for o in base) if base else None
    base_frozen = statistics.median(o["frozen"] for o in base) if base else None
    kernel = subprocess.run(["uname", "-r"], capture_output=True, text=True).stdout.strip()

    lines = [
        BEGIN,
        "",
        f"`bench/overhead.sh`: external overlay2 roundtrip of the busybox counter, {len(raw)} interleaved rounds "
        f"({'raw, crplan and the baseline rotating' if base else 'raw and crplan alternating'} which goes first, a fresh container each), "
        f"crplan binary `{args.crplan}`, "
        f"kernel {kernel}, load {args.load_start} → {args.load_end}.",
        "",
    ]
    if base:
        lines += [
            f"Baseline: a second crplan binary, `{args.baseline}`, measured in the same rounds (the three contenders rotate which goes first).",
            "",
            "| median | raw wiki script | `crplan apply` | ratio | baseline `crplan apply` | ratio |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            f"| total (first command → restore end; crplan: the whole process) | {raw_total:.0f} ms | {our_total:.0f} ms | {our_total / raw_total:.2f}x "
            f"| {base_total:.0f} ms | {base_total / raw_total:.2f}x |",
            f"| frozen window (criu dump start → criu restore end) | {raw_frozen:.0f} ms | {our_frozen:.0f} ms | {our_frozen / raw_frozen:.2f}x "
            f"| {base_frozen:.0f} ms | {base_frozen / raw_frozen:.2f}x |",
            "",
        ]
    else:
        lines += [
            "| median | raw wiki script | `crplan apply` | ratio |",
            "| --- | ---: | ---: | ---: |",
            f"| total (first command → restore end; crplan: the whole process) | {raw_total:.0f} ms | {our_total:.0f} ms | {our_total / raw_total:.2f}x |",
            f"| frozen window (criu dump start → criu restore end) | {raw_frozen:.0f} ms | {our_frozen:.0f} ms | {our_frozen / raw_frozen:.2f}x |",
            "",
        ]
    lines += [
        f"Where crplan's time goes (medians): {commands:.0f} ms inside the commands it spawns, "
        f"{span - commands:.0f} ms of its own between its first and last event (journal appends with fsync, "
        f"decoding inspect, /proc and mountinfo reads, measuring the images), "
        f"{our_total - span:.0f} ms before the first event and after the last (process start, plan read, lint, compile, exit).",
        "",
        "| step | " + " | ".join(f"`{s}`" for s in step_names) + " |",
        "| --- | " + " | ".join("---:" for _ in step_names) + " |",
        "| median ms | " + " | ".join(f"{statistics.median(o['steps'].get(s, 0) for o in ours):.0f}" for s in step_names) + " |",
    ]
    if base:
        lines += [
            "| baseline median ms | " + " | ".join(f"{statistics.median(o['steps'].get(s, 0) for o in base):.0f}" for s in step_names) + " |",
            "",
            f"Baseline's own time (medians): {statistics.median(o['commands'] for o in base):.0f} ms inside its commands, "
            f"{statistics.median(o['events_span'] - o['commands'] for o in base):.0f} ms of its own between its first and last event, "
            f"{base_total - statistics.median(o['events_span'] for o in base):.0f} ms before the first event and after the last.",
        ]
    lines += [
        "",
        END,
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        with open(args.write) as f:
            doc = f.read()
        if BEGIN in doc and END in doc:
            head, rest = doc.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            doc = head + text.rstrip("\n") + tail
        else:
            doc = doc.rstrip("\n") + "\n\n## Overhead against the raw wiki script\n\n" + text
        with open(args.write, "w") as f:
            f.write(doc)


if __name__ == "__main__":
    main()
