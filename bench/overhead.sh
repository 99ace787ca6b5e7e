#!/usr/bin/env bash
# bench/overhead.sh — crplan's own overhead: `crplan apply` of an external
# overlay2 roundtrip against the raw wiki sequence as a plain script running
# the same commands crplan runs (docker inspect, criu dump, grep the log, wait
# for Docker to see the exit and unmount, mkdir + mount the overlay, criu
# restore), on the same busybox counter, interleaved.
#
#   bench/overhead.sh              build crplan (release), measure, update docs/benchmarks.md
#   bench/overhead.sh --no-write   measure and print only
#
# Environment: RUNS (measured rounds, default 7), WARMUP (default 1), CRPLAN
# (use this binary instead of building), BASELINE (a second crplan binary,
# e.g. one built before a change: measured as a third contender in the same
# rounds), KEEP=1 (keep the temp dir). Needs root, python3, GNU date, a
# provisioned host (scripts/provision).
#
# Each round runs each contender on a fresh container, rotating which goes first.
# Figures per run: total (first command start → restore end, for crplan the
# whole `crplan apply` process) and the frozen window (criu dump start →
# criu restore end; crplan's from its `--events json` command-started /
# command-finished timestamps, ms). bench/write_overhead.py writes medians
# and ratios into docs/benchmarks.md between its markers.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH

. bench/lib.sh
bench_options overhead.sh 22 "" "$@"

RUNS=${RUNS:-7}
WARMUP=${WARMUP:-1}
PYTHON=${PYTHON:-python3}
WORKLOAD='i=0; while true; do echo $i >> /foo; i=$(expr $i + 1); usleep 20000; done'

eval "$(scripts/provision)"
: "${DOCKER_HOST:?}" "${DOCKER_HOME:?}" "${DOCKER_BINARY:?}" "${CRIU_BINARY:?}"
image=${CRPLAN_E2E_IMAGE:-busybox}
if [ -n "${CRPLAN:-}" ]; then
    crplan=$CRPLAN
else
    say "building crplan (release)"
    swift build -c release --product crplan >&2
    crplan=$(swift build -c release --show-bin-path)/crplan
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/crplan-overhead.XXXXXX")
started=$work/containers   # "<id> <root> <pidfile>" of every container this script started
: >"$started"
problems=()

docker_() { "$DOCKER_BINARY" -H "$DOCKER_HOST" "$@"; }

cleanup_container() {  # id, rootfs, pidfile (as bench/downtime.sh and docs/e2e-tests.md)
    local id=$1 rootfs=$2 pidfile=$3 pid victims=() tick dir
    if [ -f "$pidfile" ]; then
        pid=$(cat "$pidfile")
        if alive "$pid" && in_container_cgroup "$pid" "$id"; then victims+=("$pid"); fi
    fi
    for pid in $(container_pids "$id"); do [[ " ${victims[*]} " == *" $pid "* ]] || victims+=("$pid"); done
    for pid in "${victims[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for ((tick = 0; tick < 500; tick++)); do [ -z "$(container_pids "$id")" ] && break; sleep 0.02; done
    [ -z "$(container_pids "$id")" ] || problems+=("processes of $id still alive")
    for ((tick = 0; tick < 250; tick++)); do
        [ "$(docker_ inspect --type container -f '{{.State.Running}}' "$id" 2>/dev/null)" != true ] && break
        sleep 0.02
    done
    if [ -n "$rootfs" ] && mountpoint -q "$rootfs" 2>/dev/null \
        && [ "$(docker_ inspect --type container -f '{{.State.Running}}' "$id" 2>/dev/null)" != true ]; then
        umount "$rootfs" || problems+=("umount $rootfs failed")
    fi
    for dir in /sys/fs/cgroup/*/docker/"$id"; do
        [ -d "$dir" ] && { rmdir "$dir" 2>/dev/null || problems+=("rmdir $dir failed"); }
    done
    docker_ rm -f "$id" >/dev/null 2>&1 || problems+=("docker rm -f $id failed")
}

on_exit() {
    local status=$? id root pidfile
    while read -r id root pidfile; do
        docker_ inspect --type container "$id" >/dev/null 2>&1 && cleanup_container "$id" "$root" "$pidfile"
    done <"$started"
    if [ "${KEEP:-0}" = 1 ]; then echo "bench/overhead.sh: kept $work" >&2; else rm -rf "$work"; fi
    exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

now_ns() { date +%s%N; }

start_counter() {  # run dir -> prints "<id> <merged>"
    local id merged
    id=$(docker_ run -d --network none "$image" /bin/sh -c "$WORKLOAD")
    merged=$(docker_ inspect --type container -f '{{.GraphDriver.Data.MergedDir}}' "$id")
    echo "$id $merged $1/counter.pid" >>"$started"
    # Let the counter write a few values first.
    local tick
    for ((tick = 0; tick < 500; tick++)); do
        [ -f "$merged/foo" ] && [ "$(wc -l <"$merged/foo")" -ge 10 ] && break
        sleep 0.01
    done
    echo "$id $merged"
}

# The raw wiki sequence, as a plain script: the commands crplan runs for the
# same plan (`crplan plan --inspect` prints them), with no journal, no checks
# beyond the wiki's `grep` of the dump log, no locks.
raw_roundtrip() {  # run dir, id
    local run=$1 id=$2 images=$1/images pid merged lower upper work_dir resolv hosts hostname
    local mnt root opts cgroups_dump=() cgroups_restore=() t0 t_dump t_end running
    t0=$(now_ns)
    read -r pid merged lower upper work_dir resolv hosts hostname < <(docker_ inspect --type container -f \
        '{{.State.Pid}} {{.GraphDriver.Data.MergedDir}} {{.GraphDriver.Data.LowerDir}} {{.GraphDriver.Data.UpperDir}} {{.GraphDriver.Data.WorkDir}} {{.ResolvConfPath}} {{.HostsPath}} {{.HostnamePath}}' \
        -- "$id")
    # cgroup v1 mounts inside the container, declared external as crplan does.
    while read -r _ _ _ root mnt _ _ _ fstype _ opts; do
        [ "$fstype" = cgroup ] || continue
        cgroups_dump+=(--ext-mount-map "$mnt:$mnt")
        cgroups_restore+=(--ext-mount-map "$mnt:$mnt/docker/$id")
    done <"/proc/$pid/mountinfo"
    mkdir -p "$images"
    t_dump=$(now_ns)
    (cd "$images" && "$CRIU_BINARY" dump -o dump.log -v4 -t "$pid" -D "$images" --root "$merged" \
        --ext-mount-map /etc/resolv.conf:/etc/resolv.conf --ext-mount-map /etc/hosts:/etc/hosts \
        --ext-mount-map /etc/hostname:/etc/hostname "${cgroups_dump[@]}" --manage-cgroups --evasive-devices)
    grep -q "Dumping finished successfully" "$images/dump.log"
    # Wait for Docker to see the exit and unmount the root.
    while :; do
        running=$(docker_ inspect --type container -f '{{.State.Running}}' -- "$id")
        [ "$running" = false ] && ! grep -q " $merged " /proc/self/mountinfo && break
    done
    mkdir -p "$merged"
    mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work_dir" "$merged"
    (cd "$images" && "$CRIU_BINARY" restore -o restore.log -v4 -d -D "$images" --root "$merged" \
        --ext-mount-map "/etc/resolv.conf:$resolv" --ext-mount-map "/etc/hosts:$hosts" \
        --ext-mount-map "/etc/hostname:$hostname" "${cgroups_restore[@]}" --manage-cgroups --evasive-devices \
        --pidfile "$images/criu-restore.pid")
    t_end=$(now_ns)
    cp "$images/criu-restore.pid" "$run/counter.pid"
    printf '{"kind":"raw","start_ns":%s,"dump_start_ns":%s,"end_ns":%s}\n' "$t0" "$t_dump" "$t_end" >"$run/meta.json"
}

baseline_roundtrip() {  # run dir, id: crplan_roundtrip with the BASELINE binary
    crplan="$BASELINE" crplan_roundtrip "$@"
}

crplan_roundtrip() {  # run dir, id
    local run=$1 id=$2 t0 t1 kind
    cat >"$run/plan.yaml" <<PLAN
# written by bench/overhead.sh
version: 1
name: overhead-${run##*/}
container: "$id"
docker:
  binary: "$DOCKER_BINARY"
  host: "$DOCKER_HOST"
  home: "$DOCKER_HOME"
storage:
  driver: overlay2
criu:
  binary: "$CRIU_BINARY"
imageDir: "$run/images"
restore:
  pidfile: "$run/counter.pid"
PLAN
    t0=$(now_ns)
    "$crplan" apply "$run/plan.yaml" --events json --state-dir "$run/state" >"$run/events.jsonl" 2>"$run/stderr"
    t1=$(now_ns)
    kind=${run##*/}
    printf '{"kind":"%s","start_ns":%s,"end_ns":%s}\n' "${kind%%-*}" "$t0" "$t1" >"$run/meta.json"
}

one() {  # kind, label, measured
    local kind=$1 run=$work/$1-$2 id merged pid
    mkdir -p "$run"
    read -r id merged < <(start_counter "$run")
    "${kind}_roundtrip" "$run" "$id"
    pid=$(cat "$run/counter.pid" 2>/dev/null || echo)
    { [ -n "$pid" ] && alive "$pid" && in_container_cgroup "$pid" "$id"; } || problems+=("$kind $2: the restored counter does not run")
    echo "$3" >"$run/measured"
    cleanup_container "$id" "$merged" "$run/counter.pid"
}

say "measuring: $WARMUP warm-up round(s), then $RUNS rounds of raw and crplan (interleaved); crplan $crplan${BASELINE:+, baseline $BASELINE}"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for ((round = 1; round <= WARMUP + RUNS; round++)); do
    if ((round <= WARMUP)); then label=warmup-$round; measured=0; else label=$(printf 'run-%02d' $((round - WARMUP))); measured=1; fi
    kinds=(raw crplan)
    [ -n "${BASELINE:-}" ] && kinds+=(baseline)
    for ((k = 0; k < ${#kinds[@]}; k++)); do
        one "${kinds[(round + k) % ${#kinds[@]}]}" "$label" $measured
    done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
if ((${#problems[@]})); then printf 'bench/overhead.sh: %s\n' "${problems[@]}" >&2; exit 1; fi

rm -rf bench/out/overhead
mkdir -p bench/out/overhead
for run in "$work"/raw-* "$work"/crplan-* "$work"/baseline-*; do
    [ -d "$run" ] || continue
    mkdir -p "bench/out/overhead/${run##*/}"
    cp "$run"/{meta.json,measured} "bench/out/overhead/${run##*/}/"
    [ -f "$run/events.jsonl" ] && cp "$run/events.jsonl" "$run/plan.yaml" "bench/out/overhead/${run##*/}/"
done
extra=()
[ "$write" = 1 ] && extra+=(--write docs/benchmarks.md)
[ -n "${BASELINE:-}" ] && extra+=(--baseline "$BASELINE")
"$PYTHON" bench/write_overhead.py --runs bench/out/overhead --crplan "$crplan" --load-start "$load_start" --load-end "$load_end" \
    "${extra[@]}" | tee bench/out/overhead-summary.md
