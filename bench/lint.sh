#!/usr/bin/env bash
# bench/lint.sh — crplan lint vs Python jsonschema on 10,000 generated plans.
#
#   bench/lint.sh                  build crplan (release), measure both, update docs/benchmarks.md
#   bench/lint.sh --python-only    measure only the Python validator (no crplan build)
#   bench/lint.sh --no-write       measure, print, leave docs/benchmarks.md alone
#
# Environment: PLANS (default 10000), RUNS (hyperfine runs per command, default 10),
# WARMUP (default 2), PYTHON (default python3), CRPLAN (use this binary instead of building).
#
# Steps: generate PLANS plans (bench/gen_plans.py) in a temp dir; check that
# `crplan lint` and bench/validate_plans.py both accept every one; measure
# both with hyperfine side by side (no shell: -N); take peak RSS from
# /usr/bin/time -v; write the numbers into the results section of
# docs/benchmarks.md (bench/write_results.py). Raw hyperfine JSON and the
# summary go to bench/out/ (git-ignored). Needs hyperfine and GNU time
# (Debian: apt-get install hyperfine time), python3 with
# scripts/requirements-test.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH

python_only=0
write=1
for arg in "$@"; do
    case $arg in
        --python-only) python_only=1 ;;
        --no-write) write=0 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "bench/lint.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

PLANS=${PLANS:-10000}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
PYTHON=${PYTHON:-python3}

for tool in hyperfine /usr/bin/time "$PYTHON"; do
    command -v "$tool" >/dev/null || { echo "bench/lint.sh: $tool not found (apt-get install hyperfine time python3)" >&2; exit 2; }
done
"$PYTHON" -c 'import jsonschema, yaml; yaml.CSafeLoader' 2>/dev/null || {
    echo "bench/lint.sh: $PYTHON lacks jsonschema or PyYAML with LibYAML: $PYTHON -m pip install -r scripts/requirements-test.txt" >&2
    exit 2
}

crplan=""
if [ "$python_only" = 0 ]; then
    if [ -n "${CRPLAN:-}" ]; then
        crplan=$CRPLAN
    else
        echo "== building crplan (release)" >&2
        swift build -c release --scratch-path .build-release --product crplan >&2
        crplan=$(swift build -c release --scratch-path .build-release --show-bin-path)/crplan
    fi
    "$crplan" lint --help >/dev/null 2>&1 || {
        echo "bench/lint.sh: $crplan has no working 'lint' subcommand (try --python-only)" >&2
        exit 2
    }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/crplan-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
plans=$work/plans
mkdir -p bench/out

echo "== generating $PLANS plans in $plans" >&2
"$PYTHON" bench/gen_plans.py "$PLANS" "$plans"
lines=$(cat "$plans"/*.yaml | wc -l)

echo "== checking that both sides accept every plan" >&2
"$PYTHON" bench/validate_plans.py "$plans"
if [ -n "$crplan" ]; then
    "$crplan" lint "$plans" >"$work/lint.out" 2>&1 || {
        echo "bench/lint.sh: crplan lint rejects generated plans:" >&2
        head -20 "$work/lint.out" >&2
        exit 1
    }
fi

echo "== measuring ($RUNS runs each, $WARMUP warm-up)" >&2
commands=(-n python "$PYTHON bench/validate_plans.py $plans")
if [ -n "$crplan" ]; then
    commands=(-n crplan "$crplan lint $plans" "${commands[@]}")
fi
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$work/hyperfine.json" "${commands[@]}"
cp "$work/hyperfine.json" bench/out/lint-hyperfine.json

# Peak RSS in kB, one run each, from GNU time.
peak_rss() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'
}
rss_python=$(peak_rss "$PYTHON" bench/validate_plans.py "$plans")
rss_crplan=""
if [ -n "$crplan" ]; then
    rss_crplan=$(peak_rss "$crplan" lint "$plans")
fi

write_flag=()
[ "$write" = 1 ] && write_flag=(--write docs/benchmarks.md)
"$PYTHON" bench/write_results.py \
    --hyperfine "$work/hyperfine.json" --plans "$PLANS" --lines "$lines" \
    --rss-python "$rss_python" --rss-crplan "$rss_crplan" \
    --python "$PYTHON" ${crplan:+--crplan "$crplan"} \
    "${write_flag[@]}" | tee bench/out/lint-summary.md
