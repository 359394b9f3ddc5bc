// When the bulk UDP pool sends a lost query again (decision D61): a retransmission timeout
// computed from the round-trip times measured against the pool's one server, as TCP does (RFC
// 6298) and as Unbound does for its own upstream queries (util/rtt.c), with a floor and a cap.

/** The resend timeout before any round trip has been measured, and its ceiling, in ms. */
export const RESEND_MS = 1000;

/**
 * The shortest resend timeout, in ms, however fast the server has answered: c-ares's floor
 * (Node's own resolver, 1.32 and later), so the pool never resends sooner than `dns.Resolver`
 * would. Round trips measured in bulk mode are heavy-tailed (a recursion behind a cache hit,
 * and the event loop's own delay on a busy CPU): against the test world's Unbound at load 8.8,
 * median 32–35 ms, 99th percentile 163–169 ms, 0.3–0.6 % over 250 ms and 17–19 % over 50 ms;
 * with a 50 ms floor 0.7–2.3 % of the queries were sent twice, and all but 5 of those 2,416
 * queries were answered twice: the first copy had not been lost (BENCHMARKS.md, issue 16 §3;
 * D61).
 */
export const MIN_RESEND_MS = 250;

/**
 * A retransmission timer for one server (RFC 6298 §2): `sample(ms)` takes the round-trip time of
 * a query answered to its first and only copy (Karn's rule: a resent query's answer says
 * nothing about which copy it answers); `rto` is then SRTT + max(`granularity`, 4 × RTTVAR),
 * kept within [`min`, `max`], and `initial` until the first sample. `lost(rto)` says that a
 * query sent with timeout `rto` had to be sent again: the timeout becomes at least twice that
 * (within `max`) until the next sample, as RFC 6298 §5.5 backs off and Unbound's `rtt_lost`
 * doubles the timeout the query was sent with (not the current one, so that many queries lost
 * at once double it once).
 */
export class RetransmitTimer {
  /** @param {{ initial?: number, min?: number, max?: number, granularity?: number }} [options] */
  constructor({ initial = RESEND_MS, min = MIN_RESEND_MS, max = RESEND_MS, granularity = 0 } = {}) {
    this.min = min;
    this.max = max;
    this.granularity = granularity;
    /** Smoothed round-trip time and its mean deviation, in ms (undefined before a sample). */
    this.srtt = undefined;
    this.rttvar = undefined;
    /** How many round trips were measured. */
    this.samples = 0;
    /** The current retransmission timeout, in ms. */
    this.rto = Math.min(max, Math.max(min, initial));
  }

  /** Takes the round-trip time `ms` of a query answered without a resend. */
  sample(ms) {
    if (!(ms >= 0) || !Number.isFinite(ms)) return;
    if (this.srtt === undefined) {
      this.srtt = ms;
      this.rttvar = ms / 2;
    } else {
      this.rttvar += (Math.abs(this.srtt - ms) - this.rttvar) / 4;
      this.srtt += (ms - this.srtt) / 8;
    }
    this.samples += 1;
    this.rto = Math.min(this.max, Math.max(this.min, this.srtt + Math.max(this.granularity, 4 * this.rttvar)));
  }

  /** A query sent with timeout `sentWith` (ms) needed a resend: backs the timeout off. */
  lost(sentWith) {
    this.rto = Math.max(this.rto, Math.min(this.max, 2 * sentWith));
  }
}
