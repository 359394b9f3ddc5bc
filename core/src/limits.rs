//! Documented caps shared by the layers and the hosts.

/// The longest certificate chain accepted, leaf included. A host collects at most one more
/// certificate than this from the TLS stack, so that the core, not the host, refuses a longer
/// chain (`CHAIN_TOO_LONG`).
pub const MAX_CHAIN: usize = 16;

/// The most bytes a host reads from one mail server connection (1 MiB): the greeting, the
/// capabilities, the STARTTLS exchange and a login all fit in a few kilobytes, so a server that
/// sends more is flooding. A host that reaches the cap closes the connection and reports the
/// candidate failed with `TOO_MUCH_DATA`, whatever the negotiator's own caps would have said.
pub const MAX_CONNECTION_BYTES: usize = 1 << 20;

/// Most TLSA lookups (distinct SRV target and port pairs) of one discovery with the core's
/// DNSSEC validation (issue 15, decision D47). Each brings the A and AAAA lookups of its target,
/// so a plan adds at most 48 validated lookups. Six SRV labels with two targets each need 12;
/// pairs beyond the cap are left out of the plan with a diagnostic, since their TLSA could not be
/// asked (RFC 7673 §3.2 requires it).
pub const MAX_TLSA_LOOKUPS: usize = 16;

/// The longest `--timeout` or `--total-timeout` a host takes, in milliseconds: 2^31 - 1, the
/// longest timer Node and browsers keep (a longer one fires at once). One bound for every host.
pub const MAX_TIMEOUT_MS: u64 = 2_147_483_647;

/// The most lines bulk mode (`mailsrv plan --input`) keeps started at once (`--concurrency`).
pub const MAX_CONCURRENCY: u64 = 4096;

/// The most characters of a host's reason for a failed lookup that a plan shows
/// (`Discovery::fail_because`); the rest is cut, and characters that break a line (control
/// characters, line separators, bidirectional controls) are shown as U+FFFD, so a hostile
/// server's error text stays one short line.
pub const MAX_REASON_CHARS: usize = 200;

/// The whole-operation deadline a host uses when the user gives none, in milliseconds (60 s):
/// for a plan, every DNS question with its TCP retry; for a probe, the plan and every candidate
/// tried. It is a deadline for the whole operation, not a timeout per read, so a server that
/// drips a byte at a time cannot keep a host waiting; what has not arrived by then is reported
/// as `TIMEOUT`.
pub const DEFAULT_TOTAL_TIMEOUT_MS: u32 = 60_000;

/// The largest autoconfig document read, in bytes (the largest ISPDB file is 8.7 KB). A host
/// fetching one stops reading the body beyond this; the parser refuses a longer document
/// (`AUTOCONFIG_TOO_LARGE`).
#[cfg(feature = "autoconfig")]
pub const AUTOCONFIG_MAX_BYTES: usize = 64 * 1024;

/// The deepest element nesting accepted in an autoconfig document (`clientConfig` is depth 1; the
/// formats need 4).
#[cfg(feature = "autoconfig")]
pub const AUTOCONFIG_MAX_DEPTH: usize = 16;

/// The most XML nodes (elements, text runs, comments, processing instructions) an autoconfig
/// document may have; the XML reader stops at this many (`AUTOCONFIG_TOO_LARGE`).
#[cfg(feature = "autoconfig")]
pub const AUTOCONFIG_MAX_NODES: u32 = 16 * 1024;

/// The most `incomingServer` and `outgoingServer` sections, together, in one document (the ISPDB
/// has at most 6 of one kind).
#[cfg(feature = "autoconfig")]
pub const AUTOCONFIG_MAX_SERVERS: usize = 32;

/// The most `domain` elements in one document (the ISPDB has at most 191).
#[cfg(feature = "autoconfig")]
pub const AUTOCONFIG_MAX_DOMAINS: usize = 1024;

/// The most HTTP requests one discovery makes: provider autoconfig, well-known, plain-HTTP
/// autoconfig and the ISPDB in the first round, then at most four MX-derived ones (draft
/// steps 3.1–3.4). A request past the cap is not made, with a diagnostic (never reached by the
/// built-in sources; it bounds the state if sources are added).
pub const MAX_HTTP_REQUESTS: usize = 8;

/// The most MX records read from one answer; the first (lowest preference) of them decides the
/// MX-derived requests, and the rest are ignored with a diagnostic (`ignored-records`).
pub const MAX_MX_RECORDS: usize = 64;
