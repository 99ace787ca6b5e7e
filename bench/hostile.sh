#!/usr/bin/env bash
# bench/hostile.sh — every hostile plan through the release `crplan lint`
# and `crplan plan`: each must end within 2 s and 200 MB of peak RSS, with
# exit 1 or 2 (`err-*` files), 0 (`warn-*`, `ok-*`) or any of 0, 1, 2
# (`any-*`: truncations and random mutations). Not a timed test: a measurement of
# the release build, whose summary goes into docs/reliability.md by hand.
#
#   bench/hostile.sh            build crplan (release), generate the corpus, check every file
#
# Environment: CRPLAN (use this binary instead of building), TIME_LIMIT
# (seconds, default 2), RSS_LIMIT_KB (default 204800). Needs GNU time
# (apt-get install time) and python3. Per-file results go to
# bench/out/hostile.tsv (git-ignored): file, command, exit, seconds, max RSS KB.
# Exit status: 0 when every file stays within the limits, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
TIME_LIMIT=${TIME_LIMIT:-2}
RSS_LIMIT_KB=${RSS_LIMIT_KB:-204800}
command -v /usr/bin/time >/dev/null || { echo "bench/hostile.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }

if [ -z "${CRPLAN:-}" ]; then
    # The same scratch path as bench/lint.sh, so the two share one release build.
    swift build -c release --scratch-path .build-release --product crplan >&2
    CRPLAN=$(swift build -c release --scratch-path .build-release --show-bin-path)/crplan
fi
out=bench/out
corpus=$out/hostile
rm -rf "$corpus"
mkdir -p "$corpus"
python3 scripts/gen-hostile-corpus.py "$corpus" >&2
results=$out/hostile.tsv
printf 'file\tcommand\texit\tseconds\tmax_rss_kb\n' > "$results"

failures=0
checked=0
slowest=0
largest=0
for file in "$corpus"/*; do
    name=$(basename "$file")
    for command in lint plan; do
        stats=$(mktemp)
        start=$(date +%s%N)
        set +e
        # The kill limit is well above the time limit, so a slow file is measured, not cut.
        timeout -s KILL 30 /usr/bin/time -f %M -o "$stats" "$CRPLAN" "$command" "$file" >/dev/null 2>&1
        status=$?
        set -e
        end=$(date +%s%N)
        rss=$(tail -1 "$stats" 2>/dev/null || echo 0)
        rm -f "$stats"
        [[ $rss =~ ^[0-9]+$ ]] || rss=0
        elapsed=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')
        printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$command" "$status" "$elapsed" "$rss" >> "$results"
        checked=$((checked + 1))
        (( rss > largest )) && largest=$rss
        slowest=$(awk -v a="$slowest" -v b="$elapsed" 'BEGIN { print (b > a) ? b : a }')
        problem=""
        case $name in
            err-*|hand-err-*) [[ $status == 1 || $status == 2 ]] || problem="exit $status, wanted 1 or 2" ;;
            ok-*|warn-*) [[ $status == 0 ]] || problem="exit $status, wanted 0" ;;
            *) [[ $status == 0 || $status == 1 || $status == 2 ]] || problem="exit $status, wanted 0, 1 or 2" ;;
        esac
        if awk -v t="$elapsed" -v l="$TIME_LIMIT" 'BEGIN { exit !(t > l) }'; then problem+=" ${elapsed}s > ${TIME_LIMIT}s"; fi
        (( rss > RSS_LIMIT_KB )) && problem+=" ${rss} KB > ${RSS_LIMIT_KB} KB"
        if [ -n "$problem" ]; then
            echo "FAIL $name ($command):$problem" >&2
            failures=$((failures + 1))
        fi
    done
done
files=$(ls "$corpus" | wc -l)
echo "$files files, $checked runs of $CRPLAN; slowest ${slowest}s, largest peak RSS ${largest} KB; $failures over a limit or with a wrong exit status"
echo "exit statuses (err-* / warn-* / ok-* / any-*):"
awk -F'\t' 'NR > 1 { kind = $1; sub(/^hand-/, "", kind); sub(/-.*/, "", kind); n[kind " " $2 " exit " $3]++ } END { for (k in n) print "  " k ": " n[k] }' "$results" | sort
[ "$failures" = 0 ]
