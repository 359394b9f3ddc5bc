# mailsrv — common tasks. `make demo` and `make test` work on a fresh clone (see README).
CARGO ?= cargo
FUZZ_SECS ?= 600
FUZZ_TARGET ?= answers
DEMO_EMAIL ?= alice@example.net
## Third-party corpora for `make conformance`, read in place (never copied into the repository):
## ../shared/data when it exists, else none (each corpus is then reported as skipped).
CORPUS ?= $(wildcard ../shared/data)

.PHONY: all deps deps-demo demo wasm test fmt-check clippy doc unit deps-check c-test js-test js-bundlers e2e conformance latency world-up world-down bench bench-bulk fuzz clean

all: test

WASM_BINDGEN_VERSION := 0.2.130
WASM_DIR := target/wasm32-unknown-unknown/wasm
## The planner's Node build (`mailsrv_node`: profile wasm-node, opt-level 3, plans as JSON text).
WASM_NODE_DIR := target/wasm32-unknown-unknown/wasm-node
## The browser module has a workspace and Cargo.lock of its own (wasm/Cargo.toml says why); it
## shares this target directory.
WASM_ARGS := --locked --manifest-path wasm/Cargo.toml --target-dir $(CURDIR)/target
## Source paths in the modules (panic locations) are made relative, so that the shipped files do
## not name the builder's directories (checkout, cargo registry).
CARGO_HOME_DIR := $(or $(CARGO_HOME),$(HOME)/.cargo)
WASM_ENV := RUSTFLAGS="--remap-path-prefix=$(CURDIR)=mailsrv --remap-path-prefix=$(CARGO_HOME_DIR)/registry/src=crates"
JS := bindings/js
## The browser module's budget, gzipped (BENCHMARKS.md); `make wasm` fails above it. Its wasm-opt
## pass runs -Oz to a fixed point (--converge): about 0.5 KB gzipped less than one -Oz pass.
WASM_BUDGET := 200000
## The browser's validating planner (`mailsrv_validating`, loaded only when a page asks for DNSSEC
## validation; decision D43), gzipped: `make wasm` fails above it too (BENCHMARKS.md). Raised
## from 210,000 when the planner gained the targets' validated A/AAAA/TLSA lookups (D46: 216.1 KB).
WASM_VALIDATING_BUDGET := 220000
WASM_OPT_FLAGS := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue

## What the two README commands need, installed when missing (scripts/deps.sh says what and why;
## as root it installs, otherwise it prints the one apt-get line to run).
deps:
	@bash scripts/deps.sh test
deps-demo:
	@bash scripts/deps.sh demo

## The main job: the `mailsrv` CLI plans the demo domain shipped in testdata/ (no network): SRV
## and MX from the zone file, provider autoconfig, the ISPDB and the MX-derived lookup answered
## from testdata/fixtures/demo/http, merged into one plan with each candidate's sources.
demo: deps-demo wasm
	node $(JS)/bin/mailsrv.js plan --zone testdata/zones/demo.zone --fixtures testdata/fixtures/demo/http $(DEMO_EMAIL)

## The WebAssembly package: five wasm32 modules — mailsrv_wasm (planning and verification: what
## a browser loads, built for size, without DANE: D37), mailsrv_node (the same API built for speed,
## with DANE: what the Node entry loads), mailsrv_negotiate (the IMAP/POP3/SMTP negotiator), mailsrv_host (the rules
## Node tools apply around the core: exit statuses, explanations, command-line values) and
## mailsrv_zone (the zone-file host), the last three loaded on first use — each through wasm-bindgen (pinned) and
## wasm-opt from npm binaryen (Debian's binaryen 108 breaks the module), then a check that
## nothing is imported from `env`, with the sizes.
wasm: deps-demo $(JS)/node_modules/.installed
	@if ! wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)"; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi
	$(WASM_ENV) $(CARGO) build $(WASM_ARGS) --target wasm32-unknown-unknown --profile wasm
	wasm-bindgen --target web --out-dir $(JS)/wasm --out-name mailsrv_wasm $(WASM_DIR)/mailsrv_wasm.wasm
	$(WASM_ENV) $(CARGO) build $(WASM_ARGS) --target wasm32-unknown-unknown --profile wasm-node --features json-plan,dane,dnssec
	wasm-bindgen --target web --out-dir $(JS)/wasm --out-name mailsrv_node $(WASM_NODE_DIR)/mailsrv_wasm.wasm
	$(WASM_ENV) $(CARGO) build $(WASM_ARGS) --target wasm32-unknown-unknown --profile wasm --no-default-features --features negotiate
	wasm-bindgen --target web --out-dir $(JS)/wasm --out-name mailsrv_negotiate $(WASM_DIR)/mailsrv_wasm.wasm
	$(WASM_ENV) $(CARGO) build $(WASM_ARGS) --target wasm32-unknown-unknown --profile wasm --no-default-features --features host,dnssec
	wasm-bindgen --target web --out-dir $(JS)/wasm --out-name mailsrv_host $(WASM_DIR)/mailsrv_wasm.wasm
	$(WASM_ENV) $(CARGO) build $(WASM_ARGS) --target wasm32-unknown-unknown --profile wasm --no-default-features --features planner,dnssec
	wasm-bindgen --target web --out-dir $(JS)/wasm --out-name mailsrv_validating $(WASM_DIR)/mailsrv_wasm.wasm
	$(WASM_ENV) $(CARGO) build --locked -p mailsrv-wasm-zone --target wasm32-unknown-unknown --profile wasm
	wasm-bindgen --target web --out-dir $(JS)/wasm --out-name mailsrv_zone $(WASM_DIR)/mailsrv_wasm_zone.wasm
	for m in mailsrv_wasm mailsrv_node mailsrv_negotiate mailsrv_host mailsrv_validating mailsrv_zone; do \
	  level=-Oz; [ $$m = mailsrv_node ] && level=-O3; [ $$m = mailsrv_wasm ] && level="-Oz --converge"; \
	  $(JS)/node_modules/.bin/wasm-opt $$level $(WASM_OPT_FLAGS) $(JS)/wasm/$${m}_bg.wasm -o $(JS)/wasm/$${m}_bg.wasm || exit 1; \
	  budget=""; [ $$m = mailsrv_wasm ] && budget="--budget $(WASM_BUDGET)"; \
	  [ $$m = mailsrv_validating ] && budget="--budget $(WASM_VALIDATING_BUDGET)"; \
	  node $(JS)/test/check-wasm.js $(JS)/wasm/$${m}_bg.wasm $$budget || exit 1; done

$(JS)/node_modules/.installed: $(JS)/package.json $(JS)/package-lock.json
	cd $(JS) && npm ci --no-audit --no-fund
	touch $@

## Everything CI checks: formatting, clippy, docs, the sans-IO dependency rule, all Rust tests,
## then the C ABI: C tests under ASan+UBSan and valgrind, C++, install, the reference C host.
test: deps fmt-check clippy doc deps-check unit c-test js-test js-bundlers e2e

fmt-check:
	$(CARGO) fmt --all -- --check
	$(CARGO) fmt --manifest-path wasm/Cargo.toml --all -- --check

## The second pair lints the builds without DANE (feature `dane`): the core with `verify`
## alone and the browser module's default features, whose `verifyChain` refuses TLSA records.
clippy:
	$(CARGO) clippy --locked --workspace --all-targets --all-features -- -D warnings
	$(CARGO) clippy $(WASM_ARGS) --all-targets --all-features -- -D warnings
	$(CARGO) clippy --locked -p mailsrv --lib --features verify -- -D warnings
	$(CARGO) clippy $(WASM_ARGS) --all-targets -- -D warnings

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --locked --workspace --no-deps --all-features
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc $(WASM_ARGS) --no-deps --all-features

## The core must not depend on I/O, entropy or JS glue crates. Its default build (planning) has
## none; the `verify` feature adds only ring's getrandom/libc (ring's own RNG, never called).
FORBIDDEN := getrandom|libc|wasm-bindgen|js-sys|tokio|async-std|mio|socket2
deps-check:
	@bad=$$($(CARGO) tree --locked -p mailsrv -e normal --prefix none | sed 's/ .*//' \
	  | sort -u | grep -xE '$(FORBIDDEN)' || true); \
	if [ -n "$$bad" ]; then echo "core (default features) depends on: $$bad"; exit 1; fi
	@bad=$$($(CARGO) tree --locked -p mailsrv -e normal --features verify,dane,public-suffix-list,dnssec --prefix none \
	  | sed 's/ .*//' | sort -u | grep -xE '$(FORBIDDEN)' | grep -vxE 'getrandom|libc' || true); \
	if [ -n "$$bad" ]; then echo "core (verify) depends on: $$bad"; exit 1; fi
	@ver=$$($(CARGO) tree --locked -p mailsrv -e normal --features verify --prefix none | grep '^getrandom ' \
	  | head -n1 | cut -d' ' -f2); \
	via=$$($(CARGO) tree --locked -p mailsrv -e normal --features verify --prefix none -i "getrandom@$${ver#v}" \
	  | sed 's/ .*//' | sort -u | tr '\n' ' '); \
	case "$$via" in *"ring "*) ;; *) echo "getrandom reached by something other than ring: $$via"; exit 1;; esac
	@grep -A1 '^name = "idna_adapter"$$' wasm/Cargo.lock | grep -q '^version = "1\.0\.' \
	  || { echo "wasm/Cargo.lock must pin idna_adapter to the 1.0 stream (no Unicode tables; see wasm/Cargo.toml)"; exit 1; }
	@echo "deps-check: core has no I/O or entropy dependency (verify: only ring's unused RNG); the browser module pins idna_adapter 1.0"

unit:
	$(CARGO) build --locked --workspace --examples
	$(CARGO) test --locked --workspace --all-features
	$(CARGO) test --locked -p mailsrv --no-default-features --lib
	$(CARGO) test $(WASM_ARGS) --features json-plan --lib tape

c-test: deps
	$(MAKE) --no-print-directory -C bindings/c test

js-test: deps wasm
	cargo build --locked -q -p mailsrv --examples
	cd $(JS) && npm run typecheck && npm test

## The packed package built for the browser by Vite 8 and 7, webpack 5 and esbuild, each page run in
## headless Chromium (bindings/js/test/bundlers/bundlers.test.js). The bundlers are that test's
## own dependencies, installed from its package-lock.json.
js-bundlers: deps wasm $(JS)/test/bundlers/node_modules/.installed
	cd $(JS)/test/bundlers && npm test

$(JS)/test/bundlers/node_modules/.installed: $(JS)/test/bundlers/package.json $(JS)/test/bundlers/package-lock.json
	cd $(JS)/test/bundlers && npm ci --no-audit --no-fund
	touch $@

## End to end through the test world (Knot, Unbound with DNSSEC and DoH, Dovecot) started on
## loopback by testenv/world.sh and stopped afterwards, also on failure.
e2e: deps wasm
	$(MAKE) --no-print-directory -C bindings/c $(CURDIR)/target/c/mailsrv-plan
	$(CARGO) build --locked -q -p mailsrv --examples
	bash testenv/e2e.sh

## Replays third-party corpora from $(CORPUS) (core/examples/conformance.rs): every ISPDB file
## must parse and offer what a plain scan of it finds; OpenSSL's DANE cases in `dane/` go through
## the core's TLSA verification (cases that do not apply are listed with the reason); `dnssec-rpl/`
## is not replayed yet (said so, not counted as a pass); a missing corpus is reported as skipped.
conformance:
	$(CARGO) run --locked -q -p mailsrv --example conformance -- $(CORPUS)

## Discovery latency through dnsdist's 50 ms delay (a benchmark, not a test).
latency: wasm
	$(MAKE) --no-print-directory -C bindings/c $(CURDIR)/target/c/mailsrv-plan
	$(CARGO) build --locked -q -p mailsrv --examples
	bash testenv/latency.sh

## Start or stop the test world by hand (addresses in target/world/env).
world-up:
	bash testenv/world.sh up
world-down:
	bash testenv/world.sh down

## Criterion benchmarks and the JS bench (numbers go to BENCHMARKS.md by hand, with the machine).
bench: wasm $(JS)/bench/node_modules/.installed
	$(CARGO) bench --locked -p mailsrv
	cd $(JS) && npm run bench
	cd $(JS)/bench && npm run bench

## Bulk mode against the real resolver (a benchmark, not a test): Knot serves 10,000 generated
## zones in the JS bench corpus's mix, Unbound resolves; `mailsrv plan --input` against a
## hand-written Node loop of resolveSrv calls, and peak RSS for 10,000 and 100,000 lines
## (testenv/bench-bulk.sh; the world is stopped by PID afterwards).
bench-bulk: deps wasm $(JS)/bench/node_modules/.installed
	bash testenv/bench-bulk.sh

## The JS bench's own dependencies (dns-packet: the corpus's wire answers and the hand-written
## baseline planner), from its package-lock.json.
$(JS)/bench/node_modules/.installed: $(JS)/bench/package.json $(JS)/bench/package-lock.json
	cd $(JS)/bench && npm ci --no-audit --no-fund
	touch $@

## Fuzz a target (the nightly toolchain and cargo-fuzz are installed first when missing):
## `answers` (DNS answers and the planner), `certs` (the verifier), `negotiate` (the
## IMAP/POP3/SMTP negotiator), `dnssec` or `autoconfig`. An input that
## runs longer than FUZZ_TIMEOUT seconds, or makes the process pass FUZZ_RSS_MB of RSS (certs
## peaked at 468 MB over 300 s) or allocate more than FUZZ_MALLOC_MB at once, is a finding.
FUZZ_TIMEOUT ?= 10
FUZZ_RSS_MB ?= 1024
FUZZ_MALLOC_MB ?= 256
fuzz:
	rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	$(CARGO) +nightly fuzz --version > /dev/null 2>&1 || $(CARGO) install --locked cargo-fuzz
	cd core/fuzz && $(CARGO) +nightly fuzz run $(FUZZ_TARGET) -- -max_total_time=$(FUZZ_SECS) \
	  -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=$(FUZZ_RSS_MB) -malloc_limit_mb=$(FUZZ_MALLOC_MB)

clean:
	$(CARGO) clean
