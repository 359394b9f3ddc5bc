// TypeScript declarations for the `mailsrv` package's browser entry (the `browser` and `default`
// export conditions; checked by `npm run typecheck`). The Node entry (types/index.d.ts) adds
// `udpResolver`, `zoneResolver` and `probe`.

export type Service = 'submissions' | 'submission' | 'imaps' | 'imap' | 'pop3s' | 'pop3';
export type Protocol = 'imap' | 'pop3' | 'submission';
export type Security = 'implicit-tls' | 'starttls' | 'cleartext';
export type Trust = 'dnssec-secure' | 'in-domain' | 'needs-confirmation' | 'authenticated';
/** Where a candidate came from (decision D26). */
export type Source = 'srv' | 'autoconfig' | 'well-known' | 'ispdb' | 'mx-autoconfig' | 'mx-ispdb' | 'autoconfig-http';
export type Status = 'found' | 'not-offered' | 'not-published' | 'lookup-failed' | 'no-usable-records' | 'not-requested';
export type Outcome = 'pending' | 'records' | 'no-data' | 'nx-domain' | 'serv-fail' | 'refused' | 'other-error' | 'truncated' | 'malformed' | 'timeout' | 'network-error';
export type DnssecStatus = 'secure' | 'insecure' | 'bogus' | 'indeterminate';
/** How a lookup's DNSSEC status was obtained: the core's validator, a trusted AD bit, the host. */
export type DnssecSource = 'none' | 'validated' | 'trust-ad' | 'host';

/**
 * DNSSEC validation by the core (decision D43): `now` in seconds since 1970 or a `Date` (default:
 * this clock), `trustAnchors` the text of a trust-anchor file (DS or DNSKEY records in
 * presentation format, as unbound reads them; default: the IANA root anchors built into the core).
 * A bad anchor text throws `INVALID_OPTION`.
 */
export interface DnssecValidation {
  trustAnchors?: string;
  now?: number | Date;
}

/** A question of the DNSSEC validator (DS, DNSKEY, follow-ups), to send as the SRV questions. */
export interface DnssecQuery {
  messageId: number;
  /** The query name, absolute. */
  name: string;
  /** The RFC 1035 type number (43 DS, 48 DNSKEY, ...). */
  recordType: number;
  wire: Uint8Array;
}
export type FailureReason = 'timeout' | 'network-error' | 'nx-domain' | 'no-data' | 'serv-fail' | 'refused';

/** Planner options (all optional; secure defaults per RFC 8314 §5.2). */
export interface Options {
  imap?: boolean;
  pop3?: boolean;
  submission?: boolean;
  minimumSecurity?: 'implicit-tls' | 'starttls' | 'cleartext';
  tlsOrder?: 'implicit-first' | 'domain-priority';
  prefer?: 'imap' | 'pop3';
  trustAd?: boolean;
  messageIdBase?: number;
  /**
   * The sources to use (decision D26). `discover` in Node: default `['srv']` without `fetch`,
   * the core's default (every source but `autoconfig-http`) with it. The browser module has no
   * autoconfig parser: only `['srv']` (its default) is accepted there (D38).
   */
  sources?: Source[];
  /** The ISPDB base URL (https). */
  ispdbUrl?: string;
  /**
   * `new Discovery` only: validate DNSSEC in the core, with `now` in seconds (the Node build and
   * the validating planner of `initValidating()`; the browser module refuses it). `discover`
   * takes its own `dnssec` option instead.
   */
  dnssec?: { now: number; trustAnchors?: string };
}

export interface ReferenceIdentity { type: 'srv-id' | 'dns-id'; value: string }

export interface Candidate {
  service: Service;
  protocol: Protocol;
  host: string;
  port: number;
  security: Security;
  priority: number;
  weight: number;
  trust: Trust;
  referenceIdentities: ReferenceIdentity[];
  sni: string | null;
  sniAlternative: string | null;
  alpn: ('imap' | 'pop3')[];
  usernames: string[];
  addresses: string[];
  source: Source;
  /** The SRV owner name or the URL it came from. */
  origin: string;
  /** Every source that named the same server, when more than one did. */
  sources?: { source: Source; origin: string }[];
  /** For `needs-confirmation`: the registrable domain the user must confirm, in full. */
  confirm?: string;
  authentication?: string[];
  oauth2?: { issuer: string; scope?: string; authUrl?: string; tokenUrl?: string };
  /**
   * With the core's DNSSEC validation (the validating planner, Node), for an SRV candidate: the
   * DNSSEC status of `addresses`, obtained as `addressesSource` says (decision D51).
   */
  addressesDnssec?: 'secure' | 'insecure' | 'bogus' | 'indeterminate';
  /**
   * `validated`: the target's own A/AAAA lookups, validated by the core after a secure SRV
   * answer (D46). `srv-response`: the records that came with the SRV response, never validated
   * (`addressesDnssec` is then `insecure`). Present whenever `addressesDnssec` is (D51).
   */
  addressesSource?: 'validated' | 'srv-response';
}

export interface RequestReport {
  id: number;
  url: string;
  source: Source;
  outcome: 'pending' | 'document' | 'http-status' | 'content-type' | 'refused' | 'failed';
  status?: number;
}

export interface Lookup {
  id: number;
  service: Service;
  name: string;
  outcome: Outcome;
  dnssec: DnssecStatus;
  dnssecSource: DnssecSource;
  records: number;
}

export interface Diagnostic { code: string; service?: Service; message: string }

/** The plan; `schema/plan.schema.json` in the repository describes it. */
export interface Plan {
  email: string;
  domain: string;
  domainUnicode: string;
  incoming: { status: Status; protocol: 'imap' | 'pop3' | null; candidates: Candidate[] };
  incomingAlternatives: { protocol: 'imap' | 'pop3'; candidates: Candidate[] }[];
  outgoing: { status: Status; candidates: Candidate[] };
  lookups: Lookup[];
  diagnostics: Diagnostic[];
  expiresInSecs: number | null;
  /** HTTP requests (autoconfig, well-known, ISPDB, MX-derived); empty where the host asks DNS only. */
  requests: RequestReport[];
  mx?: { name: string; outcome: Outcome; dnssec: DnssecStatus; dnssecSource: DnssecSource; host?: string };
  /** What the user must confirm: each provider's registrable domain, in full. */
  confirm: { domain: string; hosts: string[]; sources: Source[] }[];
  /** True when every question and request that could change the plan is done. */
  final: boolean;
}

export interface PresentedIdentity { type: 'dns-id' | 'srv-id' | 'uri-id' | 'cn-id'; value: string; invalid?: string }

/**
 * What a verdict matched: a reference identity, or (with TLSA records) the TLSA record that
 * decided, its type naming the DANE usage and its value the record (`"3 1 1 0b9f…"`).
 */
export interface VerdictMatch { type: ReferenceIdentity['type'] | 'dane-ee' | 'dane-ta' | 'pkix-ta' | 'pkix-ee'; value: string }

/** What became of one TLSA record in a verification. */
export interface TlsaCheck {
  /** The record, `usage selector matching-type hex` (long data shortened). */
  record: string;
  outcome: 'matched' | 'no-match' | 'unusable' | 'not-tried';
  /** For a matched record: the depth of what it matched (0 the server certificate). */
  depth: number | null;
  why: string;
}

/** With TLSA records: the RRset's owner name and what became of each record. */
export interface DaneReport {
  /** `_<port>._tcp.<host>` (RFC 7673 §3.3). */
  name: string;
  /** False when no record was usable: the chain was then verified as without TLSA. */
  usable: boolean;
  /** For a DANE-TA or PKIX match: the reference identity the certificate presented. */
  identity: ReferenceIdentity | null;
  records: TlsaCheck[];
}

/** A certificate verdict; `schema/verdict.schema.json` describes it. */
export interface Verdict {
  status: 'verified' | 'needs-confirmation' | 'rejected';
  matched: VerdictMatch | null;
  reason: null | 'unknown-issuer' | 'expired' | 'not-yet-valid' | 'bad-signature' | 'wrong-key-usage' | 'name-constraints' | 'name-mismatch' | 'malformed-certificate' | 'other' | 'tlsa-mismatch';
  message: string;
  referenceIdentities: ReferenceIdentity[];
  presented: PresentedIdentity[];
  notes: string[];
  /** Only when TLSA records were given (`options.tlsa`). */
  dane?: DaneReport;
}

export interface Query { id: number; service: Service; name: string; messageId: number; wire: Uint8Array }

/**
 * The host-side codes of the core's error table (range 5xx): the JS helpers (resolvers, `probe`)
 * raise these, never lower-case variants.
 */
export type HostErrorCode = 'TIMEOUT' | 'NETWORK_ERROR' | 'TLS_FAILED' | 'ALPN_MISMATCH' | 'TOO_MUCH_DATA';

/**
 * Errors thrown by mailsrv: `code` is a name from the core's one error table in SCREAMING_SNAKE
 * case (`INVALID_DOMAIN`, `CHAIN_TOO_LONG`, a `HostErrorCode`, ...; `errorCode(name)` gives its
 * number), `INVALID_ARGUMENT` for a JS value that does not convert, or `WASM_LOAD_FAILED`
 * (a `WasmLoadError` from `init()`).
 */
export interface MailsrvError extends Error { code: string }

/**
 * Text that came from the server (a greeting, a refusal, a protocol violation quoting the
 * server): not authenticated. Never show it as mailsrv's or the application's own message.
 */
export type UntrustedText = string;

export class Discovery {
  constructor(email: string, options?: Options);
  queries(): Query[];
  receive(id: number, response: Uint8Array, options?: { dnssec?: DnssecStatus }): Outcome;
  receiveRecords(id: number, records: { priority: number; weight: number; port: number; target?: string; name?: string; ttl?: number }[], dnssec?: DnssecStatus): void;
  /** `because`: the host's reason for a lookup that failed, shown in the plan's `lookup-failed` diagnostic (its first 200 characters). */
  fail(id: number, reason: FailureReason, because?: string): void;
  pending(): Uint16Array;
  plan(options?: { seed?: number | bigint }): Plan;
  free(): void;
  // DNSSEC validation (option `dnssec`): in the Node build and the validating planner that
  // `initValidating()` loads, not in the browser module's `Discovery`.
  /** Whether the core validates DNSSEC in this discovery. */
  validatesDnssec?(): boolean;
  /** Every question of the validator so far. */
  dnssecQueries?(): DnssecQuery[];
  /** The validator's questions still to send (more may appear after each answer fed). */
  pendingDnssec?(): DnssecQuery[];
  /** Feeds the answer to the validator's question `messageId` (`"truncated"`: ask over TCP). */
  receiveDnssec?(messageId: number, response: Uint8Array): Outcome;
  /** Reports that the validator's question `messageId` got no usable answer. */
  failDnssec?(messageId: number): void;
}

/**
 * Verifies a server chain (DER, leaf first). `options.tlsa`: TLSA records in presentation form
 * (`"3 1 1 0b9f…"`) that the caller validated with DNSSEC for `_<candidate.port>._tcp.<candidate.host>`
 * (at most 32; the candidate then needs its `port`); with a usable one, `anchors` may be empty.
 * Node entry only: the browser entry's module has no DANE and throws `INVALID_OPTION` for
 * non-empty `tlsa` (decision D37).
 */
export function verifyChain(candidate: Pick<Candidate, 'service' | 'host' | 'trust'> & Partial<Candidate>, chain: Uint8Array[], anchors: Uint8Array[], nowMs: number, options?: { domain?: string; legacyCn?: boolean; tlsa?: string[] }): Verdict;
export function certificatesFromPem(pem: string): Uint8Array[];
export function version(): string;

/**
 * Sends a wire query and resolves to the wire answer, or rejects with a `MailsrvError` whose code
 * is a `HostErrorCode`. `queryTcp`, when present, asks over TCP: `discover` calls it for a
 * question whose answer the core reports `truncated`. `signal` aborts when the discovery is out
 * of time (its `totalTimeout`): close what the query holds open.
 */
export interface Resolver {
  randomIds?: boolean;
  /** A DNS-over-HTTPS resolver (`dohResolver`): `discover` validates DNSSEC by default. */
  doh?: boolean;
  /**
   * Zone files (`zoneResolver`), not a resolver: `probe` may use the system's name resolution for
   * a target they give no address for; with any other resolver that target fails (D50).
   */
  zone?: boolean;
  query(wire: Uint8Array, question?: Query, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  queryTcp?(wire: Uint8Array, question?: Query, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
}

// The core's host rules that `discover` needs (browsers too); the Node tools' rules are in
// `mailsrv/host` (types/host.d.ts).
/** Whether an error code thrown by `Discovery.receive` means a response to another question. */
export function isForeignResponse(code: string): boolean;
/** The number of a code in the core's error table (`errorCode('TIMEOUT')` is 500), else `undefined`. */
export function errorCode(name: string): number | undefined;
/** The `Discovery.fail` reason for a query that ended with this host error code. */
export function lookupFailure(code: string | undefined): 'timeout' | 'network-error';

/**
 * A `fetch`-like function for the HTTP sources: called as `fetch(url, { redirect: 'manual',
 * signal, headers })`; `discover` follows redirects itself (only those the core allows: within
 * https) and reads at most the core's body cap (64 KiB). A host-supplied one (a proxy: browsers
 * need one, autoconfig servers rarely send CORS headers) should not follow redirects itself.
 */
export type FetchLike = (url: string, init: { redirect: 'manual'; signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>;

/**
 * Plans `email` through `resolver`. `totalTimeout` (ms, default: the core's 60 s) bounds the
 * whole discovery, TCP retries and HTTP requests included: a question or request still open
 * then fails as `timeout`. `fetch` (Node only; the browser entry throws `INVALID_OPTION`) turns
 * on the HTTP sources: provider autoconfig, well-known, the ISPDB, MX-derived lookups (D26, D38).
 *
 * DNSSEC (D43): `dnssec` as validation options, or `validate: true`, makes the core validate
 * every answer (the browser entry then loads the validating planner, `initValidating`); it
 * validates by default for a DoH resolver, in Node and in browsers, unless `validate: false`,
 * `trustAd` or a `dnssec` status asserted by the host.
 */
export function discover(email: string, options: Omit<Options, 'dnssec'> & { resolver: Resolver; seed?: number | bigint; dnssec?: DnssecStatus | DnssecValidation; validate?: boolean; totalTimeout?: number; fetch?: FetchLike }): Promise<Plan>;
/**
 * A resolver that sends each query to the DNS-over-HTTPS endpoint `url` (an http(s) URL, else
 * `INVALID_OPTION`). In Node an https URL goes over HTTP/2 unless `fetch` is given.
 */
export function dohResolver(url: string, options?: { method?: 'GET' | 'POST'; fetch?: typeof fetch; timeout?: number }): Resolver;

export interface Capabilities {
  tls: boolean;
  keywords: string[];
  authMechanisms: string[];
  loginDisabled: boolean;
  preauthenticated: boolean;
  /** Server text: never show it as trusted. */
  greeting: UntrustedText;
}

export type NegotiationStep =
  | { type: 'send'; bytes: Uint8Array; secret?: true }
  | { type: 'need-more' }
  | { type: 'start-tls' }
  | { type: 'await-tls' }
  | { type: 'done'; capabilities: Capabilities }
  | { type: 'abort'; reason: AbortReason; untrustedText?: UntrustedText }
  | { type: 'logged-in' }
  | { type: 'login-failed'; untrustedText: UntrustedText };

/**
 * Why a negotiation was aborted (the core's `Abort`). The last five are the caps on what a
 * server may send (`mailsrv::negotiate`'s constants, docs/security.md): more than 65536 bytes
 * before TLS, more than 512 lines before TLS or in one IMAP response, more than 256
 * capabilities in one list, more than 128 lines in one SMTP reply, a SASL challenge over 2048
 * bytes.
 */
export type AbortReason =
  | 'injected-after-upgrade' | 'starttls-not-offered' | 'starttls-refused' | 'preauth-without-tls' | 'server-refused'
  | 'protocol-violation' | 'line-too-long' | 'certificate-not-verified' | 'no-authentication' | 'misuse'
  | 'too-much-before-tls' | 'too-many-lines' | 'too-many-capabilities' | 'reply-too-long' | 'challenge-too-large';

export interface ProbeResult {
  host: string;
  port: number;
  service: Service;
  security: Security;
  outcome: 'ok' | 'aborted' | 'rejected' | 'needs-confirmation' | 'error';
  capabilities?: Capabilities;
  verdict?: Verdict | null;
  abort?: { reason: AbortReason; untrustedText: UntrustedText | null };
  /**
   * `code`: a `HostErrorCode` (`TIMEOUT` at the deadline, `TOO_MUCH_DATA` past the byte cap per
   * connection), `INTERNAL` for a trap in the WebAssembly, or a core code such as `CHAIN_TOO_LONG`.
   */
  error?: { code: string; message: string };
  login?: { ok: boolean; username?: string; reason?: string };
}

export interface ProbeReport {
  email: string;
  domain: string;
  incoming: { server: { host: string; port: number; service: Service; security: Security } | null; tried: ProbeResult[] };
  outgoing: { server: { host: string; port: number; service: Service; security: Security } | null; tried: ProbeResult[] };
}

/**
 * Loads the planner's WebAssembly (once; a failed load is retried by the next call). In the
 * browser entry, call it before the synchronous API (`Discovery`, `verifyChain`,
 * `certificatesFromPem`, `version`); `discover` calls it itself. In Node it has already settled.
 * `wasm`: where the `.wasm` file is served from, for bundlers that do not follow
 * `new URL(..., import.meta.url)` (esbuild with `--loader:.wasm=file`).
 * Rejects with a `WasmLoadError`.
 */
export function init(options?: { wasm?: string | URL }): Promise<void>;

/**
 * Loads the validating planner (`mailsrv_validating`: the planner with the core's DNSSEC
 * validator) once and resolves to its exports; `discover` calls it when it validates. Call
 * it first to catch a load failure (`WasmLoadError`) or to say where its `.wasm` file is served
 * from. In Node the planner validates itself: it resolves at once.
 */
export function initValidating(options?: { wasm?: string | URL }): Promise<{ Discovery: typeof Discovery }>;

/**
 * The WebAssembly could not be fetched, compiled or instantiated: a 404, a network error, a
 * Content-Security-Policy without `'wasm-unsafe-eval'`, a file that is not WebAssembly.
 */
export class WasmLoadError extends Error {
  readonly name: 'WasmLoadError';
  readonly code: 'WASM_LOAD_FAILED';
  /** The module's URL. */
  readonly url: string;
  readonly cause: unknown;
}
