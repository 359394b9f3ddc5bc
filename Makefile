# mailsrv — common tasks. `make demo` and `make test` work on a fresh clone (see README).
CARGO ?= cargo
FUZZ_SECS ?= 600
DEMO_EMAIL ?= alice@example.net

.PHONY: all demo test fmt-check clippy doc unit deps-check bench fuzz clean

all: test

## The main job: plan the demo domain shipped in testdata/ (no network needed).
demo:
	$(CARGO) run --locked -q -p mailsrv --example plan -- --zone testdata/zones/demo.zone $(DEMO_EMAIL)

## Everything CI checks: formatting, clippy, docs, the sans-IO dependency rule, all tests.
test: fmt-check clippy doc deps-check unit

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --locked --workspace --all-targets --all-features -- -D warnings

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --locked --workspace --no-deps --all-features

## The core must not depend on I/O, entropy or JS glue crates (feature `zone` aside).
deps-check:
	@bad=$$($(CARGO) tree --locked -p mailsrv -e normal --prefix none | sed 's/ .*//' | sort -u \
	  | grep -xE 'getrandom|libc|wasm-bindgen|js-sys|tokio|async-std|mio|socket2' || true); \
	if [ -n "$$bad" ]; then echo "core depends on: $$bad"; exit 1; else echo "deps-check: core has no I/O or entropy dependency"; fi

unit:
	$(CARGO) build --locked --workspace --examples
	$(CARGO) test --locked --workspace --all-features

## Criterion benchmarks (numbers go to BENCHMARKS.md by hand, with the machine).
bench:
	$(CARGO) bench --locked -p mailsrv

## Fuzz the answer parser and planner (needs the nightly toolchain and cargo-fuzz).
fuzz:
	cd core/fuzz && $(CARGO) +nightly fuzz run answers -- -max_total_time=$(FUZZ_SECS) -rss_limit_mb=2048

clean:
	$(CARGO) clean
