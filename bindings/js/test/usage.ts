// Compile-only check of the TypeScript declarations (`npm run typecheck`).
import { ZoneHost, zoneResolver as zoneResolverNow } from 'mailsrv/zone';
import { Discovery, discover, dohResolver, zoneResolver, fixtureFetch, verifyChain, certificatesFromPem, type Plan, type Verdict, type MailsrvError } from 'mailsrv';

declare const zoneText: string;
declare const pem: string;

async function example(): Promise<string> {
  const plan: Plan = await discover('alice@example.net', { resolver: await zoneResolver([zoneText]), seed: 1n, tlsOrder: 'implicit-first' });
  const first = plan.incoming.candidates[0];
  const verdict: Verdict = verifyChain(first, certificatesFromPem(pem), certificatesFromPem(pem), 1811808000000, { domain: plan.domain });
  const d = new Discovery('alice@example.net', { minimumSecurity: 'implicit-tls' });
  for (const q of d.queries()) d.fail(q.id, 'timeout');
  const host = new ZoneHost();
  host.addZone(zoneText, false);
  const sync: Plan = await discover('alice@example.net', { resolver: zoneResolverNow([zoneText]) });
  // The HTTP sources (Node): offline from fixtures, or a host-supplied fetch.
  const offline: Plan = await discover('alice@example.net', { resolver: await zoneResolver([zoneText]), fetch: await fixtureFetch('testdata/fixtures/agree/http'), sources: ['srv', 'ispdb'], ispdbUrl: 'https://ispdb.example/v1.1/' });
  const viaProxy: Plan = await discover('alice@example.net', { resolver: await zoneResolver([zoneText]), fetch: (url, init) => fetch(`https://proxy.example/?u=${encodeURIComponent(url)}`, init) });
  void offline.requests[0]?.outcome;
  void viaProxy.confirm[0]?.domain;
  const viaDoh = await discover('alice@example.net', { resolver: dohResolver('https://dns.example/dns-query', { method: 'GET' }), totalTimeout: 5000 });
  // DNSSEC (D43): validated offline from a private root, or off for a DoH resolver.
  const validated: Plan = await discover('alice@example.test', { resolver: await zoneResolver([zoneText]), dnssec: { trustAnchors: zoneText, now: new Date() } });
  const unvalidated: Plan = await discover('alice@example.net', { resolver: dohResolver('https://dns.example/dns-query'), validate: false });
  void validated.lookups[0]?.dnssecSource;
  void unvalidated.mx?.dnssecSource;
  const v = new Discovery('alice@example.test', { dnssec: { now: 1800000000 } });
  for (const q of v.pendingDnssec?.() ?? []) v.receiveDnssec?.(q.messageId, q.wire);
  try {
    new Discovery('bad');
  } catch (e) {
    const err = e as MailsrvError;
    return err.code + verdict.status + viaDoh.domain + sync.domain + (d.plan({ seed: 3 }).expiresInSecs ?? 0);
  }
  return plan.email;
}
void example;

import { probe, type NegotiationStep } from 'mailsrv';
import { Negotiator } from 'mailsrv/negotiator';
async function probeExample(anchors: Uint8Array[]): Promise<string | null> {
  const n = new Negotiator('imap', 'starttls', 'client.example');
  const step: NegotiationStep = n.receive(new Uint8Array([42]));
  const { report } = await probe('alice@example.net', { resolver: await zoneResolver([zoneText]), anchors, acceptTargets: ['mail.example.net'] });
  return step.type === 'abort' ? step.reason : report.incoming.server?.host ?? null;
}
void probeExample;

import { isForeignResponse, errorCode, lookupFailure, type HostErrorCode, type UntrustedText } from 'mailsrv';
import { proberSkips, maxChainLength, maxConnectionBytes, optionValue, numberValue, minimumSecurity, tlsOutcome, exitStatus, explain, bulkLine, noAddressError } from 'mailsrv/host';
// Numeric command-line values by the core's rule: a BigInt (a seed takes all 64 bits).
const seed: bigint = numberValue('seed', '18446744073709551615') + numberValue('timeout', '3000');
void seed;
// D50: the core's error for a probed target the resolver gives no address, for the caller to throw.
const noAddress: { code: 'NETWORK_ERROR'; message: string } = noAddressError('mx.example.net', 'timed out');
void noAddress;
const bulkStatus: number = exitStatus('bulk', 0) + exitStatus('interrupted') + (bulkLine('example.net')?.address.length ?? 0);
void bulkStatus;
function hostRulesExample(step: NegotiationStep): string {
  const code: HostErrorCode = 'TIMEOUT';
  const text: UntrustedText | undefined = step.type === 'abort' || step.type === 'login-failed' ? step.untrustedText : undefined;
  const skip: boolean = proberSkips('cleartext') && isForeignResponse('NOT_A_RESPONSE');
  return `${code} ${errorCode(code) ?? 0} ${lookupFailure(code)} ${optionValue('prefer', 'imap')} ${minimumSecurity(false, true)} ${maxChainLength()} ${maxConnectionBytes()} ${skip} ${text ?? ''}`;
}
void hostRulesExample;

function cliRulesExample(plan: Plan, verdict: Verdict): number {
  const outcome: 'verified' | 'user-confirmed' | 'not-verified' = tlsOutcome(verdict, false);
  const why: string[] = explain(plan.incoming.candidates);
  return exitStatus('plan', plan) + exitStatus('verify', verdict) + exitStatus('usage') + why.length + outcome.length;
}
void cliRulesExample;

// The Node entry has `init` too (already settled) and the typed load error.
import { init, WasmLoadError } from 'mailsrv';
async function nodeInit(): Promise<string> {
  await init();
  return WasmLoadError.name;
}
void nodeInit;

// Bulk mode (Node entry).
import { discoverMany, linesOf, udpPool, type BulkResult } from 'mailsrv';
declare const input: AsyncIterable<Uint8Array>;
async function bulk(): Promise<number> {
  const pool = await udpPool({ server: '127.0.0.1:53', timeout: 2000 });
  let planned = 0;
  for await (const r of discoverMany(linesOf(input), { resolver: pool, concurrency: 8, ordered: false, totalTimeout: 5000 })) {
    const result: BulkResult = r;
    if (result.error) console.log(result.input, result.error.code);
    else planned += result.plan.incoming.candidates.length;
  }
  const { sent, resent, rto, srtt } = pool.stats();
  if (resent > 0) console.log(`${resent} of ${sent} sent again; resend after ${rto} ms, round trip ${srtt ?? '?'} ms`);
  pool.close();
  return planned;
}
void bulk;

// The web rules and the planner with HTTP sources (`mailsrv/host`).
import { Discovery as WebDiscovery, hostSources, fixturePath, fixtureStatus, redirectAllowed, maxHttpBodyBytes, maxHttpRedirects, type HttpFailure } from 'mailsrv/host';
function webExample(): number {
  const d = new WebDiscovery('alice@example.net', { sources: hostSources('srv,ispdb', true) });
  const failure: HttpFailure = 'too-large';
  for (const r of d.pendingRequests()) d.failHttp(r.id, failure);
  const mx = d.mxQuery();
  if (mx) d.receiveMx(mx.wire);
  const answer = fixtureStatus(fixturePath('https://h.example/x') !== undefined, undefined);
  return answer.status + maxHttpBodyBytes() + maxHttpRedirects() + Number(redirectAllowed('https://a/', 'https://b/')) + d.requests().length;
}
void webExample;
