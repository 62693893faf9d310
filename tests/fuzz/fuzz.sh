#!/usr/bin/env bash
# Fuzz on demand: every target (or the ones named) for SECONDS each, two at a time.
#   tests/fuzz/fuzz.sh BUILD_DIR SECONDS [TARGET...]      (./run fuzz [SECONDS] calls it)
# New inputs collect in BUILD_DIR/tests/fuzz/<target>/corpus; a crash is saved next to it as
# crash-<sha1> and the script exits non-zero. Turn a crash into a regression input with
#   cp BUILD_DIR/tests/fuzz/<target>/crash-… tests/fuzz/corpus/<target>/regression-<what>.bin
set -euo pipefail
build=${1:?usage: fuzz.sh BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: fuzz.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
src=$(cd "$(dirname "$0")" && pwd)
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$src/../sanitizer/lsan.supp:print_suppressions=0}
# The suppressions name GEOS functions, which only the slow unwinder sees (no frame pointers).
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0
targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in "$src"/targets/*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
status=0
run_one() {
  local t=$1 work="$build/tests/fuzz/$1"
  local dict=()
  [ -f "$src/dict/$t.dict" ] && dict=(-dict="$src/dict/$t.dict")
  mkdir -p "$work/corpus"
  "$build/bin/fuzz_$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -print_final_stats=1 \
    -artifact_prefix="$work/" "${dict[@]}" "$work/corpus" "$src/corpus/$t" >"$work/fuzz.log" 2>&1
}
# A crash: say where it is and show the end of libFuzzer's report (ctest prints it on failure).
crashed() {
  echo "CRASH in $1: see $build/tests/fuzz/$1/" >&2
  tail -n 60 "$build/tests/fuzz/$1/fuzz.log" >&2
}
pids=()
names=()
for t in "${targets[@]}"; do
  if [ ! -x "$build/bin/fuzz_$t" ]; then
    echo "fuzz.sh: $build/bin/fuzz_$t is missing (build with GEO_FUZZ=ON: ./run test --sanitize)" >&2
    exit 2
  fi
  echo "fuzzing $t for ${seconds}s (log: $build/tests/fuzz/$t/fuzz.log)"
  run_one "$t" & pids+=($!); names+=("$t")
  if ((${#pids[@]} == 2)); then
    for i in 0 1; do wait "${pids[$i]}" || { crashed "${names[$i]}"; status=1; }; done
    pids=(); names=()
  fi
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || { crashed "${names[$i]}"; status=1; }
done
for t in "${targets[@]}"; do
  grep -h "stat::number_of_executed_units\|stat::peak_rss_mb" "$build/tests/fuzz/$t/fuzz.log" 2>/dev/null |
    sed "s/^/$t: /" || true
done
exit $status
