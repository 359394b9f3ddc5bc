#!/usr/bin/env node
// mailsrv — plan and verify mail servers from the command line (see `mailsrv help`).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';

// D55: WebAssembly runs on V8's baseline code only, except in bulk mode (`plan --input`, which
// plans thousands and gains from the optimising tier). The host module (`mailsrv_host`) carries
// the Public Suffix List as one function of about 480 KB, which an MX-derived plan runs enough for
// V8 to optimise it in a background thread: a second of CPU or more (several on a loaded
// machine) that Node waits for at exit, after the output is written. V8 reads these flags as it
// compiles each module, so they are set before the modules are loaded (imported below).
const bulkRun = process.argv[2] === 'plan' && process.argv.slice(3).some((a) => a === '--input' || a.startsWith('--input='));
if (!bulkRun) {
  setFlagsFromString('--no-wasm-dynamic-tiering');
  setFlagsFromString('--no-wasm-tier-up');
}
const { discover, dohResolver, zoneResolver, udpResolver, verifyChain, certificatesFromPem, version, probe: probeEmail, fixtureFetch } = await import('../src/index.js');
const { exitStatus, explain, optionValue, numberValue, minimumSecurity, nowValue, parseAutoconfig, hostSources } = await import('../src/host.js');

const USAGE = `usage:
  mailsrv plan EMAIL [--json] [--zone FILE]... [--secure-zone FILE]... [--server IP[:PORT]]
                     [--doh URL] [--trust-ad] [--seed N] [--timeout MS] [--total-timeout MS]
                     [--tls-order implicit-first|domain-priority] [--allow-cleartext]
                     [--implicit-tls-only] [--prefer imap|pop3]
                     [--fixtures DIR] [--sources LIST] [--ispdb URL]
                     [--http-anchors FILE.pem] [--connect-to HOST:PORT:ADDR:PORT]...
                     [--trust-anchor FILE] [--now RFC3339|SECONDS] [--no-validate]
                     (DNSSEC: with --doh the core validates every answer from the built-in
                     IANA root anchors at this machine's time, unless --no-validate or
                     --trust-ad; --trust-anchor (DS or DNSKEY records, as unbound reads them)
                     or --now turns validation on with any resolver, --zone included;
                     --timeout per DNS query, default 3 s; --total-timeout for the whole
                     plan, TCP retries and HTTP included, default 60 s; --fixtures answers
                     HTTP from DIR/<host>/<path> offline; --sources srv,autoconfig,well-known,
                     autoconfig-http,ispdb,mx-autoconfig,mx-ispdb or default: SRV only unless
                     --fixtures or --sources is given; --connect-to sends connections for
                     HOST:PORT to ADDR:PORT like curl's, URL, SNI and certificate name
                     unchanged; --http-anchors replaces the HTTPS trust store)
  mailsrv plan --input FILE|- [--unordered] [--concurrency N] [--rate Q] [--timeout MS]
                     [--summary-json FILE] [the resolver and planner options of plan]
                     (bulk: one address or bare domain per line, NDJSON out in input order;
                     --timeout per domain, default 10 s; --concurrency default 16)
  mailsrv probe EMAIL [--json] [--zone FILE]... [--server IP[:PORT]] [--doh URL] [--seed N]
                     [--anchors FILE.pem] [--accept-target HOST]... [--now RFC3339]
                     [--trust-anchor FILE] [--no-validate]
                     [--timeout MS] [--total-timeout MS] [--password-env VAR]
                     [the planner options of plan: --tls-order, --prefer, --trust-ad, ...]
                     (--timeout per candidate, default 10 s; --total-timeout for all, planning
                     included, default 60 s; credentials only with --password-env, only over
                     verified TLS)
  mailsrv verify --email EMAIL --service SERVICE --host HOST --chain FILE.pem
                 [--anchors FILE.pem] [--dnssec-secure] [--now RFC3339] [--legacy-cn] [--json]
                 [--port P --tlsa "U S M HEX" [--tlsa ...]]
                 (--tlsa records are taken as DNSSEC-validated for _P._tcp.HOST: DANE decides)
  mailsrv autoconfig FILE --email EMAIL [--json]
                 (an autoconfig or ISPDB document, parsed for EMAIL)
  mailsrv --version

exit codes: plan   0 usable plan, 1 nothing usable, 2 usage or input error, 3 lookups failed;
                   with --input: 0 every line planned, 2 a line was an error line or usage
                   error, 130 interrupted (SIGINT)
            probe  0 a working server on every side that has candidates, 1 otherwise, 2 usage or
                   input error, 3 lookups failed
            verify 0 verified, 1 rejected, 2 usage or input error, 4 needs the user's confirmation
            autoconfig 0 the document was read, 2 usage error or the document was refused

every command also takes -h/--help; write an option's value as --opt VALUE or --opt=VALUE`;

/** `mailsrv COMMAND --help`: that command's lines and exit codes, cut out of USAGE. */
function usageOf(command) {
  const [synopsis, codes, footer] = USAGE.split('\n\n');
  const lines = synopsis.split(/\n(?=  mailsrv )/).filter((b) => b.startsWith(`  mailsrv ${command} `));
  const exits = codes.replace(/^exit codes: /, '').split(/\n(?=\s*[a-z]+ +\d)/).map((l) => l.trim())
    .filter((l) => l.startsWith(`${command} `));
  return `usage:\n${lines.join('\n')}\n\nexit codes: ${exits.join('\n')}\n\n${footer}`;
}

class UsageError extends Error {}

/**
 * Checks a value with the core (`optionValue`, `numberValue`, `minimumSecurity`): its
 * INVALID_OPTION error becomes a usage error that names the option (`option`, or `undefined`
 * when the core's text names it already), with the core's text.
 */
function checked(option, check) {
  try {
    return check();
  } catch (e) {
    if (e?.code === 'INVALID_OPTION') throw new UsageError(option === undefined ? e.message : `${option}: ${e.message}`);
    throw e;
  }
}

/**
 * Parses a command's arguments with node:util parseArgs. `spec` maps each long option to 'flag',
 * 'value' or 'list' (repeatable); every command also gets -h/--help. Returns the values with the
 * positionals in `_`; parseArgs's errors become one-line usage errors naming the option.
 */
function parse(argv, spec) {
  const options = { help: { type: 'boolean', short: 'h' } };
  for (const [name, kind] of Object.entries(spec)) {
    options[name] = kind === 'flag' ? { type: 'boolean' } : { type: 'string', multiple: kind === 'list' };
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    return { ...values, _: positionals };
  } catch (e) {
    if (!String(e?.code).startsWith('ERR_PARSE_ARGS_')) throw e;
    // Messages look like "Unknown option '--x'. …", "Option '-h, --help' does not take an argument"
    // or "Option '--zone <value>' argument missing": keep the option, say the rest in one line.
    const first = e.message.split('\n')[0];
    const option = /^[^']*'(?:-\w, )?(-[^\s']*)/.exec(first)?.[1];
    if (option === undefined) throw new UsageError(first);
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${option}`);
    if (/does not take/.test(first)) throw new UsageError(`${option} takes no value`);
    if (/ambiguous/.test(first)) throw new UsageError(`${option} needs a value (write ${option}=VALUE for one that starts with "-")`);
    throw new UsageError(`${option} needs a value`);
  }
}

function readText(path, what) {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} "${path}": ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

/**
 * One side of a plan. With `sources` (a plan that asked more than SRV), a line under each
 * candidate names every source that named it, and what the user must confirm.
 */
function table(title, list, sources) {
  console.log(title);
  if (list.length === 0) { console.log('  (none)'); return; }
  const width = Math.max(...list.map((c) => `${c.host}:${c.port}`.length), 9);
  console.log(`   #  ${pad('server', width)}  ${pad('security', 12)}  prio  weight  why`);
  const whys = explain(list);
  list.forEach((c, i) => {
    console.log(`  ${lpad(i + 1, 2)}  ${pad(`${c.host}:${c.port}`, width)}  ${pad(c.security, 12)}  ${lpad(c.priority, 4)}  ${lpad(c.weight, 6)}  ${whys[i]}`);
    if (!sources) return;
    const from = (c.sources ?? [{ source: c.source, origin: c.origin }]).map((p) => `${p.source} ${p.origin}`).join('; ');
    console.log(`      from ${from}${c.confirm ? `\n      needs confirmation: the user must confirm ${c.confirm}` : ''}`);
  });
}

function printPlan(plan) {
  const domain = plan.domainUnicode === plan.domain ? plan.domain : `${plan.domainUnicode}, ${plan.domain}`;
  console.log(`Mail servers for ${plan.email} (${domain})\n`);
  const sources = plan.requests.length > 0 || plan.mx !== undefined;
  table(plan.incoming.protocol ? `Incoming (${plan.incoming.protocol.toUpperCase()}):` : `Incoming: ${plan.incoming.status}`, plan.incoming.candidates, sources);
  for (const alt of plan.incomingAlternatives) table(`Alternative incoming (${alt.protocol.toUpperCase()}), only if you choose it:`, alt.candidates, sources);
  table(plan.outgoing.candidates.length ? 'Outgoing (submission):' : `Outgoing: ${plan.outgoing.status}`, plan.outgoing.candidates, sources);
  if (plan.confirm.length) {
    console.log('\nThe user must confirm, before any password is sent:');
    for (const c of plan.confirm) console.log(`  ${c.domain}  (${c.hosts.join(', ')}; from ${c.sources.join(', ')})`);
  }
  const first = plan.incoming.candidates[0] ?? plan.outgoing.candidates[0];
  if (first) {
    console.log(`\nCertificates must match: ${first.referenceIdentities.map((r) => r.value).join(' or ')} (first candidate)`);
    console.log(`Log in as: ${first.usernames.join(', then ')}`);
  }
  console.log('\nLookups:');
  for (const l of plan.lookups) console.log(`  ${pad(l.name, 42)} ${pad(l.outcome, 13)} ${lpad(l.records, 3)} record(s)  ${l.dnssec}`);
  if (plan.mx) console.log(`  ${pad(`MX ${plan.mx.name}`, 42)} ${pad(plan.mx.outcome, 13)} ${plan.mx.host ?? '-'}  ${plan.mx.dnssec}`);
  if (plan.requests.length) {
    console.log('\nRequests:');
    for (const r of plan.requests) console.log(`  ${pad(r.source, 15)} ${pad(r.outcome, 13)} ${lpad(r.status ?? '', 3)}  ${r.url}`);
  }
  if (plan.diagnostics.length) {
    console.log('\nDiagnostics:');
    for (const d of plan.diagnostics) console.log(`  [${d.code}] ${d.message}`);
  }
  console.log(plan.expiresInSecs === null ? '\nNothing was answered; do not cache this plan.' : `\nPlan valid for ${plan.expiresInSecs} s (smallest TTL).`);
}

const PLAN_OPTIONS = {
  json: 'flag', zone: 'list', 'secure-zone': 'list', server: 'value', doh: 'value', 'trust-ad': 'flag', seed: 'value',
  timeout: 'value', 'total-timeout': 'value', 'tls-order': 'value', 'allow-cleartext': 'flag', 'implicit-tls-only': 'flag', prefer: 'value',
  input: 'value', unordered: 'flag', concurrency: 'value', rate: 'value', 'summary-json': 'value',
  fixtures: 'value', sources: 'value', ispdb: 'value', 'connect-to': 'list', 'http-anchors': 'value',
  'trust-anchor': 'value', now: 'value', 'no-validate': 'flag',
};

const BULK_ONLY = ['unordered', 'concurrency', 'rate', 'summary-json'];

async function plan(o) {
  if (o.input !== undefined) return planMany(o);
  for (const k of BULK_ONLY) if (o[k] !== undefined) throw new UsageError(`--${k} needs --input`);
  if (o._.length !== 1) throw new UsageError('plan needs exactly one email address');
  const result = await discover(o._[0], await discoverOptions(o));
  if (o.json) console.log(JSON.stringify(result, null, 2));
  else printPlan(result);
  return exitStatus('plan', result);
}

/**
 * A numeric option (`timeout`, `total-timeout`, `concurrency`) as a number, or `fallback` when
 * absent: the core reads it (`numberValue`: decimal digits within the option's bounds, the rule
 * of every host), and its text, which names the option and the range, is the usage error.
 */
function number(o, name, fallback) {
  if (o[name] === undefined) return fallback;
  return Number(checked(undefined, () => numberValue(name, o[name])));
}

/**
 * `mailsrv plan --input FILE|-`: bulk mode. One NDJSON line per input line (blank lines and `#`
 * comments skipped): `{"input", "plan"}` or `{"input", "error": {"code", "message"}}`; the plan
 * of a bare domain is that of `postmaster@DOMAIN`. `--server` (or the system's nameserver) goes
 * through one pool of UDP sockets shared by every domain; `--rate` is a token bucket on the
 * queries sent. Exit: the core's `exitStatus('bulk', errorLines)` (0 when every line was
 * planned, else 2), `exitStatus('interrupted')` after SIGINT (the lines written are complete).
 * The summary goes to stderr.
 */
async function planMany(o) {
  if (o._.length !== 0) throw new UsageError('plan --input takes no address argument');
  if (o['total-timeout'] !== undefined) throw new UsageError('with --input, --timeout bounds each domain; --total-timeout does not apply');
  const concurrency = number(o, 'concurrency', 16);
  const domainTimeout = number(o, 'timeout', 10000);
  let rate;
  if (o.rate !== undefined) {
    rate = Number(o.rate);
    if (!(rate > 0) || !Number.isFinite(rate)) throw new UsageError('--rate must be a positive number of queries per second');
  }
  const bulk = await import('../src/bulk.js');
  let pool;
  const options = await discoverOptions({ ...o, timeout: String(domainTimeout) }, (timeout) => {
    pool = bulk.udpPool({ server: o.server, timeout });
    return pool;
  });
  options.totalTimeout = domainTimeout;
  const { createReadStream, statSync, accessSync, constants } = await import('node:fs');
  const { dirname } = await import('node:path');
  const unreadable = (e) => new UsageError(`cannot read input file "${o.input}": ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  /** @type {import('node:fs').Stats | undefined} the input file's, read once */
  let stat;
  if (o.input !== '-') {
    try {
      stat = statSync(o.input);
    } catch (e) {
      throw unreadable(e);
    }
    if (stat.isDirectory()) throw new UsageError(`cannot read input file "${o.input}": it is a directory`);
  }
  const open = (p) => (p === '-' ? process.stdin : createReadStream(p));
  const input = open(o.input);
  await new Promise((resolve, reject) => {
    if (o.input === '-') { resolve(); return; }
    input.once('open', resolve);
    input.once('error', (e) => reject(unreadable(e)));
  });
  // A summary file that cannot be written is a usage error before the run, not after it (it is
  // checked, not opened: an existing one stays as it is until the run's summary replaces it).
  const summaryPath = o['summary-json'];
  if (summaryPath !== undefined) {
    try {
      const existing = statSync(summaryPath, { throwIfNoEntry: false });
      if (existing?.isDirectory()) throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
      accessSync(existing ? summaryPath : dirname(summaryPath), constants.W_OK);
    } catch (e) {
      throw new UsageError(`cannot write summary file "${summaryPath}": ${e.code === 'ENOENT' ? 'no such directory' : e.message}`);
    }
  }

  const summary = new bulk.BulkSummary();
  // Only a regular file is read twice (to count its lines first): a pipe, a FIFO or a device
  // read for counting would leave nothing to plan.
  const progress = await progressLine(stat?.isFile() ? o.input : undefined, bulk, summary);
  let interrupted = false;
  let wake = () => {};
  process.once('SIGINT', () => { interrupted = true; wake(); });
  // A fresh promise per wait: racing one long-lived promise would keep a reaction (and the
  // result it settled with) per line, and memory would grow with the input.
  const orStop = (p) => Promise.race([p, new Promise((r) => { wake = r; })]);
  const results = bulk.planLines(bulk.linesOf(input), { ...options, concurrency, rate, ordered: !o.unordered });
  const output = batchedOutput(process.stdout);
  try {
    for (;;) {
      const next = await orStop(results.next());
      if (interrupted || next.done) break;
      // Written, then counted: counting frees the core's plan text that the parts copy from.
      const drained = output.write(next.value.parts);
      next.value.count(summary);
      if (drained) await orStop(drained);
      progress.tick();
    }
  } finally {
    // The lines taken so far are whole and counted in the summary: out they go, interrupted or not.
    output.flush();
    progress.end();
  }
  const data = { ...summary.toJSON(), interrupted };
  process.stderr.write(summaryText(data));
  if (pool) process.stderr.write(poolText(pool.stats()));
  if (summaryPath !== undefined) {
    const { writeFileSync } = await import('node:fs');
    try {
      writeFileSync(summaryPath, `${JSON.stringify(data, null, 2)}\n`);
    } catch (e) {
      // One line naming the file, and 2, as a failed write of the output is (no code prefix:
      // the message has it).
      throw new UsageError(`cannot write summary file "${summaryPath}": ${e.message}`);
    }
  }
  // The lines written are whole (each one write); what is still in flight is dropped.
  if (interrupted) {
    const status = exitStatus('interrupted');
    process.stdout.write('', () => process.exit(status));
    return status;
  }
  pool?.close();
  input.destroy?.();
  return exitStatus('bulk', data.errors);
}

/**
 * Bulk mode's NDJSON output to `stream`, written in batches: the lines taken in one turn of the
 * event loop go out in one write (at `setImmediate`, or as soon as 64 KiB are waiting), not one
 * write per line (with stdout on a file, a `writeSync` each: 5 % of bulk mode's CPU). A line
 * comes as its parts (strings, or the core's plan text, which its `copyInto` copies from the
 * module's memory), copied into the batch's buffer: no string is made of a plan. Lines are only
 * ever written whole. `write(parts)` returns undefined, or a promise to wait for when the
 * stream wants no more for now (its 'drain'); `flush()` writes what is waiting.
 */
function batchedOutput(stream) {
  const BATCH = 65536;
  let buffer = Buffer.allocUnsafe(2 * BATCH);
  let used = 0;
  let scheduled = false;
  let drained;
  const room = (bytes) => {
    if (used + bytes <= buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * buffer.length, used + bytes));
    buffer.copy(bigger, 0, 0, used);
    buffer = bigger;
  };
  const flush = () => {
    scheduled = false;
    if (used === 0) return;
    // The stream keeps the chunk it is given: the next lines go to a new buffer.
    const chunk = buffer.subarray(0, used);
    buffer = Buffer.allocUnsafe(2 * BATCH);
    used = 0;
    if (!stream.write(chunk) && drained === undefined) {
      drained = new Promise((r) => stream.once('drain', () => { drained = undefined; r(); }));
    }
  };
  return {
    write(parts) {
      for (const part of parts) {
        if (typeof part === 'string') {
          room(Buffer.byteLength(part));
          used += buffer.write(part, used);
        } else {
          room(part.length);
          used += part.copyInto(buffer, used);
        }
      }
      if (used >= BATCH) flush();
      else if (!scheduled) { scheduled = true; setImmediate(flush); }
      return drained;
    },
    flush,
  };
}

/** The summary of a bulk run, for people. */
function summaryText(s) {
  const list = (m) => Object.entries(m).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  return [
    `mailsrv: ${s.lines} line(s)${s.interrupted ? ' (interrupted)' : ''}: ${s.planned} planned, ${s.errors} error line(s)${s.errors ? ` (${list(s.errorCodes)})` : ''}`,
    `  publish SRV: ${s.publishSrv} (labels: ${list(s.labels)})`,
    `  say "." for a label: ${s.notOffered} (labels: ${list(s.notOfferedLabels)})`,
    `  a lookup failed: ${s.lookupFailures}`,
    `  a candidate needs confirmation: ${s.needsConfirmation}`,
    '',
  ].join('\n');
}

/** The UDP pool's line of the summary: queries sent, copies sent again, the resend timeout (D61). */
function poolText({ sent, resent, stray, rto, srtt }) {
  const measured = srtt === undefined ? 'nothing measured' : `round trip ${srtt.toFixed(1)} ms`;
  return `  UDP queries: ${sent}, sent again: ${resent}, late answers: ${stray} (resend after ${Math.round(rto)} ms, ${measured})\n`;
}

/** The progress line on stderr (a terminal only): done/total, rate, ETA, errors. */
async function progressLine(file, bulk, summary) {
  if (!process.stderr.isTTY) return { tick() {}, end() {} };
  let total;
  if (file !== undefined) {
    // The total, counted first by streaming the file once (memory stays flat; stdin, a pipe or
    // a FIFO has none: `file` is then undefined).
    let n = 0;
    const { createReadStream } = await import('node:fs');
    for await (const line of bulk.linesOf(createReadStream(file))) if (bulk.addressOf(line)) n += 1;
    total = n;
  }
  const started = Date.now();
  let last = 0;
  const draw = () => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? summary.lines / secs : 0;
    const eta = total !== undefined && rate > 0 ? ` ETA ${Math.ceil((total - summary.lines) / rate)} s` : '';
    process.stderr.write(`\r${summary.lines}/${total ?? '?'} ${rate.toFixed(0)}/s${eta} errors ${summary.errors}\x1b[K`);
  };
  return {
    tick() { const t = Date.now(); if (t - last >= 200) { last = t; draw(); } },
    end() { draw(); process.stderr.write('\n'); },
  };
}

/**
 * The resolver, seed and planner options given on the command line. `udp(timeout)` makes the
 * UDP resolver (default: one `udpResolver` a query).
 */
async function discoverOptions(o, udp) {
  const sources = [o.zone || o['secure-zone'], o.server, o.doh].filter(Boolean).length;
  if (sources > 1) throw new UsageError('use only one of --zone, --server and --doh');
  const timeout = number(o, 'timeout', 3000);
  // Absent: the library's default, which is the core's (DEFAULT_TOTAL_TIMEOUT_MS).
  const totalTimeout = number(o, 'total-timeout', undefined);
  let resolver;
  if (o.zone || o['secure-zone']) {
    resolver = await zoneResolver([
      ...(o.zone ?? []).map((f) => ({ text: readText(f, 'zone file'), secure: false })),
      ...(o['secure-zone'] ?? []).map((f) => ({ text: readText(f, 'zone file'), secure: true })),
    ]);
  } else if (o.doh) {
    // The Node entry's: HTTP/2 for an https URL (some DoH servers, Unbound's, speak nothing else).
    resolver = checked('--doh', () => dohResolver(o.doh, { timeout }));
  } else {
    resolver = udp ? udp(timeout) : await udpResolver({ server: o.server, timeout });
  }
  const options = {};
  // HTTP: offline from --fixtures, else fetch() when --sources names an HTTP source; the core
  // decides the sources (SRV only unless one of the two is given).
  let fetch;
  if (o.fixtures !== undefined) {
    const { statSync } = await import('node:fs');
    if (!statSync(o.fixtures, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--fixtures "${o.fixtures}" is not a directory`);
    fetch = await fixtureFetch(o.fixtures);
  } else if (o['connect-to'] !== undefined || o['http-anchors'] !== undefined) {
    // Over node:https only when a connection is mapped or the trust store replaced (D48).
    const { connectFetch, parseConnectTo } = await import('../src/connect-fetch.js');
    const connectTo = (o['connect-to'] ?? []).map((v) => {
      try {
        return parseConnectTo(v);
      } catch (e) {
        throw new UsageError(e.message);
      }
    });
    const ca = o['http-anchors'] === undefined ? undefined : readText(o['http-anchors'], 'anchors file');
    const mapped = connectFetch({ connectTo, ca });
    // Like the default fetch: the HTTP sources still come from --sources only.
    if (o.sources !== undefined) fetch = mapped;
  }
  if (o.sources !== undefined || fetch) options.sources = checked('--sources', () => hostSources(o.sources, fetch !== undefined));
  if (o.ispdb !== undefined) options.ispdbUrl = o.ispdb;
  if (o['trust-ad']) options.trustAd = true;
  // DNSSEC validation (D43): the library's default (on for --doh), or as the options say.
  const validation = {};
  if (o['trust-anchor'] !== undefined) validation.trustAnchors = readText(o['trust-anchor'], 'trust-anchor file');
  if (o.now !== undefined) validation.now = typeof o.now === 'number' ? o.now : checked('--now', () => nowValue(o.now));
  if (o['no-validate']) {
    if (Object.keys(validation).length > 0) throw new UsageError('--no-validate cannot go with --trust-anchor or --now');
    options.validate = false;
  } else if (Object.keys(validation).length > 0) {
    options.dnssec = validation;
  }
  const minimum = checked('--allow-cleartext, --implicit-tls-only', () => minimumSecurity(!!o['allow-cleartext'], !!o['implicit-tls-only']));
  // Without a switch, the core's default applies (and the planner has no option to read).
  if (o['allow-cleartext'] || o['implicit-tls-only']) options.minimumSecurity = minimum;
  if (o['tls-order'] !== undefined) options.tlsOrder = checked('--tls-order', () => optionValue('tls-order', o['tls-order']));
  if (o.prefer !== undefined) options.prefer = checked('--prefer', () => optionValue('prefer', o.prefer));
  // A BigInt (all 64 bits), read by the core.
  const seed = o.seed === undefined ? undefined : checked(undefined, () => numberValue('seed', o.seed));
  return { resolver, seed, totalTimeout, ...(fetch ? { fetch } : {}), ...options };
}

/** The password from the environment variable named by --password-env (never from argv). */
function passwordFrom(name) {
  if (name === undefined) return undefined;
  const value = process.env[name];
  if (value === undefined) throw new UsageError(`--password-env ${name}: the variable is not set`);
  return value;
}

// probe plans as plan does (its resolver and planner options), one address only: no bulk options.
const PROBE_OPTIONS = {
  ...Object.fromEntries(Object.entries(PLAN_OPTIONS).filter(([k]) => k !== 'input' && !BULK_ONLY.includes(k))),
  anchors: 'value', 'accept-target': 'list', now: 'value', 'password-env': 'value',
};

async function probe(o) {
  if (o._.length !== 1) throw new UsageError('probe needs exactly one email address');
  const anchors = certificatesFromPem(readText(o.anchors ?? '/etc/ssl/certs/ca-certificates.crt', 'anchors file'));
  const now = o.now ? parseRfc3339(o.now) : Date.now();
  const timeout = number(o, 'timeout', 10000);
  // --total-timeout (checked by discoverOptions) bounds the plan and every candidate.
  const { plan: p, report } = await probeEmail(o._[0], {
    // --now is the certificates' time; it is the validator's too when --trust-anchor asks for
    // validation (without it, --now alone does not turn validation on here).
    ...(await discoverOptions({ ...o, timeout: undefined, now: o['trust-anchor'] !== undefined && o.now ? Math.floor(now / 1000) : undefined })),
    anchors, now, timeout, acceptTargets: o['accept-target'] ?? [],
    password: passwordFrom(o['password-env']),
    onProgress: (m) => process.stderr.write(`${m}\n`),
  });
  if (o.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const side of ['incoming', 'outgoing']) {
      const r = report[side];
      // A server verified by a TLSA record of the validated plan says so: "DANE-EE" / "DANE-TA".
      const ok = r.server && r.tried.find((t) => t.outcome === 'ok' && t.host === r.server.host && t.port === r.server.port);
      const dane = /^dane-(ee|ta)$/.test(ok?.verdict?.matched?.type ?? '') ? ` — verified by ${ok.verdict.matched.type.toUpperCase()}` : '';
      console.log(`${side}: ${r.server ? `${r.server.host}:${r.server.port} (${r.server.security}) works${dane}` : 'no working server'}`);
      for (const t of r.tried) {
        const why = t.abort ? ` — ${t.abort.reason}` : t.error ? ` — ${t.error.message}` : t.verdict ? ` — ${t.verdict.message}` : '';
        console.log(`  ${t.host}:${t.port} ${t.security}: ${t.outcome}${why}`);
        if (t.capabilities) console.log(`    capabilities after TLS: ${t.capabilities.keywords.join(' ')}`);
        if (t.login) console.log(`    login: ${t.login.ok ? `accepted for ${t.login.username}` : `refused (${t.login.reason ?? 'wrong credentials'})`}`);
      }
    }
  }
  return exitStatus('probe', p, report);
}

function parseRfc3339(text) {
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(text)) {
    throw new UsageError(`--now "${text}" is not an RFC 3339 time such as 2027-06-01T00:00:00Z`);
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`--now "${text}" is not a valid time`);
  return ms;
}

const VERIFY_OPTIONS = {
  email: 'value', service: 'value', host: 'value', chain: 'value', anchors: 'value', 'dnssec-secure': 'flag',
  now: 'value', 'legacy-cn': 'flag', json: 'flag', port: 'value', tlsa: 'list',
};

async function verify(o) {
  for (const k of ['email', 'service', 'host', 'chain']) if (!o[k]) throw new UsageError(`verify needs --${k}`);
  const service = checked('--service', () => optionValue('service', o.service));
  const at = o.email.lastIndexOf('@');
  if (at < 0) throw new UsageError(`"${o.email}" is not an email address`);
  const chain = certificatesFromPem(readText(o.chain, 'chain file'));
  const anchors = certificatesFromPem(readText(o.anchors ?? '/etc/ssl/certs/ca-certificates.crt', 'anchors file'));
  const now = o.now ? parseRfc3339(o.now) : Date.now();
  const candidate = { service, host: o.host, trust: o['dnssec-secure'] ? 'dnssec-secure' : 'needs-confirmation' };
  // The core checks the port and the records (and that records come with a port).
  if (o.port !== undefined) candidate.port = /^\d+$/.test(o.port) ? Number(o.port) : o.port;
  const verdict = verifyChain(candidate, chain, anchors, now, { domain: o.email.slice(at + 1), legacyCn: !!o['legacy-cn'], tlsa: o.tlsa ?? [] });
  if (o.json) {
    console.log(JSON.stringify(verdict, null, 2));
  } else {
    const label = { verified: 'VERIFIED', 'needs-confirmation': 'NEEDS CONFIRMATION', rejected: 'REJECTED' }[verdict.status];
    console.log(`${label}: ${verdict.message}`);
    console.log(`checked against: ${verdict.referenceIdentities.map((r) => r.value).join(', ')}`);
    console.log(`certificate presents: ${verdict.presented.map((p) => p.value).join(', ') || '(nothing)'}`);
    for (const n of verdict.notes) console.log(`note: ${n}`);
    for (const c of verdict.dane?.records ?? []) console.log(`tlsa ${c.record}: ${c.why}`);
  }
  return exitStatus('verify', verdict);
}

const AUTOCONFIG_OPTIONS = { email: 'value', json: 'flag' };

/** `mailsrv autoconfig FILE --email EMAIL [--json]`: the core's reading of the document. */
async function autoconfig(o) {
  if (o._.length !== 1) throw new UsageError('autoconfig needs exactly one FILE');
  if (!o.email) throw new UsageError('autoconfig needs --email');
  let bytes;
  try {
    bytes = readFileSync(o._[0]);
  } catch (e) {
    throw new UsageError(`cannot read autoconfig file "${o._[0]}": ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  const parsed = parseAutoconfig(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), o.email);
  if (o.json) {
    console.log(JSON.stringify(parsed, null, 2));
  } else {
    for (const side of ['incoming', 'outgoing']) {
      console.log(`${side}:`);
      if (parsed[side].length === 0) console.log('  (none)');
      for (const s of parsed[side]) {
        const auth = s.authentication.length ? `  auth ${s.authentication.join(', ')}` : '';
        const user = s.username === null ? '' : `  user ${s.username}`;
        console.log(`  ${pad(s.protocol, 5)} ${pad(`${s.host}:${s.port}`, 30)} ${pad(s.security, 12)}${user}${auth}${s.url ? `  url ${s.url}` : ''}`);
      }
    }
    console.log(`domains: ${parsed.domains.join(', ') || '(none)'}`);
    if (parsed.oauth2) console.log(`oauth2: issuer ${parsed.oauth2.issuer}`);
    for (const d of parsed.diagnostics) console.log(`diagnostic ${d.code}: ${d.message}`);
  }
  return exitStatus('autoconfig', parsed);
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === '--version' || command === 'version') { console.log(version()); return 0; }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') { console.log(USAGE); return command === undefined ? 2 : 0; }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) throw new UsageError(`unknown command "${command}"`);
  const o = parse(rest, run.options);
  if (o.help) { console.log(usageOf(command)); return 0; }
  return run.command(o);
}

const COMMANDS = {
  plan: { options: PLAN_OPTIONS, command: plan },
  probe: { options: PROBE_OPTIONS, command: probe },
  verify: { options: VERIFY_OPTIONS, command: verify },
  autoconfig: { options: AUTOCONFIG_OPTIONS, command: autoconfig },
};

// A reader that goes away (`mailsrv plan … | head -1`) makes writes to stdout fail with EPIPE.
// Node ignores SIGPIPE, so end here, quietly, with 141 (128 + SIGPIPE): the status a shell shows
// for a command killed by SIGPIPE, as `cat` would be. Any other write error is one line and 2.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(exitStatus('broken-pipe'));
  process.stderr.write(`mailsrv: cannot write the output: ${e.message}\n`);
  process.exit(2);
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    const code = e instanceof UsageError ? '' : e?.code ? `${e.code}: ` : '';
    process.stderr.write(`mailsrv: ${code}${e?.message ?? e}\n`);
    process.exitCode = exitStatus('usage');
  },
);
