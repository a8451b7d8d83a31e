#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time (the fuzz suite of
# tests/fuzz/meson.build calls it):  run.sh EXE NAME NTARGETS
#
# Seconds per target: IDP_FUZZ_SECONDS when set (tests/run.sh fuzz sets
# 300), else a share of IDP_FUZZ_BUDGET (default 270 s for all NTARGETS
# targets together), at most 30 s and at least 5 s each: the CI run.
# New inputs that reach new code collect in BUILD/tests/fuzz/corpus/NAME/
# and are kept across runs; the committed seeds in corpus/NAME/ are only
# read. A crash, leak, sanitizer report, slow input (> 10 s) or memory
# blow-up (> 2 GB) fails the run; the input is kept in
# BUILD/tests/fuzz/artifacts/NAME/ and printed.
set -euo pipefail
exe=$1 name=$2 ntargets=${3:-1}
src=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$(dirname "$exe")" && pwd)

secs=${IDP_FUZZ_SECONDS:-}
if [ -z "$secs" ]; then
	secs=$(( ${IDP_FUZZ_BUDGET:-270} / ntargets ))
	[ "$secs" -le 30 ] || secs=30
	[ "$secs" -ge 5 ] || secs=5
fi
work=$out/corpus/$name
art=$out/artifacts/$name
log=$out/$name.log
mkdir -p "$work" "$art"
dict=()
[ ! -f "$src/$name.dict" ] || dict=("-dict=$src/$name.dict")

echo "fuzz $name: ${secs} s, seeds $src/corpus/$name, log $log"
start=$out/.$name.start
touch "$start"
status=0
# libFuzzer stops itself after max_total_time; timeout(1) only guards a
# wedged process.
timeout -k 30 $((secs + 600)) "$exe" -max_total_time="$secs" -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art/" \
	"${dict[@]}" "$work" "$src/corpus/$name" >"$log" 2>&1 || status=$?

if [ "$status" -eq 0 ]; then
	grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)' \
		"$log" | tr '\n' ' '
	echo
	echo "fuzz $name: ok, corpus $(find "$work" -type f | wc -l) inputs"
	exit 0
fi
echo "fuzz $name: FAILED (exit $status); the end of $log:"
tail -n 80 "$log"
found=0
for f in $(find "$art" -type f -newer "$start" | sort); do
	found=1
	echo "--- input kept in $f ($(wc -c <"$f") bytes), as hex:"
	od -A d -t x1z -v "$f" | head -n 64
	echo "--- reproduce: $out/$(basename "$exe") $f"
	echo "--- after the fix, commit it: cp $f $src/corpus/$name/"
done
[ "$found" -eq 1 ] || echo "(no input was kept)"
exit 1
