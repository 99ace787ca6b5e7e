#!/usr/bin/env python3
"""Watch the counter's /foo from the host and record when it grows.

    bench/downtime_probe.py --file HOSTPATH --out JSON [--interval-ms 2] [--ready FILE]

Polls the size of HOSTPATH (the container's /foo as the host sees it:
overlay2 UpperDir/foo, vfs <dir>/foo) every --interval-ms and records the
host's CLOCK_MONOTONIC time of each poll that sees a new size. Runs until
SIGTERM or SIGINT, then writes --out:

    {"interval_ms": 2, "polls": N, "max_poll_gap_ns": G,
     "clock": {"monotonic_ns": M, "realtime_ns": R},   # one pair, to map to crplan's `at`
     "changes": [[monotonic_ns, size], ...]}

Why from outside: the workload cannot time itself. busybox `date` has no
%N, and after an external restore the tree runs in a new time namespace
whose CLOCK_MONOTONIC/BOOTTIME (and so /proc/uptime) continue from the
dump, hiding the downtime. The host's clock sees it. A write is noticed at
most one poll (plus scheduling lag, reported as max_poll_gap_ns) after it
happens. --ready is created after the first poll, so the caller can wait
for the probe before starting the run it measures.
"""

import argparse
import json
import os
import signal
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--interval-ms", type=float, default=2.0)
    parser.add_argument("--ready")
    options = parser.parse_args()

    stop = False

    def request_stop(_signum, _frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    interval = options.interval_ms / 1000
    changes = []
    last_size = None
    polls = 0
    previous = None
    max_gap = 0
    clock = {"monotonic_ns": time.monotonic_ns(), "realtime_ns": time.time_ns()}
    while not stop:
        now = time.monotonic_ns()
        try:
            size = os.stat(options.file).st_size
        except OSError:
            size = -1
        if size != last_size:
            changes.append([now, size])
            last_size = size
        if previous is not None:
            max_gap = max(max_gap, now - previous)
        previous = now
        polls += 1
        if polls == 1 and options.ready:
            with open(options.ready, "w", encoding="utf-8"):
                pass
        time.sleep(interval)

    with open(options.out, "w", encoding="utf-8") as handle:
        json.dump({"interval_ms": options.interval_ms, "polls": polls, "max_poll_gap_ns": max_gap,
                   "clock": clock, "changes": changes}, handle)


if __name__ == "__main__":
    main()
