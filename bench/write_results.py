#!/usr/bin/env python3
"""Turn one bench/lint.sh run into the results section of docs/benchmarks.md.

    bench/write_results.py --hyperfine JSON --plans N --lines L
        [--rss-python KB] [--rss-crplan KB] [--python EXE] [--crplan EXE]
        [--write docs/benchmarks.md]

Prints the section (Markdown) on stdout; with --write, also replaces the text
between the `<!-- lint-results:begin -->` and `<!-- lint-results:end -->`
markers of that file. Called by bench/lint.sh; not meant to be run by hand.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

BEGIN = "<!-- lint-results:begin -->"
END = "<!-- lint-results:end -->"
TARGET = 20.0


def run(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kilobytes = int(handle.readline().split()[1])
            memory = f", {kilobytes / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    try:
        load = ", load average %.2f %.2f %.2f at the end of the run" % os.getloadavg()
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}{load}"


def commit():
    head = run(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    # The results file itself does not count: an earlier run rewrote it.
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/benchmarks.md"])
    return head + (" (with uncommitted changes)" if dirty else "")


def python_stack(python):
    code = ("import sys, yaml; from importlib.metadata import version; "
            "print(sys.version.split()[0], version('jsonschema'), yaml.__version__, yaml.__with_libyaml__)")
    parts = run([python, "-c", code]).split()
    if len(parts) != 4:
        return python
    return f"Python {parts[0]}, jsonschema {parts[1]}, PyYAML {parts[2]} (LibYAML: {parts[3]})"


def megabytes(kilobytes):
    return f"{int(kilobytes) / 1024:.1f} MB" if kilobytes else "not measured"


def section(options):
    with open(options.hyperfine, encoding="utf-8") as handle:
        results = {result["command"]: result for result in json.load(handle)["results"]}
    rows = []
    medians = {}
    for name, label, rss in (("crplan", "`crplan lint DIR` (release)", options.rss_crplan),
                             ("python", "`bench/validate_plans.py DIR` (jsonschema + CSafeLoader)", options.rss_python)):
        result = results.get(name)
        if result is None:
            rows.append(f"| {label} | not measured | | | | {megabytes(rss)} |")
            continue
        median = statistics.median(result["times"])
        medians[name] = median
        low, high = min(result["times"]), max(result["times"])
        cpu = result.get("user", 0) + result.get("system", 0)  # hyperfine's means
        rows.append(f"| {label} | {median * 1000:.1f} ms | {low * 1000:.1f}–{high * 1000:.1f} ms | "
                    f"{median / options.plans * 1e6:.1f} µs | {cpu / options.plans * 1e6:.1f} µs | {megabytes(rss)} |")
    runs = max((len(result["times"]) for result in results.values()), default=0)

    lines = [
        f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC by `bench/lint.sh` "
        f"at commit {commit()}.",
        "",
        f"- Machine: {machine()}",
        f"- Input: {options.plans} generated plans, {options.lines} lines "
        f"({options.lines / options.plans:.1f} lines a plan), one folder",
        f"- Python: {python_stack(options.python)}",
    ]
    if options.crplan:
        lines.append(f"- Swift: {run(['swift', '--version']).splitlines()[0] if run(['swift', '--version']) else 'unknown'}")
    lines += [
        f"- hyperfine, {runs} runs each after warm-up, no shell (`-N`); whole process, start-up included; "
        "CPU = mean user + system time (above wall time when a process uses both cores)",
        "",
        "| command | median (wall) | range | wall per plan | CPU per plan | peak RSS |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
    ]
    if "crplan" in medians and "python" in medians:
        ratio = medians["python"] / medians["crplan"]
        verdict = "met" if ratio >= TARGET else "NOT met"
        lines.append(f"**crplan is {ratio:.1f}× faster than the Python validator** "
                     f"(target ≥ {TARGET:.0f}×: {verdict}).")
    else:
        lines.append("crplan was not measured in this run (`bench/lint.sh --python-only`), so there is no ratio yet.")
    return "\n".join(lines) + "\n"


def write(path, text, begin=BEGIN, end_marker=END):
    """Replaces what stands between the two markers of `path` with `text`."""
    with open(path, encoding="utf-8") as handle:
        document = handle.read()
    start, end = document.find(begin), document.find(end_marker)
    if start < 0 or end < start:
        sys.exit(f"{os.path.basename(sys.argv[0])}: {path} lacks the {begin} ... {end_marker} markers")
    document = document[:start + len(begin)] + "\n" + text + document[end:]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(document)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hyperfine", required=True)
    parser.add_argument("--plans", type=int, required=True)
    parser.add_argument("--lines", type=int, required=True)
    parser.add_argument("--rss-python", default="")
    parser.add_argument("--rss-crplan", default="")
    parser.add_argument("--python", default="python3")
    parser.add_argument("--crplan", default="")
    parser.add_argument("--write", metavar="MARKDOWN")
    options = parser.parse_args()
    text = section(options)
    if options.write:
        write(options.write, text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
