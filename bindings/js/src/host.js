// `mailsrv/host`: the rules Node tools apply around the core — exit statuses, the "why" of a
// candidate, command-line values, the prober's rules and the verdict → negotiator outcome. It is
// a WebAssembly module of its own (`mailsrv_host`), so that browsers do not download it with the
// planner; importing this loads it.
import init, {
  initSync,
  exitStatus,
  explain,
  tlsOutcome,
  proberSkips,
  maxChainLength,
  maxConnectionBytes,
  optionValue,
  numberValue,
  minimumSecurity,
  nowValue,
  addressQueries,
  addressesIn,
  alpnAcceptable,
  noAddressError,
  parseAutoconfig,
  bulkLine,
  BulkSummary,
  Discovery,
  hostSources,
  fixturePath,
  fixtureStatus,
  redirectAllowed,
  maxHttpBodyBytes,
  maxHttpRedirects,
} from '../wasm/mailsrv_host.js';
import { loadWasm } from './load.js';

await loadWasm(init, initSync, new URL('../wasm/mailsrv_host_bg.wasm', import.meta.url));

export { exitStatus, explain, tlsOutcome, proberSkips, maxChainLength, maxConnectionBytes, optionValue, minimumSecurity };
// A numeric command-line value (`--timeout`, `--total-timeout`, `--seed`, `--concurrency`) by the
// core's rule, the C host's too.
export { numberValue };
// `--now` for the DNSSEC validator (seconds, or RFC 3339 UTC), read by the core.
export { nowValue };
// The prober's address lookups, its failure when the resolver gives no address (D50), and its
// ALPN check.
export { addressQueries, addressesIn, noAddressError, alpnAcceptable };
// The autoconfig parser (`mailsrv autoconfig`); not in the browser module, whose size budget it
// would exceed (docs/decisions.md).
export { parseAutoconfig };
// How bulk mode (`mailsrv plan --input`, `discoverMany`) reads a line of input, and its
// end-of-run summary (the core's tally).
export { bulkLine, BulkSummary };
// The planner with the HTTP sources (the core's autoconfig parser), which `discover` uses in
// Node, and the web rules every host shares: which sources to ask for, `--fixtures` paths and
// answers, redirects, the body cap (the core's `host_web`).
export { Discovery, hostSources, fixturePath, fixtureStatus, redirectAllowed, maxHttpBodyBytes, maxHttpRedirects };
