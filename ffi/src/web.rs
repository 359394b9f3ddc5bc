//! The HTTP and MX side of a discovery in C (issue 13 §4): the requests for provider
//! autoconfig, the well-known location, the ISPDB and the MX-derived lookups, the MX question,
//! what came back, and the rules every host applies around them (`mailsrv_core::host_web`).

use mailsrv_core::{Discovery, DnssecStatus, Failure, HttpFailure, Outcome, RequestOutcome};

use crate::cenum::{from_c, option_from_c, to_c};
use crate::discovery::{mailsrv_discovery, mailsrv_options, options_from_c};
use crate::ffi_util::{
    box_out, bytes, copy_out, guard, guard_value, handle, handle_mut, mailsrv_result, mailsrv_str,
    text, write_out,
};

type R = mailsrv_result;

/// One HTTP GET request of a discovery, as views into it (valid until it is freed).
#[repr(C)]
pub struct mailsrv_http_request {
    /// Request id, to feed its response back (numbered from 0, apart from the question ids).
    pub id: u16,
    /// A `mailsrv_source` value: what the request is for.
    pub source: u32,
    /// The URL to GET (NUL-terminated as well).
    pub url: mailsrv_str,
}

/// The MX question of a discovery, as views into it (valid until it is freed).
#[repr(C)]
pub struct mailsrv_mx_question {
    /// DNS message ID in the wire query.
    pub message_id: u16,
    /// The name asked for: the email domain.
    pub name: mailsrv_str,
    /// The wire-format query (no TCP length prefix).
    pub wire: *const u8,
    /// Length of `wire`.
    pub wire_len: usize,
}

/// Starts a discovery that also asks the HTTP sources and MX (decision D26): like
/// `mailsrv_discovery_new`, plus `sources`, a comma-separated list as `--sources` takes it
/// (`srv,autoconfig,well-known,autoconfig-http,ispdb,mx-autoconfig,mx-ispdb` or `default`;
/// NULL for the core's choice: its default when `http_client` is non-zero, SRV alone
/// otherwise), and `ispdb_url` (NULL for the core's default base). Texts are UTF-8 of the given
/// lengths, borrowed for the call.
///
/// Returns OK with `*out` set (free it with `mailsrv_discovery_free`); NULL_PARAMETER;
/// INVALID_ARGUMENT as for `mailsrv_discovery_new`; INVALID_OPTION for an unknown source or
/// an ISPDB URL that is not https; an address code (1xx).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_new_sources(
    email: *const u8,
    email_len: usize,
    options: *const mailsrv_options,
    sources: *const u8,
    sources_len: usize,
    http_client: u8,
    ispdb_url: *const u8,
    ispdb_url_len: usize,
    out: *mut *mut mailsrv_discovery,
) -> mailsrv_result {
    guard(|| {
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: caller contracts for the texts.
        let email = unsafe { text(email, email_len)? };
        // SAFETY: as above; NULL means "not given".
        let sources = if sources.is_null() {
            None
        } else {
            Some(unsafe { text(sources, sources_len)? })
        };
        // SAFETY: as above.
        let ispdb = if ispdb_url.is_null() {
            None
        } else {
            Some(unsafe { text(ispdb_url, ispdb_url_len)? })
        };
        // SAFETY: options is NULL or a valid struct (caller contract).
        let mut core = match unsafe { options.as_ref() } {
            Some(o) => options_from_c(o)?,
            None => mailsrv_core::Options::default(),
        };
        core.sources = mailsrv_core::host_web::host_sources(sources, http_client != 0)?;
        if let Some(url) = ispdb {
            url.clone_into(&mut core.ispdb_url);
        }
        let inner = Discovery::new(email, core)?;
        // SAFETY: out checked non-NULL above.
        unsafe { box_out(out, mailsrv_discovery::from_core(inner)) }
    })
}

/// Number of HTTP requests so far (0 for NULL): the first round from the start, more once the
/// MX answer is in. Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_request_count(
    discovery: *const mailsrv_discovery,
) -> usize {
    guard_value(0, || {
        // SAFETY: NULL or a live handle (caller contract).
        unsafe { discovery.as_ref() }.map_or(0, |d| d.urls.len())
    })
}

/// Describes request `index` (0-based; its id is the index) in `*out`; its `url` is a view
/// owned by the discovery. Send each request once; a redirect chain counts as this request
/// (follow only what `mailsrv_http_redirect_allowed` allows, at most
/// `mailsrv_http_max_redirects()` redirects).
///
/// Returns OK; NULL_PARAMETER; INVALID_ARGUMENT for an index past the last request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_request(
    discovery: *const mailsrv_discovery,
    index: usize,
    out: *mut mailsrv_http_request,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let d = unsafe { handle(discovery)? };
        let requests = d.inner().requests();
        let r = requests
            .get(index)
            .ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        let url = d.urls.get(index).ok_or(R::MAILSRV_RESULT_INTERNAL)?;
        let value = mailsrv_http_request {
            id: r.id,
            source: to_c(r.source),
            url: url.view(),
        };
        // SAFETY: out is NULL or valid for writes.
        unsafe { write_out(out, value) }
    })
}

/// Describes the MX question in `*out` while one is asked and unanswered (an MX-derived source
/// is in use): send it with the SRV questions. Returns true when `*out` was written; false for
/// NULL arguments or no open MX question.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_mx_question(
    discovery: *const mailsrv_discovery,
    out: *mut mailsrv_mx_question,
) -> bool {
    guard_value(false, || {
        // SAFETY: NULL or a live handle.
        let Some(d) = (unsafe { discovery.as_ref() }) else {
            return false;
        };
        let (Some(q), Some(name)) = (d.inner().mx_question(), d.mx_name.as_ref()) else {
            return false;
        };
        let value = mailsrv_mx_question {
            message_id: q.message_id,
            name: name.view(),
            wire: q.wire.as_ptr(),
            wire_len: q.wire.len(),
        };
        // SAFETY: out is NULL or valid for writes.
        unsafe { write_out(out, value) }.is_ok()
    })
}

/// Feeds the wire-format MX response (borrowed for the call), as `mailsrv_discovery_receive`
/// does for SRV; `*out_outcome` receives a `mailsrv_outcome` (TRUNCATED: ask again over TCP).
/// The MX-derived requests are added now (see `mailsrv_discovery_request_count`).
///
/// Returns OK; NULL_PARAMETER; INVALID_ARGUMENT for an unknown `dnssec`; UNKNOWN_QUESTION when no
/// MX question is asked, ALREADY_ANSWERED, or a foreign-response code (2xx).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_receive_mx(
    discovery: *mut mailsrv_discovery,
    response: *const u8,
    response_len: usize,
    dnssec: u32,
    out_outcome: *mut u32,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let d = unsafe { handle_mut(discovery)? };
        if out_outcome.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: caller contract for (response, response_len).
        let response = unsafe { bytes(response, response_len)? };
        let dnssec = option_from_c::<DnssecStatus>(dnssec)?;
        let outcome: Result<Outcome, _> = d.inner_mut().receive_mx_response(response, dnssec);
        d.sync();
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_outcome, to_c(outcome?)) }
    })
}

/// Reports that the MX question failed (a `mailsrv_failure`).
///
/// Returns OK; NULL_PARAMETER; INVALID_ARGUMENT for an unknown `failure`; UNKNOWN_QUESTION or
/// ALREADY_ANSWERED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_fail_mx(
    discovery: *mut mailsrv_discovery,
    failure: u32,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let d = unsafe { handle_mut(discovery)? };
        let failure = from_c::<Failure>(failure)?;
        let taken = d.inner_mut().fail_mx(failure);
        d.sync();
        taken?;
        Ok(())
    })
}

/// Feeds the response to request `id`: the final status after redirects, the `Content-Type`
/// header (NULL when absent) and the body, at most `mailsrv_http_max_body_bytes()` (past it,
/// report `MAILSRV_HTTP_TOO_LARGE` with `mailsrv_discovery_fail_http` instead), all borrowed
/// for the call. `*out_outcome` receives a `mailsrv_request_outcome`: a non-2xx status, another
/// content type or a refused document is an outcome and a diagnostic on the plan (D30), not
/// an error.
///
/// Returns OK; NULL_PARAMETER; INVALID_ARGUMENT for a content type that is not UTF-8;
/// UNKNOWN_QUESTION or ALREADY_ANSWERED for an id.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_receive_http(
    discovery: *mut mailsrv_discovery,
    id: u16,
    status: u16,
    content_type: *const u8,
    content_type_len: usize,
    body: *const u8,
    body_len: usize,
    out_outcome: *mut u32,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let d = unsafe { handle_mut(discovery)? };
        if out_outcome.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: caller contracts; NULL content type means none.
        let content_type = if content_type.is_null() {
            None
        } else {
            Some(unsafe { text(content_type, content_type_len)? })
        };
        // SAFETY: caller contract for (body, body_len).
        let body = unsafe { bytes(body, body_len)? };
        let outcome: Result<RequestOutcome, _> =
            d.inner_mut().receive_http(id, status, content_type, body);
        d.sync();
        let outcome = outcome?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_outcome, to_c(outcome)) }
    })
}

/// Reports that request `id` gave no response (a `mailsrv_http_failure`).
///
/// Returns OK; NULL_PARAMETER; INVALID_ARGUMENT for an unknown `failure`; UNKNOWN_QUESTION or
/// ALREADY_ANSWERED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_fail_http(
    discovery: *mut mailsrv_discovery,
    id: u16,
    failure: u32,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let d = unsafe { handle_mut(discovery)? };
        let failure = from_c::<HttpFailure>(failure)?;
        let taken = d.inner_mut().fail_http(id, failure);
        d.sync();
        taken?;
        Ok(())
    })
}

/// The most body bytes a host reads from one HTTP response (the autoconfig parser's cap,
/// 65536). Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_http_max_body_bytes() -> usize {
    mailsrv_core::host_web::MAX_HTTP_BODY_BYTES
}

/// The suffix of the file beside a fixture that gives its content type (`.content-type`):
/// static and NUL-terminated, never to be freed. Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_http_fixture_content_type_suffix() -> *const core::ffi::c_char {
    c".content-type".as_ptr()
}

/// The most redirects a host follows for one request. Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_http_max_redirects() -> usize {
    mailsrv_core::host_web::MAX_HTTP_REDIRECTS
}

/// Whether a redirect of the request first sent to `first_url` may be followed to the
/// absolute `next_url` (https only, unless the request was plain HTTP); false means report
/// `MAILSRV_HTTP_INSECURE_REDIRECT`. False for NULL or non-UTF-8 texts. Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_http_redirect_allowed(
    first_url: *const u8,
    first_url_len: usize,
    next_url: *const u8,
    next_url_len: usize,
) -> bool {
    guard_value(false, || {
        // SAFETY: caller contracts for the two texts.
        match unsafe { (text(first_url, first_url_len), text(next_url, next_url_len)) } {
            (Ok(first), Ok(next)) => mailsrv_core::host_web::redirect_allowed(first, next),
            _ => false,
        }
    })
}

/// The file that answers `url` offline, relative to a `--fixtures` directory (`<host>/<path>`,
/// the query ignored), copied into `buf` as `copy_out` does (no NUL); `*out_n` is 0 when no file
/// may answer it (answer 404).
///
/// Returns OK; NULL_PARAMETER for a NULL `out_n` or `url` with a non-zero length;
/// INVALID_ARGUMENT for a URL that is not UTF-8; INSUFFICIENT_SIZE with `*out_n` set.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_http_fixture_path(
    url: *const u8,
    url_len: usize,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: caller contract for the text.
        let url = unsafe { text(url, url_len)? };
        let path = mailsrv_core::host_web::fixture_path(url).unwrap_or_default();
        // SAFETY: buffer contract of copy_out.
        unsafe { copy_out(path.as_bytes(), buf, len, out_n) }
    })
}

/// The status and content type of an offline answer: `found` says whether the fixture file
/// exists, `content_type_file` is the text of its `.content-type` file (NULL when absent).
/// Writes the status to `*out_status` and copies the content type into `buf` as `copy_out`
/// does.
///
/// Returns OK; NULL_PARAMETER; INVALID_ARGUMENT for text that is not UTF-8; INSUFFICIENT_SIZE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_http_fixture_status(
    found: u8,
    content_type_file: *const u8,
    content_type_file_len: usize,
    out_status: *mut u16,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> mailsrv_result {
    guard(|| {
        if out_status.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: caller contract; NULL means absent.
        let ct = if content_type_file.is_null() {
            None
        } else {
            Some(unsafe { text(content_type_file, content_type_file_len)? })
        };
        let (status, content_type) = mailsrv_core::host_web::fixture_status(found != 0, ct);
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_status, status)? };
        // SAFETY: buffer contract of copy_out.
        unsafe { copy_out(content_type.as_bytes(), buf, len, out_n) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suffix_is_the_cores() {
        // SAFETY: a static NUL-terminated string.
        let c = unsafe { core::ffi::CStr::from_ptr(mailsrv_http_fixture_content_type_suffix()) };
        assert_eq!(
            c.to_str().ok(),
            Some(mailsrv_core::host_web::FIXTURE_CONTENT_TYPE_SUFFIX)
        );
    }
}
