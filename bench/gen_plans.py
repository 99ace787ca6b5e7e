#!/usr/bin/env python3
"""Generate N valid crplan plans for the lint benchmark.

    bench/gen_plans.py N DIR [--seed=S]

Writes DIR/plan-00000.yaml ... (DIR is created; existing plan-*.yaml files in
it are replaced). The output depends only on N and the seed. Each plan has
15 to 20 lines, like plans/examples: a commented header, the required fields
and a varying selection of storage, docker, criu, imageDir, extMounts,
restore and timeouts settings. Every plan is meant to lint clean (no errors,
no warnings) and to pass the JSON Schema; bench/lint.sh checks both before
it measures anything.
"""

import os
import random
import sys

DRIVERS = ["auto", "aufs", "overlay", "overlay2", "vfs"]
OPERATIONS = ["roundtrip", "roundtrip", "checkpoint", "restore"]
WORDS = ["web", "db", "cache", "queue", "worker", "api", "counter", "proxy", "cron", "search",
         "auth", "mail", "metrics", "ingest", "batch"]
TIMEOUTS = ["30s", "90s", "2m", "5m", "1m30s", "10m", "1h", "500ms"]
EXTRA_ARGS = ["--link-remap", "--ghost-limit=1048576", "--skip-in-flight", "--ext-unix-sk"]
DOCKER_MOUNTS = [("/etc/resolv.conf", "resolv.conf"), ("/etc/hosts", "hosts"), ("/etc/hostname", "hostname")]


def container_reference(rng, index):
    kind = rng.randrange(3)
    if kind == 0:
        return "".join(rng.choice("0123456789abcdef") for _ in range(64))
    if kind == 1:
        # An id prefix that always holds a letter, so YAML never reads it as a number.
        return "".join(rng.choice("0123456789abcdef") for _ in range(rng.randint(6, 11))) + "a"
    return f"{rng.choice(WORDS)}-{index % 97}" + rng.choice(["", "_1", ".blue"])


def external_options(rng, operation):
    """Optional sections for external mode, each a list of lines."""
    options = []
    driver = rng.choice(DRIVERS)
    options.append(["storage:", f"  driver: {driver}"])
    options.append(["docker:", "  binary: docker", f"  home: {rng.choice(['/var/lib/docker', '/srv/docker'])}"])
    criu = ["criu:", f"  logLevel: {rng.randint(0, 4)}",
            f"  manageCgroups: {rng.choice(['true', 'false'])}"]
    # leaveRunning only where it makes sense: a checkpoint that keeps the container.
    criu.append(f"  leaveRunning: {rng.choice(['true', 'false']) if operation == 'checkpoint' else 'false'}")
    criu.append(f"  tcpEstablished: {rng.choice(['true', 'false'])}")
    criu.append(f"  extraArgs: [{', '.join(rng.sample(EXTRA_ARGS, rng.randint(0, 2)))}]")
    options.append(criu)
    options.append([f"imageDir: {rng.choice(['/var/lib/docker/criu_img', '/srv/criu', '${docker.home}/criu_img'])}"
                    "/${container.id}"])
    mounts = ["extMounts:"]
    for path, file in rng.sample(DOCKER_MOUNTS, rng.randint(1, 3)):
        mounts.append(f"  - path: {path}")
        if rng.random() < 0.3:
            mounts.append(f"    dump: {path}")
        mounts.append(f"    restore: ${{container.dir}}/{file}")
    options.append(mounts)
    options.append(["restore:", "  pidfile: ${imageDir}/restore.pid", f"  detach: {rng.choice(['true', 'false'])}"])
    options.append(["timeouts:", f"  dump: {rng.choice(TIMEOUTS)}", f"  restore: {rng.choice(TIMEOUTS)}"])
    return options


def native_options(rng, index):
    return [
        ["description: >-", f"  Benchmark plan {index}: Docker drives CRIU",
         "  (docker checkpoint create, docker start --checkpoint)."],
        ["docker:", "  binary: docker", f"  home: {rng.choice(['/var/lib/docker', '/srv/docker'])}",
         "  host: unix:///var/run/docker.sock"],
        ["restore:", f"  checkpoint: cp-{rng.randint(1, 999)}"],
        ["timeouts:", f"  dump: {rng.choice(TIMEOUTS)}", f"  restore: {rng.choice(TIMEOUTS)}"],
    ]


def plan(index, rng):
    target = rng.randint(15, 20)
    name = f"{rng.choice(WORDS)}-{index:05d}"
    native = rng.random() < 0.1
    operation = rng.choice(OPERATIONS[:3] if native else OPERATIONS)
    head = [
        f"# Generated benchmark plan {index}: {operation}, {'native' if native else 'external'} mode.",
        "version: 1",
        f"name: {name}",
        f"container: {container_reference(rng, index)}",
        f"operation: {operation}",
        f"mode: {'native' if native else 'external'}",
    ]
    if not native:
        head.insert(3, f"description: Benchmark plan {index} ({operation})")
    options = native_options(rng, index) if native else external_options(rng, operation)
    rng.shuffle(options)
    body = []
    for option in options:
        room = target - len(head) - len(body)
        if len(option) <= room:
            body += option
        elif room >= 2 and option[0] != "extMounts:":
            body += option[:room]  # a section's lines are independent settings, except list items
    lines = head + body
    while len(lines) < target:
        lines.insert(1, "# (padding comment: plans in git carry notes like this one)")
    return "\n".join(lines) + "\n"


def main(argv):
    args = [arg for arg in argv if not arg.startswith("--seed")]
    seed = 20261129
    for arg in argv:
        if arg.startswith("--seed="):
            seed = int(arg.split("=", 1)[1])
    if len(args) != 2 or not args[0].isdigit():
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    count, folder = int(args[0]), args[1]
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(seed)
    for index in range(count):
        with open(os.path.join(folder, f"plan-{index:05d}.yaml"), "w", encoding="utf-8") as handle:
            handle.write(plan(index, rng))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
