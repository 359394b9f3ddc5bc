//! `mailsrv_plan`: the plan as JSON (the same bytes as the Rust example) and through accessors.

use mailsrv_core::exit::{self, SideOutcome};
use mailsrv_core::explain::whys;
use mailsrv_core::{Candidate, Plan};

use crate::cenum::{option_to_c, to_c};

use crate::ffi_util::{
    EMPTY_STR, OwnedStr, free_box, guard, guard_value, handle, json_out, mailsrv_result,
    mailsrv_str, write_out,
};

type R = mailsrv_result;

/// Which list of candidates.
#[repr(u32)]
pub enum mailsrv_side {
    /// `incoming.candidates`.
    MAILSRV_SIDE_INCOMING = 0,
    /// `outgoing.candidates`.
    MAILSRV_SIDE_OUTGOING = 1,
    /// `incomingAlternatives[0].candidates` (the other incoming protocol).
    MAILSRV_SIDE_ALTERNATIVE = 2,
}

/// The JSON string of a serde enum value (its kebab-case name).
pub(crate) fn json_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// One candidate's fields, as filled in by `mailsrv_plan_candidate`.
#[repr(C)]
pub struct mailsrv_candidate {
    /// A `mailsrv_service` value.
    pub service: u32,
    /// A `mailsrv_protocol` value.
    pub protocol: u32,
    /// Target host.
    pub host: mailsrv_str,
    /// Port.
    pub port: u16,
    /// A `mailsrv_security` value.
    pub security: u32,
    /// SRV priority.
    pub priority: u16,
    /// SRV weight.
    pub weight: u16,
    /// A `mailsrv_trust` value.
    pub trust: u32,
    /// SNI name to send (empty for cleartext).
    pub sni: mailsrv_str,
    /// SNI name to retry with (empty if none).
    pub sni_alternative: mailsrv_str,
    /// ALPN protocol ID to offer (`imap`, `pop3`), empty for none; check the server's choice
    /// with `mailsrv_plan_candidate_accepts_alpn`.
    pub alpn: mailsrv_str,
    /// Number of reference identities (`mailsrv_plan_candidate_identity`).
    pub identity_count: usize,
    /// Number of usernames (`mailsrv_plan_candidate_username`).
    pub username_count: usize,
    /// Number of addresses (`mailsrv_plan_candidate_address`).
    pub address_count: usize,
}

/// One lookup, as filled in by `mailsrv_plan_lookup`.
#[repr(C)]
pub struct mailsrv_lookup {
    /// Question id.
    pub id: u16,
    /// A `mailsrv_service` value.
    pub service: u32,
    /// Owner name.
    pub name: mailsrv_str,
    /// A `mailsrv_outcome` value.
    pub outcome: u32,
    /// A `mailsrv_dnssec` value (never UNSPECIFIED).
    pub dnssec: u32,
    /// A `mailsrv_dnssec_source` value: how `dnssec` was obtained (VALIDATED: by the core's own
    /// validator).
    pub dnssec_source: u32,
    /// Number of SRV records in the answer.
    pub records: usize,
}

pub(crate) struct CandidateStrings {
    host: OwnedStr,
    sni: OwnedStr,
    sni_alternative: OwnedStr,
    alpn: OwnedStr,
    identities: Vec<OwnedStr>,
    usernames: Vec<OwnedStr>,
    addresses: Vec<OwnedStr>,
    why: [OwnedStr; 1],
    from: [OwnedStr; 1],
    confirm: [OwnedStr; 1],
}

impl CandidateStrings {
    fn new(c: &Candidate, why: String) -> Self {
        Self {
            why: [OwnedStr::new(&why)],
            from: [OwnedStr::new(&mailsrv_core::explain::sources(c))],
            confirm: [OwnedStr::new(c.confirm.as_deref().unwrap_or(""))],
            host: OwnedStr::new(&c.host),
            sni: OwnedStr::new(c.sni.as_deref().unwrap_or("")),
            sni_alternative: OwnedStr::new(c.sni_alternative.as_deref().unwrap_or("")),
            alpn: OwnedStr::new(c.alpn.first().map_or("", mailsrv_core::SharedStr::as_str)),
            identities: c
                .reference_identities
                .iter()
                .map(|r| OwnedStr::new(&r.value))
                .collect(),
            usernames: c.usernames.iter().map(|u| OwnedStr::new(u)).collect(),
            addresses: c
                .addresses
                .iter()
                .map(|a| OwnedStr::new(&a.to_string()))
                .collect(),
        }
    }
}

/// A plan (opaque). Free with `mailsrv_plan_free`.
pub struct mailsrv_plan {
    plan: Plan,
    email: OwnedStr,
    domain: OwnedStr,
    sides: [Vec<CandidateStrings>; 3],
    lookup_names: Vec<OwnedStr>,
    diagnostics: Vec<(OwnedStr, OwnedStr)>,
}

impl mailsrv_plan {
    pub(crate) fn new(plan: Plan) -> Self {
        let strings = |list: &[Candidate]| {
            list.iter()
                .zip(whys(list))
                .map(|(c, why)| CandidateStrings::new(c, why))
                .collect()
        };
        let alternative: &[Candidate] = plan
            .incoming_alternatives
            .first()
            .map_or(&[], |a| a.candidates.as_slice());
        Self {
            email: OwnedStr::new(&plan.email),
            domain: OwnedStr::new(&plan.domain),
            sides: [
                strings(&plan.incoming.candidates),
                strings(&plan.outgoing.candidates),
                strings(alternative),
            ],
            lookup_names: plan
                .lookups
                .iter()
                .map(|l| OwnedStr::new(&l.name))
                .collect(),
            diagnostics: plan
                .diagnostics
                .iter()
                .map(|d| {
                    (
                        OwnedStr::new(&json_name(&d.code)),
                        OwnedStr::new(&d.message),
                    )
                })
                .collect(),
            plan,
        }
    }

    pub(crate) fn candidates(&self, side: u32) -> Result<(&[Candidate], &[CandidateStrings]), R> {
        const INCOMING: u32 = mailsrv_side::MAILSRV_SIDE_INCOMING as u32;
        const OUTGOING: u32 = mailsrv_side::MAILSRV_SIDE_OUTGOING as u32;
        const ALTERNATIVE: u32 = mailsrv_side::MAILSRV_SIDE_ALTERNATIVE as u32;
        let list: &[Candidate] = match side {
            INCOMING => &self.plan.incoming.candidates,
            OUTGOING => &self.plan.outgoing.candidates,
            ALTERNATIVE => self
                .plan
                .incoming_alternatives
                .first()
                .map_or(&[], |a| a.candidates.as_slice()),
            _ => return Err(R::MAILSRV_RESULT_INVALID_ARGUMENT),
        };
        let strings = self
            .sides
            .get(side as usize)
            .ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        Ok((list, strings.as_slice()))
    }

    pub(crate) fn candidate(
        &self,
        side: u32,
        index: usize,
    ) -> Result<(&Candidate, &CandidateStrings), R> {
        let (list, strings) = self.candidates(side)?;
        match (list.get(index), strings.get(index)) {
            (Some(c), Some(s)) => Ok((c, s)),
            _ => Err(R::MAILSRV_RESULT_INVALID_ARGUMENT),
        }
    }
}

/// Frees a plan (NULL is allowed). Views obtained from it become invalid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_free(plan: *mut mailsrv_plan) {
    // SAFETY: NULL or a live handle from its `_new` call (caller contract).
    unsafe { free_box(plan) }
}

/// Writes the plan as JSON into the caller's `buf` of `len` bytes — exactly the bytes the Rust
/// example prints with `--json` when `pretty` is non-zero (two-space indent, no trailing
/// newline), compact otherwise — and its size to `*out_n`. No NUL is added.
///
/// Returns OK; INSUFFICIENT_SIZE with only `*out_n` written when `buf` is NULL or `len` too small
/// (call with NULL first to learn the size); NULL_PARAMETER for a NULL `plan` or `out_n`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_json(
    plan: *const mailsrv_plan,
    pretty: u8,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let p = unsafe { handle(plan)? };
        // SAFETY: buffer contract of copy_out.
        unsafe { json_out(&p.plan, pretty, buf, len, out_n) }
    })
}

/// The normalised address: a view owned by the plan, valid until it is freed (empty for NULL).
/// Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_email(plan: *const mailsrv_plan) -> mailsrv_str {
    guard_value(EMPTY_STR, || {
        // SAFETY: NULL or a live handle.
        unsafe { plan.as_ref() }.map_or(EMPTY_STR, |p| p.email.view())
    })
}

/// The email domain as A-labels: a view owned by the plan, valid until it is freed (empty for
/// NULL). Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_domain(plan: *const mailsrv_plan) -> mailsrv_str {
    guard_value(EMPTY_STR, || {
        // SAFETY: NULL or a live handle.
        unsafe { plan.as_ref() }.map_or(EMPTY_STR, |p| p.domain.view())
    })
}

/// The chosen incoming protocol (`mailsrv_protocol`, NONE if nothing was found) and the status
/// (`mailsrv_status`) of the incoming and outgoing sides.
///
/// Returns OK; NULL_PARAMETER for a NULL `plan` or any NULL out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_summary(
    plan: *const mailsrv_plan,
    out_incoming_protocol: *mut u32,
    out_incoming_status: *mut u32,
    out_outgoing_status: *mut u32,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let p = unsafe { handle(plan)? };
        let values = [
            (out_incoming_protocol, option_to_c(p.plan.incoming.protocol)),
            (out_incoming_status, to_c(p.plan.incoming.status)),
            (out_outgoing_status, to_c(p.plan.outgoing.status)),
        ];
        if values.iter().any(|(out, _)| out.is_null()) {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        for (out, v) in values {
            // SAFETY: checked non-NULL above, valid for writes by contract.
            unsafe { write_out(out, v)? };
        }
        Ok(())
    })
}

/// The exit status of a command-line host for this plan, by the core's policy: for a `plan`
/// command (`probe` zero) 0 usable, 1 nothing usable, 3 lookups failed; for a `probe` command
/// (`probe` non-zero, `incoming_works`/`outgoing_works` non-zero when a server on that side
/// worked) 0 only when every side with candidates has a working server. Usage errors are
/// `MAILSRV_EXIT_USAGE`.
///
/// Returns OK; NULL_PARAMETER for a NULL `plan` or `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_exit_status(
    plan: *const mailsrv_plan,
    probe: u8,
    incoming_works: u8,
    outgoing_works: u8,
    out: *mut u8,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let p = unsafe { handle(plan)? };
        let sides = SideOutcome::of(&p.plan, incoming_works != 0, outgoing_works != 0);
        let status = if probe != 0 {
            exit::probe(&sides)
        } else {
            exit::plan(&sides)
        };
        // SAFETY: NULL or valid for writes (caller contract); write_out checks NULL.
        unsafe { write_out(out, status) }
    })
}

/// The plan's cache lifetime: writes `expiresInSecs` to `*out_secs` and 1 to `*out_known`, or
/// 0 to both when nothing was answered.
///
/// Returns OK; NULL_PARAMETER for a NULL `plan`, `out_secs` or `out_known`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_expires(
    plan: *const mailsrv_plan,
    out_secs: *mut u32,
    out_known: *mut u8,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let p = unsafe { handle(plan)? };
        if out_secs.is_null() || out_known.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: both checked non-NULL.
        unsafe {
            write_out(out_secs, p.plan.expires_in_secs.unwrap_or(0))?;
            write_out(out_known, u8::from(p.plan.expires_in_secs.is_some()))
        }
    })
}

/// Number of candidates on `side` (a `mailsrv_side`; 0 for NULL or an unknown side). Returns no
/// result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_candidate_count(
    plan: *const mailsrv_plan,
    side: u32,
) -> usize {
    guard_value(0, || {
        // SAFETY: NULL or a live handle.
        unsafe { plan.as_ref() }
            .and_then(|p| p.candidates(side).ok())
            .map_or(0, |(l, _)| l.len())
    })
}

/// Describes candidate `index` of `side` (a `mailsrv_side`) in `*out`. Its strings are views
/// owned by the plan, valid until it is freed.
///
/// Returns OK; NULL_PARAMETER for a NULL `plan` or `out`; INVALID_ARGUMENT for an unknown side or
/// an index past the last candidate.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_candidate(
    plan: *const mailsrv_plan,
    side: u32,
    index: usize,
    out: *mut mailsrv_candidate,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let p = unsafe { handle(plan)? };
        let (c, s) = p.candidate(side, index)?;
        let value = mailsrv_candidate {
            service: to_c(c.service),
            protocol: to_c(c.protocol),
            host: s.host.view(),
            port: c.port,
            security: to_c(c.security),
            priority: c.priority,
            weight: c.weight,
            trust: to_c(c.trust),
            sni: s.sni.view(),
            sni_alternative: s.sni_alternative.view(),
            alpn: s.alpn.view(),
            identity_count: s.identities.len(),
            username_count: s.usernames.len(),
            address_count: s.addresses.len(),
        };
        // SAFETY: out is NULL or valid for writes.
        unsafe { write_out(out, value) }
    })
}

/// Whether the ALPN protocol the server selected (`selected`, `selected_len` bytes, borrowed;
/// NULL and 0 when none was negotiated) is acceptable for the candidate; writes the answer to
/// `*out_ok`. A server selecting another protocol must be dropped (cross-protocol attacks,
/// ALPACA).
///
/// Returns OK; NULL_PARAMETER for a NULL `plan` or `out_ok`, or NULL `selected` with a non-zero
/// length; INVALID_ARGUMENT for an unknown side or index.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_candidate_accepts_alpn(
    plan: *const mailsrv_plan,
    side: u32,
    index: usize,
    selected: *const u8,
    selected_len: usize,
    out_ok: *mut bool,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let p = unsafe { handle(plan)? };
        let (c, _) = p.candidate(side, index)?;
        let selected = if selected.is_null() && selected_len == 0 {
            None
        } else {
            // SAFETY: caller contract for (selected, selected_len).
            Some(unsafe { crate::ffi_util::bytes(selected, selected_len)? })
        };
        // SAFETY: out_ok is NULL or valid for writes.
        unsafe { write_out(out_ok, c.accepts_alpn(selected)) }
    })
}

/// Reference identity `i` of a candidate: its kind (`mailsrv_identity_kind`) and value (a
/// view owned by the plan, valid until it is freed).
///
/// Returns OK; NULL_PARAMETER for a NULL `plan`, `out_kind` or `out_value`; INVALID_ARGUMENT for
/// an unknown side or an index past the last candidate or identity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_candidate_identity(
    plan: *const mailsrv_plan,
    side: u32,
    index: usize,
    i: usize,
    out_kind: *mut u32,
    out_value: *mut mailsrv_str,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let p = unsafe { handle(plan)? };
        let (c, s) = p.candidate(side, index)?;
        let (r, v) = c
            .reference_identities
            .get(i)
            .zip(s.identities.get(i))
            .ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        if out_kind.is_null() || out_value.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: both checked non-NULL.
        unsafe {
            write_out(out_kind, to_c(r.kind))?;
            write_out(out_value, v.view())
        }
    })
}

/// Username `i` of a candidate (the full address first, then the local part): a view owned by
/// the plan, valid until it is freed.
///
/// Returns OK; NULL_PARAMETER for a NULL `plan` or `out_value`; INVALID_ARGUMENT for an unknown
/// side or an index past the last candidate or username.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_candidate_username(
    plan: *const mailsrv_plan,
    side: u32,
    index: usize,
    i: usize,
    out_value: *mut mailsrv_str,
) -> mailsrv_result {
    // SAFETY: forwarded from the caller's contract.
    unsafe { candidate_string(plan, side, index, i, out_value, |s| &s.usernames) }
}

/// Why the candidate is where it is in its side's ranking (the core's text, as the CLI shows
/// it): a view owned by the plan, valid until it is freed.
///
/// Returns OK; NULL_PARAMETER for a NULL `plan` or `out_value`; INVALID_ARGUMENT for an unknown
/// side or index.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_candidate_why(
    plan: *const mailsrv_plan,
    side: u32,
    index: usize,
    out_value: *mut mailsrv_str,
) -> mailsrv_result {
    // SAFETY: forwarded from the caller's contract.
    unsafe { candidate_string(plan, side, index, 0, out_value, |s| &s.why) }
}

/// Every source that named the candidate, each with its URL or DNS name (the core's text,
/// `srv _imaps._tcp.example.net; autoconfig https://...`): a view owned by the plan, valid until
/// it is freed.
///
/// Returns OK; NULL_PARAMETER for a NULL `plan` or `out_value`; INVALID_ARGUMENT for an unknown
/// side or index.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_candidate_from(
    plan: *const mailsrv_plan,
    side: u32,
    index: usize,
    out_value: *mut mailsrv_str,
) -> mailsrv_result {
    // SAFETY: forwarded from the caller's contract.
    unsafe { candidate_string(plan, side, index, 0, out_value, |s| &s.from) }
}

/// For a candidate whose trust is `MAILSRV_TRUST_NEEDS_CONFIRMATION`: the registrable domain the
/// user must confirm, in full (empty otherwise): a view owned by the plan, valid until it is
/// freed.
///
/// Returns OK; NULL_PARAMETER for a NULL `plan` or `out_value`; INVALID_ARGUMENT for an unknown
/// side or index.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_candidate_confirm(
    plan: *const mailsrv_plan,
    side: u32,
    index: usize,
    out_value: *mut mailsrv_str,
) -> mailsrv_result {
    // SAFETY: forwarded from the caller's contract.
    unsafe { candidate_string(plan, side, index, 0, out_value, |s| &s.confirm) }
}

/// Address `i` of a candidate's host (from the additional section), as text: a view owned by
/// the plan, valid until it is freed.
///
/// Returns OK; NULL_PARAMETER for a NULL `plan` or `out_value`; INVALID_ARGUMENT for an unknown
/// side or an index past the last candidate or address.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_candidate_address(
    plan: *const mailsrv_plan,
    side: u32,
    index: usize,
    i: usize,
    out_value: *mut mailsrv_str,
) -> mailsrv_result {
    // SAFETY: forwarded from the caller's contract.
    unsafe { candidate_string(plan, side, index, i, out_value, |s| &s.addresses) }
}

/// Writes string `i` of the list `pick` selects from a candidate's strings to `*out_value`.
///
/// # Safety
/// `plan` is NULL or a live handle; `out_value` is NULL or valid for writes.
unsafe fn candidate_string(
    plan: *const mailsrv_plan,
    side: u32,
    index: usize,
    i: usize,
    out_value: *mut mailsrv_str,
    pick: impl Fn(&CandidateStrings) -> &[OwnedStr],
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let p = unsafe { handle(plan)? };
        let (_, s) = p.candidate(side, index)?;
        let v = pick(s).get(i).ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        // SAFETY: out_value is NULL or valid for writes.
        unsafe { write_out(out_value, v.view()) }
    })
}

/// Number of lookups (0 for NULL). Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_lookup_count(plan: *const mailsrv_plan) -> usize {
    guard_value(0, || {
        // SAFETY: NULL or a live handle.
        unsafe { plan.as_ref() }.map_or(0, |p| p.plan.lookups.len())
    })
}

/// Describes lookup `index` in `*out`; its `name` is a view owned by the plan, valid until it
/// is freed.
///
/// Returns OK; NULL_PARAMETER for a NULL `plan` or `out`; INVALID_ARGUMENT for an index past the
/// last lookup.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_lookup(
    plan: *const mailsrv_plan,
    index: usize,
    out: *mut mailsrv_lookup,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let p = unsafe { handle(plan)? };
        let l = p
            .plan
            .lookups
            .get(index)
            .ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        let name = p
            .lookup_names
            .get(index)
            .ok_or(R::MAILSRV_RESULT_INTERNAL)?;
        let value = mailsrv_lookup {
            id: l.id,
            service: to_c(l.service),
            name: name.view(),
            outcome: to_c(l.outcome),
            dnssec: to_c(l.dnssec),
            dnssec_source: to_c(l.dnssec_source),
            records: l.records,
        };
        // SAFETY: out is NULL or valid for writes.
        unsafe { write_out(out, value) }
    })
}

/// Number of diagnostics (0 for NULL). Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_diagnostic_count(plan: *const mailsrv_plan) -> usize {
    guard_value(0, || {
        // SAFETY: NULL or a live handle.
        unsafe { plan.as_ref() }.map_or(0, |p| p.diagnostics.len())
    })
}

/// Diagnostic `index`: its code (e.g. `mixed-null-target`) and message, views owned by the
/// plan, valid until it is freed.
///
/// Returns OK; NULL_PARAMETER for a NULL `plan`, `out_code` or `out_message`; INVALID_ARGUMENT for
/// an index past the last diagnostic.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_plan_diagnostic(
    plan: *const mailsrv_plan,
    index: usize,
    out_code: *mut mailsrv_str,
    out_message: *mut mailsrv_str,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let p = unsafe { handle(plan)? };
        let (code, message) = p
            .diagnostics
            .get(index)
            .ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        if out_code.is_null() || out_message.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: both checked non-NULL.
        unsafe {
            write_out(out_code, code.view())?;
            write_out(out_message, message.view())
        }
    })
}
