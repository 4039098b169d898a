#!/bin/sh
# Run every benchmark once, one after another, and keep each output in bench/out/<name>.txt (git-ignored)
# (then copy the figures into bench/README.md). Takes about 25 minutes on 2 cores; needs Xvfb
# for the start-up and idle benchmarks. Extra arguments are ignored; edit the list to skip one.
#
#   sh bench/run_all.sh
set -u
cd "$(dirname "$0")/.." || exit 1
PY=.venv/bin/python
OUT=bench/out
mkdir -p "$OUT"
status=0
for name in bench_card_cycle bench_slip bench_outbox bench_fleet bench_catalog bench_ui_search \
            bench_startup bench_idle bench_endurance; do
    [ -f "bench/$name.py" ] || { echo "== $name: not present, skipped"; continue; }
    echo "== $name"
    start=$(date +%s)
    if "$PY" "bench/$name.py" >"$OUT/$name.txt" 2>&1; then
        echo "   done in $(( $(date +%s) - start )) s -> $OUT/$name.txt"
    else
        echo "   FAILED (exit $?) after $(( $(date +%s) - start )) s, see $OUT/$name.txt"
        status=1
    fi
done
exit $status
