# bench/lib.sh — what bench/downtime.sh, bench/migrate.sh and
# bench/overhead.sh share. Sourced (from the repository root), never run.

# bench_options NAME HELP_LAST_LINE WHY_ROOT ARGS...: the scripts' command
# line (--no-write sets write=0; -h/--help prints the header comment, lines
# 2..HELP_LAST_LINE of the script) and the root check.
bench_options() {
    local name=$1 help_end=$2 why=$3 arg
    shift 3
    write=1
    for arg in "$@"; do
        case $arg in
            --no-write) write=0 ;;
            -h|--help) sed -n "2,${help_end}p" "$0"; exit 0 ;;
            *) echo "bench/$name: unknown option $arg" >&2; exit 2 ;;
        esac
    done
    [ "$(id -u)" = 0 ] || { echo "bench/$name: run as root$why" >&2; exit 2; }
}

say() { echo "== $*" >&2; }

# --- process and container helpers (by pid and id only) -------------------------

alive() {  # pid is alive and not a zombie
    local state
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

in_container_cgroup() {  # pid sits in /docker/<id>
    grep -q "/docker/$2\$" "/proc/$1/cgroup" 2>/dev/null
}

container_pids() {  # live processes in the container's cgroup
    local file pid
    for file in /proc/[0-9]*/cgroup; do
        pid=${file#/proc/}; pid=${pid%/cgroup}
        if grep -q "/docker/$1\$" "$file" 2>/dev/null && alive "$pid"; then echo "$pid"; fi
    done
}
