#!/bin/sh
# `bench/instructions.sh DIR...`: instructions per plan through the JS API of each package copy
# DIR (src/ + wasm/), counted by valgrind (load-independent; V8's JIT and GC still move a count
# by a few per cent): (run with 10 rounds − run with 0 rounds) / (10 × 600 plans). A few
# minutes per DIR.
set -e
here=$(dirname "$0")
for dir in "$@"; do
  count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all-non-file \
      node --single-threaded "$here/instructions.mjs" "$dir" "$1" 600 2>&1 | sed -n 's/.*Collected : //p'
  }
  zero=$(count 0)
  ten=$(count 10)
  echo "$dir: $(( (ten - zero) / 6000 )) instructions per plan"
done
