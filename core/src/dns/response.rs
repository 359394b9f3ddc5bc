//! Reading a wire-format DNS response to one SRV question (decision D17).
//!
//! A response that is not for the question (QR clear, another message ID, another question) is
//! an `Err`: the host should keep waiting for the real answer, as a UDP client would. Everything
//! else, including a message that does not parse, becomes an [`Answer`] with an [`Outcome`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::ops::Range;

use hickory_proto::op::ResponseCode;
use hickory_proto::rr::RecordType;

use super::names::{is_presented_as, presentation_name, render_name};
use super::outcome::Outcome;
use super::srv::SrvRecord;
use super::wire::{Data, Record, Response, WireName, read_head, read_response};
use crate::diagnostic::DiagnosticCode;
use crate::error::{Error, ErrorCode};
use crate::shared::SharedStr;

/// Longest CNAME/DNAME chain followed at the owner name or at a target.
const MAX_CHAIN: usize = 8;
/// Most SRV records read from one answer; the rest are ignored with a diagnostic. A real domain
/// publishes a handful per label; the cap keeps ordering and candidates bounded (issue 12).
pub(crate) const MAX_RECORDS: usize = 128;
/// Most addresses kept per host name from one response; the rest are ignored with a diagnostic.
pub(crate) const MAX_ADDRESSES_PER_HOST: usize = 16;
/// Length of the fixed DNS header.
const HEADER_LEN: usize = 12;

/// What one response said about one question.
#[derive(Clone, Debug, Default)]
pub(crate) struct Answer {
    pub outcome: Outcome,
    pub records: Vec<SrvRecord>,
    /// Addresses by host name, from the additional (and answer) sections; `None` when there
    /// are none. Boxed: a discovery keeps six answers in one vector, which stays small enough
    /// for the allocator's fast path (issue 16 §1).
    pub(crate) hosts: Option<Box<Hosts>>,
    /// Alias names (CNAME owners) to their targets, from the additional and answer sections.
    pub aliases: BTreeMap<String, String>,
    /// Smallest TTL of the records used, or the negative-caching TTL (RFC 2308 §5).
    pub ttl: Option<u32>,
    /// The AD bit of the header.
    pub authentic_data: bool,
    pub notes: Vec<(DiagnosticCode, String)>,
}

/// The addresses of an answer's host names.
#[derive(Clone, Debug, Default)]
pub(crate) struct Hosts {
    /// Each name's [`name_key`] (its range of `keys`), in key order, with its range of
    /// `addresses`.
    names: Vec<(Range<usize>, Range<u32>)>,
    /// The keys of `names` (the response's buffer of keys, kept: one allocation).
    keys: Vec<u8>,
    /// The addresses of every name, a name's after another's (one allocation).
    addresses: Vec<IpAddr>,
}

fn name_string(name: WireName<'_>) -> String {
    presentation_name(name.labels(), name.label_octets())
}

/// Whether two wire names are the same name: label by label, ASCII case-insensitively (what
/// comparing their rendered forms would say, without rendering them).
fn same_name(a: WireName<'_>, b: WireName<'_>) -> bool {
    let mut b = b.labels();
    a.labels()
        .all(|x| b.next().is_some_and(|y| x.eq_ignore_ascii_case(y)))
        && b.next().is_none()
}

/// Writes `name` into `key` as lower-case, length-prefixed labels without the root: two names
/// have equal keys exactly when their rendered forms are equal, and a key costs no escaping.
fn name_key(name: WireName<'_>, key: &mut Vec<u8>) {
    key.clear();
    name.append_labels(key);
    // Length octets are below 64, so only the labels' letters change.
    key.make_ascii_lowercase();
}

/// [`name_key`] in a new vector.
fn key_of(name: WireName<'_>) -> Vec<u8> {
    let mut key = Vec::new();
    name_key(name, &mut key);
    key
}

/// The [`name_key`]s of one response, one after another in one buffer (issue 16 §1: one
/// allocation per response, not one per name); a key is named by its range.
struct Keys(Vec<u8>);

impl Keys {
    /// Appends the key of `name` and gives its range.
    fn push(&mut self, name: WireName<'_>) -> Range<usize> {
        let start = self.0.len();
        name.append_labels(&mut self.0);
        // Length octets are below 64, so only the labels' letters change.
        self.0[start..].make_ascii_lowercase();
        start..self.0.len()
    }

    /// Appends `key` and gives its range.
    fn push_key(&mut self, key: &[u8]) -> Range<usize> {
        let start = self.0.len();
        self.0.extend_from_slice(key);
        start..self.0.len()
    }

    fn get(&self, key: &Range<usize>) -> &[u8] {
        self.0.get(key.clone()).unwrap_or_default()
    }
}

/// The presentation form of a key: [`presentation_name`] of its labels, reserved at once.
fn key_string(key: &[u8]) -> String {
    presentation_name(key_labels(key), key.len())
}

/// The labels of a key.
fn key_labels(mut key: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::from_fn(move || {
        let (&len, rest) = key.split_first()?;
        let (label, rest) = rest.split_at(usize::from(len).min(rest.len()));
        key = rest;
        Some(label)
    })
}

/// Whether `name` is the name of `key`, without building its key: its wire runs against the
/// key, ASCII case-insensitively.
fn is_key(name: WireName<'_>, key: &[u8]) -> bool {
    name.eq_labels_ignore_case(key)
}

fn min_ttl(a: Option<u32>, b: u32) -> Option<u32> {
    Some(a.map_or(b, |a| a.min(b)))
}

/// Parses `bytes` as the response to `qname` SRV IN sent with `message_id`.
pub(crate) fn parse_response(bytes: &[u8], message_id: u16, qname: &str) -> Result<Answer, Error> {
    parse_typed_response(bytes, message_id, qname, RecordType::SRV)
}

/// Parses `bytes` as the response to `qname` MX IN sent with `message_id`. Each MX record is
/// given as an [`SrvRecord`] with the preference as `priority`, the exchange as `target`, and
/// weight and port 0; the same checks, alias rules and caps as for SRV apply.
#[cfg(feature = "autoconfig")]
pub(crate) fn parse_mx_response(
    bytes: &[u8],
    message_id: u16,
    qname: &str,
) -> Result<Answer, Error> {
    parse_typed_response(bytes, message_id, qname, RecordType::MX)
}

fn parse_typed_response(
    bytes: &[u8],
    message_id: u16,
    qname: &str,
    qtype: RecordType,
) -> Result<Answer, Error> {
    if bytes.len() < HEADER_LEN {
        return Ok(malformed(format!(
            "the response is {} bytes long, shorter than a DNS header",
            bytes.len()
        )));
    }
    if bytes[2] & 0x80 == 0 {
        return Err(Error::new(
            ErrorCode::NotAResponse,
            format!("the message for `{qname}` has QR clear: it is a query, not a response"),
        ));
    }
    let id = u16::from_be_bytes([bytes[0], bytes[1]]);
    if id != message_id {
        return Err(Error::new(
            ErrorCode::MessageIdMismatch,
            format!("the response has message ID {id}, the query for `{qname}` had {message_id}"),
        ));
    }
    // The question is checked before the records are read: a response to another question is
    // refused for the price of its header and question (issue 12).
    let unreadable =
        |e: String| malformed(format!("the response for `{qname}` does not parse: {e}"));
    let head = match read_head(bytes) {
        Ok(head) => head,
        Err(e) => return Ok(unreadable(e)),
    };
    match head.queries.as_slice() {
        [q] if q.qtype == qtype && q.class_in && is_presented_as(q.name.labels(), qname) => {}
        // Servers may answer FORMERR and the like without a question section (the extended
        // response code is known only after the OPT record, so an empty question is let
        // through here and checked below).
        [] => {}
        queries => {
            let got: Vec<String> = queries
                .iter()
                .map(|q| format!("{} {}", name_string(q.name), q.qtype))
                .collect();
            return Err(Error::new(
                ErrorCode::QuestionMismatch,
                format!(
                    "the response asks [{}], not `{qname} {qtype}`",
                    got.join(", ")
                ),
            ));
        }
    }
    let message = match head.read_rest() {
        Ok(m) => m,
        Err(e) => return Ok(unreadable(e)),
    };
    let rcode = message.metadata.response_code;
    if message.queries.is_empty() && rcode == ResponseCode::NoError {
        return Err(Error::new(
            ErrorCode::QuestionMismatch,
            format!("the response asks [], not `{qname} {qtype}`"),
        ));
    }
    let mut answer = Answer {
        authentic_data: message.metadata.authentic_data,
        ..Answer::default()
    };
    if message.metadata.truncation {
        answer.outcome = Outcome::Truncated;
        return Ok(answer);
    }
    let outcome = match rcode {
        ResponseCode::NoError => None,
        ResponseCode::NXDomain => Some(Outcome::NxDomain),
        ResponseCode::ServFail => Some(Outcome::ServFail),
        ResponseCode::Refused => Some(Outcome::Refused),
        other => {
            answer.notes.push((
                DiagnosticCode::LookupFailed,
                format!("`{qname}`: the server answered {other}"),
            ));
            Some(Outcome::OtherError)
        }
    };
    if let Some(outcome) = outcome {
        if outcome == Outcome::NxDomain {
            answer.ttl = negative_ttl(message.authorities());
        }
        answer.outcome = outcome;
        return Ok(answer);
    }
    read_answer(&message, qname, qtype, &mut answer);
    Ok(answer)
}

fn malformed(reason: String) -> Answer {
    Answer {
        outcome: Outcome::Malformed,
        notes: vec![(DiagnosticCode::LookupFailed, reason)],
        ..Answer::default()
    }
}

/// RFC 2308 §5: the negative TTL is the smaller of the SOA's TTL and its MINIMUM field.
fn negative_ttl(authorities: &[Record]) -> Option<u32> {
    authorities.iter().find_map(|r| match &r.data {
        Data::Soa { minimum } => Some(r.ttl.min(*minimum)),
        _ => None,
    })
}

fn read_answer(message: &Response, qname: &str, qtype: RecordType, answer: &mut Answer) {
    // Owner names are compared as keys: only the names a candidate or a note uses are
    // rendered, so thousands of long owners needing escapes cost no rendering (issue 12).
    let mut keys = Keys(Vec::with_capacity(512));
    let (owner, owner_key, used) = follow_owner_aliases(message, qname, &mut keys, answer);
    let targets = read_srv_records(
        message,
        (&owner, owner_key, qtype),
        &used,
        &mut keys,
        answer,
    );
    read_addresses(message, targets, keys, answer);
    if answer.records.is_empty() {
        answer.outcome = Outcome::NoData;
        if answer.ttl.is_none() {
            answer.ttl = negative_ttl(message.authorities());
        }
    } else {
        answer.outcome = Outcome::Records;
    }
}

/// Follows a CNAME/DNAME chain at the owner (RFC 7673 §3.1), at most [`MAX_CHAIN`] links, each
/// record used once; gives the final owner (rendered, and its [`name_key`] in `keys`) and
/// which answer records the chain used (empty when none). A DNAME applies strictly below its
/// owner; a substitution that would make a name longer than 255 octets ends the chain.
fn follow_owner_aliases<'q>(
    message: &Response,
    qname: &'q str,
    keys: &mut Keys,
    answer: &mut Answer,
) -> (Cow<'q, str>, Range<usize>, Vec<bool>) {
    let mut owner_key = match message.queries.first() {
        Some(q) => keys.push(q.name),
        None => 0..0,
    };
    let mut owner = Cow::Borrowed(qname);
    let mut used = Vec::new();
    for _ in 0..MAX_CHAIN {
        let mut next = None;
        for (i, r) in message.answers().iter().enumerate() {
            match &r.data {
                Data::Cname(c) if is_key(r.name, keys.get(&owner_key)) => {
                    next = Some((i, Some(keys.push(*c))));
                    break;
                }
                Data::Dname(target) if !r.name.is_root() => {
                    let below = keys.push(r.name);
                    let (owner_bytes, below_bytes) = (keys.get(&owner_key), keys.get(&below));
                    // The label boundaries of the owner, after its first label.
                    let mut at = 0;
                    let start = std::iter::from_fn(|| {
                        at += 1 + usize::from(*owner_bytes.get(at)?);
                        (at < owner_bytes.len()).then_some(at)
                    })
                    .find(|&start| owner_bytes[start..] == *below_bytes);
                    keys.0.truncate(below.start);
                    let Some(start) = start else { continue };
                    let mut substituted = keys.get(&owner_key)[..start].to_vec();
                    substituted.extend(key_of(*target));
                    let fits = substituted.len() < 255;
                    next = Some((i, fits.then(|| keys.push_key(&substituted))));
                    break;
                }
                _ => {}
            }
        }
        let Some((i, Some(target_key))) = next else {
            break;
        };
        if used.get(i) == Some(&true) {
            break;
        }
        if used.is_empty() {
            used = vec![false; message.answers().len()];
        }
        used[i] = true;
        let target = key_string(keys.get(&target_key));
        answer.ttl = min_ttl(answer.ttl, message.answers()[i].ttl);
        answer.notes.push((
            DiagnosticCode::OwnerAlias,
            format!("`{owner}` is an alias of `{target}`; its SRV records were used"),
        ));
        owner = Cow::Owned(target);
        owner_key = target_key;
    }
    (owner, owner_key, used)
}

/// The SRV records owned by `owner` (class IN); other records not used by the alias chain and
/// not DNSSEC records are counted and noted as ignored. Gives the targets of the records kept:
/// each as a key in `keys`, with the index of a record in `answer.records` that names it.
fn read_srv_records(
    message: &Response,
    (owner, owner_key, qtype): (&str, Range<usize>, RecordType),
    used: &[bool],
    keys: &mut Keys,
    answer: &mut Answer,
) -> Vec<(Range<usize>, Option<usize>)> {
    let mut targets = Vec::new();
    // Each target is rendered here, then copied once into its shared string (D59).
    let mut text = Vec::new();
    let mut ignored = 0usize;
    let mut over_cap = 0usize;
    for (i, r) in message.answers().iter().enumerate() {
        let mine = r.class_in && r.record_type() == qtype && is_key(r.name, keys.get(&owner_key));
        if mine && answer.records.capacity() == 0 {
            // Sized once: the records of the answer section, at most the cap.
            answer
                .records
                .reserve_exact(message.answers().len().min(MAX_RECORDS));
        }
        match &r.data {
            Data::Srv(_) | Data::Mx(..) if mine && answer.records.len() >= MAX_RECORDS => {
                over_cap += 1;
            }
            Data::Mx(preference, exchange) if mine => {
                answer.ttl = min_ttl(answer.ttl, r.ttl);
                let target = if exchange.is_root() {
                    ".".into()
                } else {
                    name_string(*exchange).into()
                };
                answer.records.push(SrvRecord {
                    priority: *preference,
                    weight: 0,
                    port: 0,
                    target,
                    ttl: Some(r.ttl),
                });
            }
            Data::Srv(srv) if mine => {
                answer.ttl = min_ttl(answer.ttl, r.ttl);
                let target = if srv.target.is_root() {
                    ".".into()
                } else {
                    let key = keys.push(srv.target);
                    render_name(key_labels(keys.get(&key)), &mut text);
                    targets.push((key, Some(answer.records.len())));
                    // Rendered names are ASCII.
                    SharedStr::from(std::str::from_utf8(&text).unwrap_or_default())
                };
                answer.records.push(SrvRecord {
                    priority: srv.priority,
                    weight: srv.weight,
                    port: srv.port,
                    target,
                    ttl: Some(r.ttl),
                });
            }
            _ if used.get(i) == Some(&true) => {}
            // RRSIGs and other DNSSEC records are expected alongside the answer.
            _ if matches!(
                r.record_type(),
                RecordType::RRSIG | RecordType::NSEC | RecordType::NSEC3
            ) => {}
            _ => ignored += 1,
        }
    }
    if ignored > 0 {
        answer.notes.push((
            DiagnosticCode::IgnoredRecords,
            format!(
                "{ignored} answer record(s) not owned by `{owner}` (or not {qtype}) were ignored"
            ),
        ));
    }
    if over_cap > 0 {
        answer.notes.push((
            DiagnosticCode::IgnoredRecords,
            format!(
                "`{owner}` has more than {MAX_RECORDS} {qtype} records; the {over_cap} after the \
                 first {MAX_RECORDS} were ignored"
            ),
        ));
    }
    targets
}

/// Addresses (A, AAAA) from the answer and additional sections, at most
/// [`MAX_ADDRESSES_PER_HOST`] per name, and aliases (CNAME) from the additional section, by
/// owner name — only for the SRV `targets` kept and the aliases they lead to (at most
/// [`MAX_CHAIN`] links): what no candidate can use is not kept (issue 12), so an answer holds
/// at most [`MAX_RECORDS`] × ([`MAX_CHAIN`] + 1) names with addresses, whatever it carries.
fn read_addresses(
    message: &Response,
    mut wanted: Vec<(Range<usize>, Option<usize>)>,
    mut keys: Keys,
    answer: &mut Answer,
) {
    // A sorted vector of keys rather than a B-tree set: the same bounds, and less code in the
    // WebAssembly module.
    sort_wanted(&keys, &mut wanted);
    wanted.dedup_by(|a, b| keys.get(&a.0) == keys.get(&b.0));
    let has_aliases = message
        .additionals()
        .iter()
        .any(|r| matches!(r.data, Data::Cname(_)));
    if has_aliases {
        follow_target_aliases(message, &mut wanted, &mut keys, answer);
    }
    // Each address found, with the wanted name it belongs to, in the order of the records
    // (room for every record at once: no regrowth, freed on return).
    let records = message.answers().len() + message.additionals().len();
    let mut found: Vec<(usize, IpAddr)> = Vec::with_capacity(records);
    let scratch = keys.0.len();
    for r in message.answers().iter().chain(message.additionals()) {
        let address = match &r.data {
            Data::A(a) => IpAddr::V4(*a),
            Data::Aaaa(a) => IpAddr::V6(*a),
            _ => continue,
        };
        keys.0.truncate(scratch);
        let key = keys.push(r.name);
        let at = wanted.binary_search_by(|(k, _)| keys.get(k).cmp(keys.get(&key)));
        if let Ok(i) = at {
            found.push((i, address));
        }
    }
    // Grouped by name in key order, each name's in the records' order, at most
    // `MAX_ADDRESSES_PER_HOST` of each: counted, then placed (no sort).
    let mut slots = vec![(0usize, 0usize); wanted.len()];
    for (i, _) in &found {
        slots[*i].1 += 1;
    }
    let mut over_cap = 0usize;
    let mut total = 0usize;
    let mut names = Vec::with_capacity(slots.iter().filter(|s| s.1 > 0).count());
    for (i, slot) in slots.iter_mut().enumerate() {
        let kept = slot.1.min(MAX_ADDRESSES_PER_HOST);
        over_cap += slot.1 - kept;
        // Where the name's next address goes, and where its addresses end.
        *slot = (total, total + kept);
        if kept > 0 {
            // Offsets fit: a response is at most 65,535 bytes, four of them at least per address.
            let range = total as u32..(total + kept) as u32;
            names.push((wanted[i].0.clone(), range));
        }
        total += kept;
    }
    // The hosts' keys are where they were written: the buffer is kept, without the scratch.
    keys.0.truncate(scratch);
    let mut list = vec![IpAddr::from([0u8; 4]); total];
    for (i, address) in found {
        let (next, end) = &mut slots[i];
        if *next < *end {
            list[*next] = address;
            *next += 1;
        }
    }
    if !names.is_empty() {
        answer.hosts = Some(Box::new(Hosts {
            names,
            keys: keys.0,
            addresses: list,
        }));
    }
    if over_cap > 0 {
        answer.notes.push((
            DiagnosticCode::IgnoredRecords,
            format!(
                "{over_cap} address record(s) beyond {MAX_ADDRESSES_PER_HOST} per host were ignored"
            ),
        ));
    }
}

/// Sorts the wanted names by key, then record (one sort for both callers, which keeps the
/// WebAssembly module smaller).
fn sort_wanted(keys: &Keys, wanted: &mut [(Range<usize>, Option<usize>)]) {
    wanted.sort_unstable_by(|a, b| keys.get(&a.0).cmp(keys.get(&b.0)).then(a.1.cmp(&b.1)));
}

/// Adds to `wanted` the names the wanted ones are aliases of (CNAME in the additional section),
/// at most [`MAX_CHAIN`] links, and records each alias in `answer.aliases`.
fn follow_target_aliases(
    message: &Response,
    wanted: &mut Vec<(Range<usize>, Option<usize>)>,
    keys: &mut Keys,
    answer: &mut Answer,
) {
    let mut key = Vec::new();
    let mut frontier: Vec<Vec<u8>> = wanted.iter().map(|(k, _)| keys.get(k).to_vec()).collect();
    for _ in 0..MAX_CHAIN {
        if frontier.is_empty() {
            break;
        }
        let mut next = Vec::new();
        // A name has one CNAME (RFC 1034 §3.6.2): the first one found for it is used.
        let mut aliased = vec![false; frontier.len()];
        for r in message.additionals() {
            let Data::Cname(c) = &r.data else { continue };
            name_key(r.name, &mut key);
            if let Ok(i) = frontier.binary_search(&key)
                && !std::mem::replace(&mut aliased[i], true)
            {
                answer.aliases.insert(name_string(r.name), name_string(*c));
                next.push(key_of(*c));
            }
        }
        next.sort_unstable();
        next.dedup();
        next.retain(|k| {
            wanted
                .binary_search_by(|(w, _)| keys.get(w).cmp(k.as_slice()))
                .is_err()
        });
        for k in &next {
            let range = keys.push_key(k);
            wanted.push((range, None));
        }
        sort_wanted(keys, wanted);
        frontier = next;
    }
}

/// The [`name_key`] of a name as [`render_name`] writes it (its inverse: labels split at the
/// dots, `\DDD` read back), written into `out`; `None` for text no name renders as.
fn key_of_rendered<'b>(text: &str, out: &'b mut Vec<u8>) -> Option<&'b [u8]> {
    out.clear();
    for label in text.as_bytes().split(|&b| b == b'.') {
        let start = out.len();
        out.push(0);
        let mut bytes = label.iter();
        while let Some(&b) = bytes.next() {
            let b = if b == b'\\' {
                let mut value = 0u16;
                for _ in 0..3 {
                    let digit = bytes.next().filter(|d| d.is_ascii_digit())?;
                    value = value * 10 + u16::from(digit - b'0');
                }
                u8::try_from(value).ok()?
            } else {
                b
            };
            out.push(b);
        }
        let label_len = out.len() - start - 1;
        if label_len == 0 || label_len > 63 {
            return None;
        }
        out[start] = label_len as u8;
    }
    // A name is at most 255 octets on the wire, its key one less (no root).
    (out.len() < 255).then_some(out.as_slice())
}

impl Answer {
    /// Addresses of `host`, following aliases found in the same response (bounded). `key` is
    /// room for a name's key, reused from call to call.
    pub(crate) fn addresses_of(&self, host: &str, key: &mut Vec<u8>) -> Vec<IpAddr> {
        let Some(hosts) = &self.hosts else {
            return Vec::new();
        };
        let mut name = host;
        for _ in 0..MAX_CHAIN {
            let at = key_of_rendered(name, key).and_then(|key| {
                hosts
                    .names
                    .binary_search_by(|(k, _)| hosts.keys.get(k.clone()).cmp(&Some(key)))
                    .ok()
            });
            if let Some(at) = at {
                let range = &hosts.names[at].1;
                let range = range.start as usize..range.end as usize;
                return hosts.addresses.get(range).unwrap_or_default().to_vec();
            }
            match self.aliases.get(name) {
                Some(next) => name = next,
                None => break,
            }
        }
        Vec::new()
    }
}

/// The addresses of `host` in a wire response to an A or AAAA query, following a CNAME chain
/// in the answer (bounded), at most 16 (the planner's cap per host). A response that does
/// not parse, or is not for `host`, gives none.
pub fn addresses_in_response(bytes: &[u8], host: &str) -> Vec<IpAddr> {
    let Ok(message) = read_response(bytes) else {
        return Vec::new();
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    let Some(question) = message
        .queries
        .iter()
        .find(|q| is_presented_as(q.name.labels(), &host))
    else {
        return Vec::new();
    };
    // Names are compared on the wire (no rendering per record and chain step).
    let mut name = question.name;
    for _ in 0..MAX_CHAIN {
        let next = message.answers().iter().find_map(|r| match &r.data {
            Data::Cname(c) if same_name(r.name, name) => Some(*c),
            _ => None,
        });
        match next {
            Some(n) => name = n,
            None => break,
        }
    }
    message
        .answers()
        .iter()
        .filter(|r| same_name(r.name, name))
        .filter_map(|r| match &r.data {
            Data::A(a) => Some(IpAddr::V4(*a)),
            Data::Aaaa(a) => Some(IpAddr::V6(*a)),
            _ => None,
        })
        .take(MAX_ADDRESSES_PER_HOST)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A response header (QR set, NOERROR) with one question and `answers` claimed answer
    /// records, then `rest`.
    fn response(id: u16, qname: &str, answers: u16, rest: &[u8]) -> Vec<u8> {
        let mut m = id.to_be_bytes().to_vec();
        m.extend_from_slice(&[0x81, 0x80, 0, 1]);
        m.extend_from_slice(&answers.to_be_bytes());
        m.extend_from_slice(&[0, 0, 0, 0]);
        for label in qname.split('.') {
            m.push(label.len() as u8);
            m.extend_from_slice(label.as_bytes());
        }
        m.extend_from_slice(&[0, 0, 33, 0, 1]);
        m.extend_from_slice(rest);
        m
    }

    #[test]
    fn a_rendered_name_reads_back_as_its_key() {
        // Labels with every byte value that needs an escape, dots and backslashes inside a
        // label, upper case, and the longest label.
        let labels: Vec<Vec<u8>> = vec![
            b"Mail".to_vec(),
            (0u8..=255)
                .filter(|b| !b.is_ascii_alphanumeric())
                .take(60)
                .collect(),
            b"a.b\\c".to_vec(),
            vec![b'x'; 63],
            b"NET".to_vec(),
        ];
        let mut wire = Vec::new();
        for l in &labels {
            wire.push(l.len() as u8);
            wire.extend_from_slice(l);
        }
        let key = wire.to_ascii_lowercase();
        let text = key_string(&key);
        let mut buf = Vec::new();
        assert_eq!(
            key_of_rendered(&text, &mut buf),
            Some(key.as_slice()),
            "{text}"
        );
        // Text no name renders as has no key.
        for bad in ["", "a..b", "a.", "a\\25", "a\\2x5", "a\\256"] {
            assert_eq!(key_of_rendered(bad, &mut buf), None, "{bad}");
        }
    }

    // Requirements: S2782-use2.
    #[test]
    fn the_question_is_checked_before_the_records_are_read() {
        // A foreign response whose records would not even parse: refused for its question,
        // before the records are read (issue 12: a refused answer must not cost a full parse).
        let junk = [0xC0u8; 64];
        let foreign = response(7, "_imaps._tcp.other.example", 40, &junk);
        let err = parse_response(&foreign, 7, "_imaps._tcp.example.net").unwrap_err();
        assert_eq!(err.code(), ErrorCode::QuestionMismatch, "{err}");
        // The same bytes for the right question are read, and found malformed.
        let ours = response(7, "_imaps._tcp.example.net", 40, &junk);
        let answer = parse_response(&ours, 7, "_imaps._tcp.example.net").unwrap();
        assert_eq!(answer.outcome, Outcome::Malformed);
    }
}
