#!/usr/bin/env bash
# bench/migrate.sh — migrating one busybox counter, side by side: Podman's
# `checkpoint --export` + `rm` + `restore --import`, `crplan apply` of a
# migrate plan between this machine's two Docker engines (overlay2 → vfs),
# the same over ssh (the vfs engine behind the private sshd), and the local
# plan with `archive:` (write-archive runs inside the downtime, before the
# target starts).
#
#   bench/migrate.sh               measure and update docs/benchmarks.md
#   bench/migrate.sh --no-write    measure and print only
#
# Environment: RUNS (measured migrations per contender, default 7), WARMUP
# (unmeasured rounds first, default 1), CONTENDERS (default
# "podman crplan-local crplan-ssh crplan-archive"), CRPLAN (crplan binary; default: build
# release), PROBE_MS (probe poll interval, default 2), KEEP=1 (keep the
# temp dir). Needs root, python3, podman, zstd, a provisioned host
# (scripts/provision: both engines, CRIU, the private sshd).
#
# Every run: a fresh counter (`--network none`, busybox) that appends
# 0, 1, 2, ... every 20 ms to /foo (its own file, carried as a file change)
# and to /probe/foo, a bind mount of a host folder of this run, so the host
# sees every write wherever the container runs. bench/downtime_probe.py
# polls that file's size; the downtime is the longest pause between two
# writes (the last before the freeze → the first after the start), seen from
# the host's clock. Per phase: Podman's three commands (wall time) and CRIU's
# frozen time (`--print-stats`); crplan's steps (its `--events json`). The
# archive size: Podman's export file; crplan-archive's archive file; for the
# other crplan contenders the staging dir (<imageDir>/<run id>) as the
# `tar | zstd` stream send-staging sends. crplan-archive's archive must also
# pass `crplan import` (every checksum) afterwards, outside the timing, or
# the run is not counted. crplan's own time: its wall time
# minus the union of its printed commands (docker, criu, tar, ssh …), over
# the whole run and inside the downtime window. Afterwards /foo and
# /probe/foo must be unbroken sequences and the target must run; a run that
# fails is reported, not counted. Contenders are interleaved: round r starts
# with contender r mod N, so machine noise hits all alike.
#
# Podman runs on a private store in the temp dir (`--root`/`--runroot`), its
# busybox image imported there from busybox-static; containers and images
# this script creates are removed by id or by its own unique names only.
# The crplan contenders need a crplan whose executor runs `operation:
# migrate`; with one that refuses it they are reported as not run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH

. bench/lib.sh
bench_options migrate.sh 42 " (CRIU, podman and dockerd need it)" "$@"

RUNS=${RUNS:-7}
WARMUP=${WARMUP:-1}
PROBE_MS=${PROBE_MS:-2}
PYTHON=${PYTHON:-python3}
read -r -a contenders <<<"${CONTENDERS:-podman crplan-local crplan-ssh crplan-archive}"
WORKLOAD='i=0; while true; do echo $i >> /foo; echo $i >> /probe/foo; i=$(expr $i + 1); usleep 20000; done'


env_file=${CRPLAN_E2E_ENV_FILE:-/var/lib/crplan-e2e/env}
[ -r "$env_file" ] || { echo "bench/migrate.sh: $env_file missing: run scripts/provision first" >&2; exit 2; }
set -a; . "$env_file"; set +a
: "${DOCKER_HOST:?}" "${DOCKER_HOME:?}" "${CRPLAN_VFS_DOCKER_HOST:?}" "${CRPLAN_VFS_DOCKER_HOME:?}" "${DOCKER_BINARY:?}"
: "${CRPLAN_SSH_DESTINATION:?}" "${CRPLAN_SSH_PORT:?}" "${CRPLAN_SSH_IDENTITY:?}" "${CRPLAN_SSH_KNOWN_HOSTS:?}" "${CRPLAN_SSH_CONTROL_DIR:?}"
PODMAN=${CRPLAN_PODMAN_BINARY:-podman}
image=${CRPLAN_E2E_IMAGE:-busybox}

needs_crplan=0
for contender in "${contenders[@]}"; do
    case $contender in
        podman) ;;
        crplan-local|crplan-ssh|crplan-archive) needs_crplan=1 ;;
        *) echo "bench/migrate.sh: unknown contender $contender" >&2; exit 2 ;;
    esac
done
crplan=""
if [ "$needs_crplan" = 1 ]; then
    if [ -n "${CRPLAN:-}" ]; then
        crplan=$CRPLAN
    else
        say "building crplan (release)"
        swift build -c release --scratch-path .build-release --product crplan >&2
        crplan=$(swift build -c release --scratch-path .build-release --show-bin-path)/crplan
    fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/crplan-migrate.XXXXXX")
chmod 0755 "$work"
P=("$PODMAN" --root "$work/podman/root" --runroot "$work/podman/runroot" --tmpdir "$work/podman/tmp")
probe_pid=""
started=$work/started   # "<kind> <where> <id or name>" of every container this script started
: >"$started"
declare -A unavailable=()

stop_probe() {
    if [ -n "$probe_pid" ]; then
        kill -TERM "$probe_pid" 2>/dev/null || true
        wait "$probe_pid" 2>/dev/null || true
        probe_pid=""
    fi
}

remove_started() {
    local kind where name
    while read -r kind where name; do
        case $kind in
            podman) "${P[@]}" rm -f -t 0 "$name" >/dev/null 2>&1 || true ;;
            docker) "$DOCKER_BINARY" -H "$where" rm -f "$name" >/dev/null 2>&1 || true ;;
        esac
    done <"$started"
    : >"$started"
}

finish() {
    stop_probe
    remove_started
    if [ -d "$work/podman/root" ]; then
        "${P[@]}" rmi -f localhost/crplan-bench-busybox >/dev/null 2>&1 || true
        "${P[@]}" system reset -f >/dev/null 2>&1 || true
    fi
    if [ "${KEEP:-0}" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap finish EXIT

ms_now() { date +%s%N; }

lines_of() { [ -f "$1" ] && wc -l <"$1" || echo 0; }

wait_lines() {  # file, minimum lines, timeout in 10 ms ticks
    local tick
    for ((tick = 0; tick < $3; tick++)); do
        [ "$(lines_of "$1")" -ge "$2" ] && return 0
        sleep 0.01
    done
    return 1
}

start_probe() {  # run dir
    "$PYTHON" bench/downtime_probe.py --file "$1/probe/foo" --out "$1/probe.json" --interval-ms "$PROBE_MS" --ready "$1/probe.ready" &
    probe_pid=$!
    local tick
    for ((tick = 0; tick < 500; tick++)); do [ -e "$1/probe.ready" ] && return 0; sleep 0.01; done
    echo "bench/migrate.sh: the probe did not start" >&2
    exit 1
}

# --- Podman -----------------------------------------------------------------

podman_image() {
    "${P[@]}" image exists localhost/crplan-bench-busybox 2>/dev/null && return 0
    local bb root applet
    bb=$(dpkg -L busybox-static 2>/dev/null | grep -E '/bin/busybox$' | sed -n 1p)
    [ -n "$bb" ] || { echo "bench/migrate.sh: busybox-static is not installed" >&2; exit 2; }
    root=$work/busybox-root
    mkdir -p "$root"/{bin,etc,dev,proc,sys,tmp,root,var}
    chmod 1777 "$root/tmp"
    cp "$bb" "$root/bin/busybox"
    for applet in $("$root/bin/busybox" --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
    done
    tar -C "$root" -c . | "${P[@]}" import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - localhost/crplan-bench-busybox >/dev/null
}

run_podman() {  # run dir, name
    local run=$1 name=$2 t0 t1 t2 t3 status=0
    "${P[@]}" run -d --name "$name" --network none --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 \
        -v "$run/probe:/probe" localhost/crplan-bench-busybox sh -c "$WORKLOAD" >/dev/null
    echo "podman - $name" >>"$started"
    wait_lines "$run/probe/foo" 10 500 || { echo "the counter did not start" >"$run/error"; return 0; }
    start_probe "$run"
    t0=$(ms_now)
    "${P[@]}" container checkpoint "$name" --export "$run/archive.tar.zst" --print-stats >"$run/checkpoint-stats.json" 2>"$run/stderr" || status=$?
    t1=$(ms_now)
    [ "$status" = 0 ] && { "${P[@]}" rm "$name" >/dev/null 2>>"$run/stderr" || status=$?; }
    t2=$(ms_now)
    [ "$status" = 0 ] && { "${P[@]}" container restore --import "$run/archive.tar.zst" --print-stats >"$run/restore-stats.json" 2>>"$run/stderr" || status=$?; }
    t3=$(ms_now)
    local before
    before=$(lines_of "$run/probe/foo")
    wait_lines "$run/probe/foo" $((before + 10)) 500 || true
    stop_probe
    "${P[@]}" exec "$name" cat /foo >"$run/foo" 2>/dev/null || true
    local running
    running=$("${P[@]}" inspect -f '{{.State.Running}}' "$name" 2>/dev/null || echo false)
    cat >"$run/meta.json" <<EOF
{"contender": "podman", "exit_status": $status, "target_running": "$running",
 "phases_ns": {"checkpoint --export": $((t1 - t0)), "rm": $((t2 - t1)), "restore --import": $((t3 - t2))},
 "total_ns": $((t3 - t0)), "archive_bytes": $(stat -c %s "$run/archive.tar.zst" 2>/dev/null || echo 0)}
EOF
    "${P[@]}" rm -f -t 0 "$name" >/dev/null 2>&1 || true
}

# --- crplan -----------------------------------------------------------------

write_plan() {  # run dir, plan name, source id, target name, over ssh (0/1), archive path or ""
    local run=$1 name=$2 source=$3 target=$4 ssh=$5 archive=$6
    cat >"$run/plan.yaml" <<EOF
version: 1
name: $name
container: $source
operation: migrate
docker:
  binary: $DOCKER_BINARY
  host: $DOCKER_HOST
  home: $DOCKER_HOME
imageDir: $run/staging
target:
  docker:
    binary: $DOCKER_BINARY
    host: $CRPLAN_VFS_DOCKER_HOST
    home: $CRPLAN_VFS_DOCKER_HOME
  name: $target
  mounts:
    - destination: /probe
      source: $run/probe
EOF
    if [ "$ssh" = 1 ]; then
        cat >>"$run/plan.yaml" <<EOF
  ssh:
    destination: $CRPLAN_SSH_DESTINATION
    port: $CRPLAN_SSH_PORT
    identityFile: $CRPLAN_SSH_IDENTITY
    knownHostsFile: $CRPLAN_SSH_KNOWN_HOSTS
    controlDirectory: $CRPLAN_SSH_CONTROL_DIR
EOF
    fi
    cat >>"$run/plan.yaml" <<EOF
restore:
  checkpoint: bench-migrate
EOF
    if [ -n "$archive" ]; then
        echo "archive: $archive" >>"$run/plan.yaml"
    fi
}

run_crplan() {  # run dir, contender, unique name
    local run=$1 contender=$2 name=$3 source target="$3-target" ssh=0 archive_file="" t0 t1 status=0
    [ "$contender" = crplan-ssh ] && ssh=1
    [ "$contender" = crplan-archive ] && archive_file=$run/archive.tar.zst
    source=$("$DOCKER_BINARY" -H "$DOCKER_HOST" run -d --name "$name" --network none -v "$run/probe:/probe" "$image" sh -c "$WORKLOAD")
    echo "docker $DOCKER_HOST $source" >>"$started"
    echo "docker $CRPLAN_VFS_DOCKER_HOST $target" >>"$started"
    wait_lines "$run/probe/foo" 10 500 || { echo "the counter did not start" >"$run/error"; return 0; }
    write_plan "$run" "$name" "$source" "$target" "$ssh" "$archive_file"
    start_probe "$run"
    t0=$(ms_now)
    "$crplan" apply "$run/plan.yaml" --state-dir "$run/state" --events json >"$run/events.jsonl" 2>"$run/stderr" || status=$?
    t1=$(ms_now)
    if [ "$status" != 0 ] && grep -q "is not supported by this crplan's executor" "$run/stderr"; then
        stop_probe
        unavailable[$contender]="this crplan does not run operation: migrate yet"
        echo '{"contender": "'"$contender"'", "not_run": true}' >"$run/meta.json"
        return 0
    fi
    local before
    before=$(lines_of "$run/probe/foo")
    wait_lines "$run/probe/foo" $((before + 10)) 500 || true
    stop_probe
    "$DOCKER_BINARY" -H "$CRPLAN_VFS_DOCKER_HOST" exec "$target" cat /foo >"$run/foo" 2>/dev/null || true
    local running archive=0 staging_bytes=0 archive_kind="staging stream" import_status=null
    running=$("$DOCKER_BINARY" -H "$CRPLAN_VFS_DOCKER_HOST" inspect --type container -f '{{.State.Running}}' "$target" 2>/dev/null || echo false)
    # The run's own staging dir, <imageDir>/<run id> (not the -received copy an ssh run makes on this same machine,
    # nor the -archive folder write-archive lays the archive's members out in).
    local staged
    staged=$(find "$run/staging" -mindepth 1 -maxdepth 1 -type d ! -name '*-received' ! -name '*-archive' 2>/dev/null | head -n 1)
    if [ -n "$staged" ]; then staging_bytes=$(tar -C "$staged" -c . 2>/dev/null | zstd -q -c | wc -c); fi
    archive=$staging_bytes
    if [ -n "$archive_file" ]; then
        # The real archive file, and crplan's own check of it (every member's sha256), outside the timing.
        archive_kind=file
        archive=$(stat -c %s "$archive_file" 2>/dev/null || echo 0)
        import_status=0
        "$crplan" import "$archive_file" "$run/imported" >"$run/import.out" 2>"$run/import.err" || import_status=$?
    fi
    cat >"$run/meta.json" <<EOF
{"contender": "$contender", "exit_status": $status, "target_running": "$running",
 "apply_start_ns": $t0, "apply_end_ns": $t1, "total_ns": $((t1 - t0)), "archive_bytes": $archive,
 "archive_kind": "$archive_kind", "staging_stream_bytes": $staging_bytes, "import_status": $import_status}
EOF
    "$DOCKER_BINARY" -H "$CRPLAN_VFS_DOCKER_HOST" rm -f "$target" >/dev/null 2>&1 || true
    "$DOCKER_BINARY" -H "$DOCKER_HOST" rm -f "$source" >/dev/null 2>&1 || true
}

# --- rounds -----------------------------------------------------------------

for contender in "${contenders[@]}"; do
    [ "$contender" = podman ] && { say "podman: private store in $work/podman"; podman_image; }
done
runs_dir=$work/runs
mkdir -p "$runs_dir"
rounds=$((WARMUP + RUNS))
count=${#contenders[@]}
for ((round = 0; round < rounds; round++)); do
    for ((k = 0; k < count; k++)); do
        contender=${contenders[$(((round + k) % count))]}
        [ -n "${unavailable[$contender]:-}" ] && continue
        label=$(printf 'r%02d-%s' "$round" "$contender")
        run=$runs_dir/$label
        mkdir -p "$run/probe"
        measured=$([ "$round" -ge "$WARMUP" ] && echo true || echo false)
        name="crplan-bench-mig-$$-$round-$k"
        say "round $((round + 1))/$rounds: $contender ($([ "$measured" = true ] && echo measured || echo warm-up))"
        case $contender in
            podman) run_podman "$run" "$name" ;;
            crplan-*) run_crplan "$run" "$contender" "$name" ;;
        esac
        echo "$measured" >"$run/measured"
        remove_started
        [ -n "${unavailable[$contender]:-}" ] && say "$contender: not run (${unavailable[$contender]})"
    done
done

args=(--runs "$runs_dir" --probe-ms "$PROBE_MS" --warmup "$WARMUP")
for contender in "${!unavailable[@]}"; do args+=(--not-run "$contender=${unavailable[$contender]}"); done
[ "$write" = 1 ] && args+=(--write docs/benchmarks.md)
mkdir -p bench/out/migrate
cp -r "$runs_dir"/. bench/out/migrate/ 2>/dev/null || true
"$PYTHON" bench/write_migrate.py "${args[@]}"
