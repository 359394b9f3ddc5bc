// `mailsrv/host`: the rules Node tools apply around the core, a WebAssembly module of its own.
import type { Candidate, DnssecStatus, FailureReason, Outcome, Plan, Security, Source, Verdict } from './index.js';
import { Discovery as BrowserDiscovery } from './index.js';

/** What to report to the negotiator's `tlsEstablished` for a verdict, given whether the user confirmed the server (the core's rule). */
export function tlsOutcome(verdict: Pick<Verdict, 'status'> | Verdict['status'], userConfirmed: boolean): 'verified' | 'user-confirmed' | 'not-verified';
/** Why each candidate of one side of a plan is where it is (the core's text), in order. */
export function explain(candidates: Candidate[]): string[];
/** The exit status of a command-line host by the core's policy: plan 0/1/3, probe 0/1/3, verify 0/1/4, autoconfig 0, bulk 0/2, usage 2, broken pipe 141, interrupted 130. */
export function exitStatus(command: 'plan', plan: Plan): number;
export function exitStatus(command: 'probe', plan: Plan, report: { incoming: { server: unknown }; outgoing: { server: unknown } }): number;
export function exitStatus(command: 'verify', verdict: Verdict): number;
export function exitStatus(command: 'autoconfig', parsed: Autoconfig): number;
/** Bulk mode (`plan --input`): 0 when `errorLines` is 0, else 2. */
export function exitStatus(command: 'bulk', errorLines: number): number;
/** `interrupted` is a bulk run stopped by SIGINT (130). */
export function exitStatus(command: 'usage' | 'broken-pipe' | 'interrupted'): number;
/** Whether a prober skips a candidate with this security (it never connects in cleartext). */
export function proberSkips(security: Security): boolean;
/** The longest chain `verifyChain` accepts, leaf included (16); collect at most one more. */
export function maxChainLength(): number;
/** The most bytes a host reads from one mail server connection (1 MiB); past it `probe` reports `TOO_MUCH_DATA`. */
export function maxConnectionBytes(): number;
/** A command-line value checked by the core, in its canonical spelling; throws `INVALID_OPTION` with the core's text. */
export function optionValue(option: 'tls-order' | 'prefer' | 'service' | 'minimum-security', value: string): string;
/**
 * A numeric command-line value by the core's rule, the same in every host: decimal digits only,
 * `timeout` and `total-timeout` 1 to 2147483647 (ms), `seed` 0 to 2^64 - 1, `concurrency` 1 to
 * 4096. Throws `INVALID_OPTION` with the core's text, which names the option and the range.
 */
export function numberValue(option: 'timeout' | 'total-timeout' | 'seed' | 'concurrency', text: string): bigint;
/** `--now` for the DNSSEC validator: seconds since 1970 from seconds or an RFC 3339 UTC time, read by the core; throws `INVALID_OPTION`. */
export function nowValue(text: string): number;
/** `minimumSecurity` for the switches --allow-cleartext and --implicit-tls-only; throws `INVALID_OPTION` for both. */
export function minimumSecurity(allowCleartext: boolean, implicitTlsOnly: boolean): 'implicit-tls' | 'starttls' | 'cleartext';
/** Wire A and AAAA queries for a candidate's host (for resolvers whose answers leave the additional section empty). */
export function addressQueries(host: string, messageId?: number): Uint8Array[];
/** The addresses of `host` in an A or AAAA answer, as text. */
export function addressesIn(response: Uint8Array, host: string): string[];
/** The error a prober fails a candidate with when the resolver the plan came from gives no address for its target (D50): `code` `NETWORK_ERROR`, the core's message (`no address for HOST from the resolver`, then `: DETAIL` when the resolver's own error text is given). Returned, for the caller to throw. */
export function noAddressError(host: string, detail?: string): Error & { code: 'NETWORK_ERROR' };
/** Whether the ALPN protocol a server selected (`null` when none) is acceptable for a candidate that offered `offered`. */
export function alpnAcceptable(offered: string[], selected: string | null): boolean;

/** One usable server section of an autoconfig document. */
export interface AutoconfigServer {
  /** The section's type, lower case: `imap`, `pop3`, `smtp`, `jmap`, `ews`, ... */
  protocol: string;
  host: string;
  port: number;
  security: Security;
  /** The URL of an URL-based type. */
  url?: string;
  username: string | null;
  /** In the document's spelling: `password-cleartext`, `OAuth2`, `sasl:PLAIN`, ... */
  authentication: string[];
  /** 1-based position among the document's sections of its kind. */
  section: number;
}
/** A finding about an autoconfig document (something dropped, ignored or doubtful). */
export interface AutoconfigDiagnostic {
  code: string;
  section?: { direction: 'incoming' | 'outgoing'; index: number };
  message: string;
}
/** A parsed autoconfig or ISPDB document (the core's `Autoconfig`). */
export interface Autoconfig {
  version: string | null;
  providerId: string | null;
  displayName: string | null;
  domains: string[];
  mxDomains: string[];
  incoming: AutoconfigServer[];
  outgoing: AutoconfigServer[];
  oauth2: { issuer: string; scope: string | null; authUrl: string | null; tokenUrl: string | null; clientId?: string | null } | null;
  diagnostics: AutoconfigDiagnostic[];
}
/** Parses an autoconfig document (the bytes as fetched) for `email`; throws with an `AUTOCONFIG_*` code when it is refused. */
export function parseAutoconfig(document: Uint8Array, email: string): Autoconfig;

/**
 * How bulk mode reads one line of input (the core's rule): `undefined` for a blank line or a `#`
 * comment, else the trimmed line and the address to plan (a bare domain as `postmaster@DOMAIN`).
 */
export function bulkLine(line: string): { input: string; address: string } | undefined;

/** One HTTP GET request of a discovery (decision D26). */
export interface HttpRequest { id: number; url: string; source: Source }
/** Why an HTTP request gave no response. */
export type HttpFailure = 'timeout' | 'network-error' | 'tls-error' | 'insecure-redirect' | 'too-large';
/**
 * The planner with the HTTP sources (the core's autoconfig parser): `discover` uses it in Node.
 * The DNS side is the browser entry's `Discovery`; the rest drives the requests and the MX
 * question.
 */
export class Discovery extends BrowserDiscovery {
  requests(): HttpRequest[];
  pendingRequests(): HttpRequest[];
  mxQuery(): { name: string; messageId: number; wire: Uint8Array } | undefined;
  receiveMx(response: Uint8Array, options?: { dnssec?: DnssecStatus }): Outcome;
  failMx(reason: FailureReason): void;
  receiveHttp(id: number, status: number, contentType: string | null, body: Uint8Array): 'document' | 'http-status' | 'content-type' | 'refused';
  failHttp(id: number, failure: HttpFailure): void;
}
/** The sources a host asks for: `list` (as `--sources` takes it) by the core, else its default with an HTTP client, else `['srv']`; throws `INVALID_OPTION`. */
export function hostSources(list: string | undefined, httpClient: boolean): Source[];
/** The file under a `--fixtures` directory that answers `url` (`<host>/<path>`), or `undefined` (404). */
export function fixturePath(url: string): string | undefined;
/** The status and content type of an offline answer. */
export function fixtureStatus(found: boolean, contentTypeFile: string | undefined): { status: number; contentType: string };
/** Whether a redirect of the request first sent to `firstUrl` may be followed to `nextUrl` (https only, unless the request was plain HTTP). */
export function redirectAllowed(firstUrl: string, nextUrl: string): boolean;
/** The most body bytes a host reads from one HTTP response (the autoconfig parser's cap, 65536). */
export function maxHttpBodyBytes(): number;
/** The most redirects a host follows for one request. */
export function maxHttpRedirects(): number;
/** The data of a bulk run's summary (`--summary-json`), counted by the core. */
export interface BulkSummaryData {
  lines: number;
  planned: number;
  errors: number;
  errorCodes: Record<string, number>;
  publishSrv: number;
  labels: Record<string, number>;
  notOffered: number;
  notOfferedLabels: Record<string, number>;
  lookupFailures: number;
  needsConfirmation: number;
}
/** The summary of a bulk run, counted by the core: `add` each result of `discoverMany`. */
export class BulkSummary {
  constructor();
  /** Counts `{ input, plan }` or `{ input, error: { code } }`. */
  add(result: { plan?: object; error?: { code: string } }): void;
  readonly lines: number;
  readonly errors: number;
  toJSON(): BulkSummaryData;
  free(): void;
}
