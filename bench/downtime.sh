#!/usr/bin/env bash
# bench/downtime.sh — workload downtime of a crplan roundtrip: external mode on
# overlay2, external mode on vfs and native mode (docker checkpoint) on
# overlay2, measured side by side in one run on the provisioned host.
#
#   bench/downtime.sh              provision/reuse the host, build crplan (release), measure, update docs/benchmarks.md
#   bench/downtime.sh --no-write   measure and print, leave docs/benchmarks.md alone
#   BASELINE=/path/to/old/crplan bench/downtime.sh
#                                  before/after: every mode with both binaries each round
#
# Environment: RUNS (measured roundtrips per mode, default 10), WARMUP (unmeasured
# rounds first, default 1), CRPLAN (use this binary instead of building),
# PROBE_MS (probe poll interval, default 2), KEEP=1 (keep the temp dir: plans,
# images, state, events), BASELINE (an older crplan to compare against; see
# below), TRACE (1: record process fork/exec/exit with `perf record` to time
# crplan's own work outside the programs it spawns; default 1 with BASELINE
# when perf works, else 0). Needs root, python3, GNU date.
#
# With BASELINE, each round runs each mode twice on fresh containers, once
# with CRPLAN ("new") and once with BASELINE ("old"), the same plan text,
# alternating which binary goes first; bench/write_downtime.py then writes the
# "Executor refactor: downtime before/after" section of docs/benchmarks.md
# (its own markers) and leaves the single-binary section alone.
#
# Each roundtrip: a fresh counter container (`docker run -d --network none
# busybox` appending 0,1,2,... to /foo every 20 ms), a plan with every host
# value explicit written to a temp dir (imageDir and --state-dir there too),
# `crplan apply PLAN --events json`, while bench/downtime_probe.py polls /foo's
# size from the host. Then the container is cleaned up as docs/e2e-tests.md
# says: the restored tree killed by the pidfile's pid, the rebuilt root
# unmounted, /sys/fs/cgroup/*/docker/<id> removed, `docker rm -f`. Modes are
# interleaved (round r runs one roundtrip of each mode, starting with mode
# r mod 3), so machine noise hits all alike. bench/write_downtime.py turns the
# events and probe records into the downtime section of docs/benchmarks.md;
# raw records go to bench/out/downtime/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH

. bench/lib.sh
bench_options downtime.sh 36 " (CRIU, mount and dockerd need it)" "$@"

RUNS=${RUNS:-10}
WARMUP=${WARMUP:-1}
PROBE_MS=${PROBE_MS:-2}
PYTHON=${PYTHON:-python3}
# busybox-static has both `usleep` and fractional `sleep`; usleep is the applet meant for it.
WORKLOAD='i=0; while true; do echo $i >> /foo; i=$(expr $i + 1); usleep 20000; done'
MODES=(external-overlay2 external-vfs native-overlay2)

say "provisioning (scripts/provision; reuses a provisioned host)"
eval "$(scripts/provision)"
: "${DOCKER_HOST:?}" "${DOCKER_HOME:?}" "${CRPLAN_VFS_DOCKER_HOST:?}" "${CRPLAN_VFS_DOCKER_HOME:?}" "${DOCKER_BINARY:?}" "${CRIU_BINARY:?}"
image=${CRPLAN_E2E_IMAGE:-busybox}

if [ -n "${CRPLAN:-}" ]; then
    crplan=$CRPLAN
else
    say "building crplan (release)"
    swift build -c release --scratch-path .build-release --product crplan >&2
    crplan=$(swift build -c release --scratch-path .build-release --show-bin-path)/crplan
fi
"$crplan" apply --help >/dev/null 2>&1 || { echo "bench/downtime.sh: $crplan has no working 'apply'" >&2; exit 2; }
# binaries: "label=path" pairs; without BASELINE only the one under test (runs keep their old names).
binaries=("new=$crplan")
if [ -n "${BASELINE:-}" ]; then
    "$BASELINE" apply --help >/dev/null 2>&1 || { echo "bench/downtime.sh: BASELINE $BASELINE has no working 'apply'" >&2; exit 2; }
    binaries+=("old=$BASELINE")
fi
TRACE=${TRACE:-}
if [ -z "$TRACE" ]; then
    TRACE=0
    if [ -n "${BASELINE:-}" ] && command -v perf >/dev/null \
        && perf record -q -e sched:sched_process_exit -a -o /dev/null -- true >/dev/null 2>&1; then TRACE=1; fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/crplan-downtime.XXXXXX")
runs_dir=$work/runs
mkdir -p "$runs_dir"
started=$work/containers   # "<docker host> <id> <root> <pidfile>" of every container this script started
: >"$started"
probe_pid=""
perf_pid=""
problems=()

# --- process and container helpers (by pid and id only) -------------------------

docker_on() { local host=$1; shift; "$DOCKER_BINARY" -H "$host" "$@"; }

rootfs_of() {  # host, home, id -> "<root> <dir holding /foo>"
    local host=$1 home=$2 id=$3 driver mount_id
    driver=$(docker_on "$host" inspect --type container -f '{{.GraphDriver.Name}}' "$id")
    case $driver in
        overlay2) docker_on "$host" inspect --type container -f '{{.GraphDriver.Data.MergedDir}} {{.GraphDriver.Data.UpperDir}}' "$id" ;;
        vfs) mount_id=$(cat "$home/image/vfs/layerdb/mounts/$id/mount-id")
             echo "$home/vfs/dir/$mount_id $home/vfs/dir/$mount_id" ;;
        *) echo "bench/downtime.sh: unexpected storage driver $driver" >&2; return 1 ;;
    esac
}

lines_of() { [ -f "$1" ] && wc -l <"$1" || echo 0; }

wait_lines() {  # file, minimum lines, timeout in 10 ms ticks
    local tick
    for ((tick = 0; tick < $3; tick++)); do
        [ "$(lines_of "$1")" -ge "$2" ] && return 0
        sleep 0.01
    done
    return 1
}

# Clean up one container exactly as docs/e2e-tests.md and scripts/demo do.
cleanup_container() {  # host, id, rootfs, pidfile
    local host=$1 id=$2 rootfs=$3 pidfile=$4 pid victims=() tick dir
    if [ -f "$pidfile" ]; then
        pid=$(cat "$pidfile")
        if alive "$pid" && in_container_cgroup "$pid" "$id"; then victims+=("$pid"); fi
    fi
    # Killing the restored pid-namespace init ends its tree; anything else left in the cgroup goes too.
    for pid in $(container_pids "$id"); do
        [[ " ${victims[*]} " == *" $pid "* ]] || victims+=("$pid")
    done
    for pid in "${victims[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for ((tick = 0; tick < 500; tick++)); do
        [ -z "$(container_pids "$id")" ] && break
        sleep 0.02
    done
    [ -z "$(container_pids "$id")" ] || problems+=("processes of $id still alive: $(container_pids "$id" | tr '\n' ' ')")
    # Docker unmounts the root of a container it runs itself; a root crplan rebuilt is ours to unmount.
    for ((tick = 0; tick < 250; tick++)); do
        [ "$(docker_on "$host" inspect --type container -f '{{.State.Running}}' "$id" 2>/dev/null)" != true ] && break
        sleep 0.02
    done
    if [ -n "$rootfs" ] && mountpoint -q "$rootfs" 2>/dev/null \
        && [ "$(docker_on "$host" inspect --type container -f '{{.State.Running}}' "$id" 2>/dev/null)" != true ]; then
        umount "$rootfs" || problems+=("umount $rootfs failed")
    fi
    for dir in /sys/fs/cgroup/*/docker/"$id"; do
        [ -d "$dir" ] && { rmdir "$dir" 2>/dev/null || problems+=("rmdir $dir failed"); }
    done
    docker_on "$host" rm -f "$id" >/dev/null 2>&1 || problems+=("docker rm -f $id failed")
}

stop_probe() {
    if [ -n "$probe_pid" ]; then
        kill -TERM "$probe_pid" 2>/dev/null || true
        wait "$probe_pid" 2>/dev/null || true
        probe_pid=""
    fi
}

stop_perf() {
    if [ -n "$perf_pid" ]; then
        kill -INT "$perf_pid" 2>/dev/null || true
        wait "$perf_pid" 2>/dev/null || true
        perf_pid=""
    fi
}

# On any exit: stop the probe (and perf), clean up every container still there, remove the temp dir.
on_exit() {
    local status=$? host id
    stop_probe
    stop_perf
    while read -r host id root pidfile; do
        if docker_on "$host" inspect --type container "$id" >/dev/null 2>&1; then
            cleanup_container "$host" "$id" "$root" "$pidfile"
        fi
    done <"$started"
    if [ "${KEEP:-0}" = 1 ]; then echo "bench/downtime.sh: kept $work" >&2; else rm -rf "$work"; fi
    exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# --- one roundtrip ----------------------------------------------------------------

roundtrip() {  # mode, label ("warmup-1" or "run-03"), measured (0/1), binary ("new=PATH" or "old=PATH")
    local mode=$1 label=$2 measured=$3 binary=${4%%=*} exe=${4#*=}
    local host home driver kind run id root writable foo plan pidfile t0 t1 rc=0 end_lines apply_pid name
    case $mode in
        external-overlay2) host=$DOCKER_HOST; home=$DOCKER_HOME; driver=overlay2; kind=external ;;
        external-vfs) host=$CRPLAN_VFS_DOCKER_HOST; home=$CRPLAN_VFS_DOCKER_HOME; driver=vfs; kind=external ;;
        native-overlay2) host=$DOCKER_HOST; home=$DOCKER_HOME; driver=overlay2; kind=native ;;
    esac
    name=$mode-$label
    [ -n "${BASELINE:-}" ] && name=$name-$binary
    run=$runs_dir/$name
    mkdir -p "$run"
    pidfile=$run/counter.pid

    id=$(docker_on "$host" run -d --network none "$image" /bin/sh -c "$WORKLOAD")
    echo "$host $id - $pidfile" >>"$started"
    read -r root writable < <(rootfs_of "$host" "$home" "$id")
    [ -n "$writable" ] || { echo "bench/downtime.sh: cannot find the root of $id" >&2; exit 1; }
    sed -i "s|^$host $id - |$host $id $root |" "$started"
    foo=$writable/foo
    wait_lines "$foo" 20 1000 || { echo "bench/downtime.sh: the counter in $id did not start" >&2; exit 1; }

    {
        echo "# written by bench/downtime.sh"
        echo "version: 1"
        echo "name: downtime-$name"
        echo "container: \"$id\""
        echo "operation: roundtrip"
        echo "mode: $kind"
        echo "docker:"
        echo "  binary: \"$DOCKER_BINARY\""
        echo "  host: \"$host\""
        if [ "$kind" = external ]; then
            echo "  home: \"$home\""
            echo "storage:"
            echo "  driver: $driver"
            echo "criu:"
            echo "  binary: \"$CRIU_BINARY\""
            echo "imageDir: \"$run/images\""
            echo "restore:"
            echo "  pidfile: \"$pidfile\""
        else
            echo "restore:"
            echo "  pidfile: \"$pidfile\""
            echo "  checkpoint: bench"
        fi
        echo "timeouts:"
        echo "  dump: 60s"
        echo "  restore: 60s"
    } >"$run/plan.yaml"

    "$PYTHON" bench/downtime_probe.py --file "$foo" --out "$run/probe.json" --interval-ms "$PROBE_MS" --ready "$run/probe.ready" &
    probe_pid=$!
    local tick
    for ((tick = 0; tick < 500; tick++)); do [ -e "$run/probe.ready" ] && break; sleep 0.01; done
    [ -e "$run/probe.ready" ] || { echo "bench/downtime.sh: the probe did not start" >&2; exit 1; }

    # In the background only to learn timeout's pid: perf's records name crplan as its child.
    t0=$(date +%s%N)
    timeout 120 "$exe" apply "$run/plan.yaml" --events json --state-dir "$run/state" >"$run/events.jsonl" 2>"$run/stderr" &
    apply_pid=$!
    wait "$apply_pid" || rc=$?
    t1=$(date +%s%N)

    # Let the probe see the restored workload write on (10 more values), then stop it.
    end_lines=$(lines_of "$foo")
    wait_lines "$foo" $((end_lines + 10)) 200 || true
    stop_probe
    cp "$foo" "$run/foo" 2>/dev/null || : >"$run/foo"
    local pid=""
    [ -f "$pidfile" ] && pid=$(cat "$pidfile")
    local restored_alive=0
    [ -n "$pid" ] && alive "$pid" && in_container_cgroup "$pid" "$id" && restored_alive=1

    printf '{"mode":"%s","label":"%s","measured":%s,"binary":"%s","crplan":"%s","timeout_pid":%s,"container":"%s","exit_status":%s,"apply_start_ns":%s,"apply_end_ns":%s,"restored_pid":"%s","restored_alive":%s}\n' \
        "$mode" "$label" "$measured" "$binary" "$exe" "$apply_pid" "$id" "$rc" "$t0" "$t1" "$pid" "$restored_alive" >"$run/meta.json"
    printf '%-18s %-9s %s exit %s, apply %4d ms, restored pid %s (%s)\n' "$mode" "$label" "$binary" "$rc" $(((t1 - t0) / 1000000)) \
        "${pid:-none}" "$([ $restored_alive = 1 ] && echo alive || echo NOT alive)" >&2

    cleanup_container "$host" "$id" "$root" "$pidfile"
}

# --- the rounds -------------------------------------------------------------------

if [ "$TRACE" = 1 ]; then
    # Scheduler tracepoints only (no sampling): fork, exec and exit of every process, on CLOCK_MONOTONIC.
    perf record -q -k CLOCK_MONOTONIC -e sched:sched_process_fork -e sched:sched_process_exec -e sched:sched_process_exit \
        -a -o "$work/sched.data" >"$work/perf.log" 2>&1 &
    perf_pid=$!
    sleep 1
    alive "$perf_pid" || { cat "$work/perf.log" >&2; echo "bench/downtime.sh: perf record did not start (TRACE=0 to go without)" >&2; exit 1; }
fi
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
uptime_start=$(uptime)
began=$(date +%s)
say "measuring: $WARMUP warm-up round(s), then $RUNS rounds of ${MODES[*]} (interleaved) with ${binaries[*]}; trace $TRACE; work dir $work"
for ((round = 1; round <= WARMUP + RUNS; round++)); do
    if ((round <= WARMUP)); then label=warmup-$round; measured=0; else label=$(printf 'run-%02d' $((round - WARMUP))); measured=1; fi
    for ((k = 0; k < ${#MODES[@]}; k++)); do
        m=$(((round + k) % ${#MODES[@]}))
        # With two binaries, which goes first alternates from round to round for each mode.
        for ((b = 0; b < ${#binaries[@]}; b++)); do
            roundtrip "${MODES[$m]}" "$label" "$measured" "${binaries[$(((round + m + b) % ${#binaries[@]}))]}"
        done
    done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
uptime_end=$(uptime)
stop_perf
say "measured in $(($(date +%s) - began)) s"

# --- verify nothing is left behind ------------------------------------------------

while read -r host id root _; do
    docker_on "$host" inspect --type container "$id" >/dev/null 2>&1 && problems+=("container $id still exists")
    [ -n "$(container_pids "$id")" ] && problems+=("processes still in /docker/$id")
    for dir in /sys/fs/cgroup/*/docker/"$id"; do [ -d "$dir" ] && problems+=("$dir still exists"); done
    grep -q " $root " /proc/mounts && problems+=("$root is still mounted")
done <"$started"
grep -q " $runs_dir" /proc/mounts && problems+=("a mount below $runs_dir remains")
if ((${#problems[@]})); then
    printf 'bench/downtime.sh: left behind: %s\n' "${problems[@]}" >&2
    exit 1
fi
say "verified: $(wc -l <"$started") containers removed, no processes, mounts or cgroup dirs left"

# --- results --------------------------------------------------------------------

rm -rf bench/out/downtime bench/out/downtime-sched.txt
mkdir -p bench/out/downtime
for run in "$runs_dir"/*; do
    mkdir -p "bench/out/downtime/${run##*/}"
    cp "$run"/{plan.yaml,events.jsonl,stderr,probe.json,meta.json,foo} "bench/out/downtime/${run##*/}/" 2>/dev/null || true
done
extra=()
if [ "$TRACE" = 1 ]; then
    # Only the three sched events, as text, for bench/write_downtime.py.
    perf script -i "$work/sched.data" -F pid,tid,time,event,trace >bench/out/downtime-sched.txt 2>"$work/perf-script.log" \
        || { cat "$work/perf-script.log" >&2; echo "bench/downtime.sh: perf script failed" >&2; exit 1; }
    extra+=(--sched bench/out/downtime-sched.txt)
fi
[ -n "${BASELINE:-}" ] && extra+=(--baseline "$BASELINE")
[ "$write" = 1 ] && extra+=(--write docs/benchmarks.md)
"$PYTHON" bench/write_downtime.py --runs bench/out/downtime --crplan "$crplan" --criu "$CRIU_BINARY" \
    --docker "$DOCKER_BINARY" --docker-host "$DOCKER_HOST" --probe-ms "$PROBE_MS" --warmup "$WARMUP" \
    --load-start "$load_start" --load-end "$load_end" --uptime-start "$uptime_start" --uptime-end "$uptime_end" \
    "${extra[@]}" | tee bench/out/downtime-summary.md
