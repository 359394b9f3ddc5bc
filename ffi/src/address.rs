//! A probe host's address lookups (D50): the core's A/AAAA queries for a candidate's target
//! that the plan gives no address, and the addresses in their answers.

use crate::ffi_util::{bytes, copy_out, guard, mailsrv_result, text};

/// Writes wire query `which` for the addresses of `host` (`host_len` bytes of UTF-8, a trailing
/// dot allowed) into `buf` (as `mailsrv_plan_json` does; at most 300 bytes): 0 asks for the A
/// records with message ID `message_id`, 1 for the AAAA records with `message_id + 1` (the core's
/// `address_queries`). A probe host that planned through a resolver sends both to that resolver
/// for a candidate without addresses, never asking the system's resolver instead (D50).
///
/// Returns OK; INSUFFICIENT_SIZE with only `*out_n` written when `buf` is NULL or too small;
/// NULL_PARAMETER for a NULL `host` (with a non-zero length) or `out_n`; INVALID_ARGUMENT for
/// `which` other than 0 or 1 or a `host` that is not UTF-8; an address code (1xx, e.g.
/// INVALID_DOMAIN) for a host name the core refuses.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_address_query(
    host: *const u8,
    host_len: usize,
    which: u32,
    message_id: u16,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> mailsrv_result {
    guard(|| {
        if out_n.is_null() {
            return Err(mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: the caller's contract for (host, host_len).
        let host = unsafe { text(host, host_len)? };
        let index = usize::try_from(which)
            .ok()
            .filter(|i| *i < 2)
            .ok_or(mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        let queries = mailsrv_core::address_queries(host, message_id)?;
        // SAFETY: buffer contract of copy_out.
        unsafe { copy_out(&queries[index], buf, len, out_n) }
    })
}

/// Writes address `i` of `host` in `response` (a wire answer to a query of
/// `mailsrv_address_query`, `response_len` bytes) as text (e.g. `"192.0.2.1"`, `"2001:db8::1"`,
/// without a NUL; at most 45 bytes) into `buf`, as `mailsrv_plan_json` does. The core follows a
/// CNAME chain in the answer and keeps at most 16 addresses; a response that does not parse or is
/// not for `host` has none.
///
/// Returns OK; INSUFFICIENT_SIZE with only `*out_n` written when `buf` is NULL or too small;
/// NULL_PARAMETER for a NULL `response` or `host` (with a non-zero length) or a NULL `out_n`;
/// INVALID_ARGUMENT for a `host` that is not UTF-8 or an `i` past the last address (for `i == 0`:
/// the response gives no address).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_address_in_response(
    response: *const u8,
    response_len: usize,
    host: *const u8,
    host_len: usize,
    i: usize,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> mailsrv_result {
    guard(|| {
        if out_n.is_null() {
            return Err(mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: the caller's contract for (response, response_len).
        let response = unsafe { bytes(response, response_len)? };
        // SAFETY: the caller's contract for (host, host_len).
        let host = unsafe { text(host, host_len)? };
        let addresses = mailsrv_core::addresses_in_response(response, host);
        let address = addresses
            .get(i)
            .ok_or(mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT)?
            .to_string();
        // SAFETY: buffer contract of copy_out.
        unsafe { copy_out(address.as_bytes(), buf, len, out_n) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailsrv_result as R;

    fn query(host: &str, which: u32, id: u16) -> Result<Vec<u8>, R> {
        let mut buf = [0u8; 512];
        let mut n = 0usize;
        // SAFETY: valid pointers and lengths.
        let r = unsafe {
            mailsrv_address_query(
                host.as_ptr(),
                host.len(),
                which,
                id,
                buf.as_mut_ptr(),
                buf.len(),
                &mut n,
            )
        };
        if r == R::MAILSRV_RESULT_OK {
            Ok(buf[..n].to_vec())
        } else {
            Err(r)
        }
    }

    fn address(response: &[u8], host: &str, i: usize) -> Result<String, R> {
        let mut buf = [0u8; 64];
        let mut n = 0usize;
        // SAFETY: valid pointers and lengths.
        let r = unsafe {
            mailsrv_address_in_response(
                response.as_ptr(),
                response.len(),
                host.as_ptr(),
                host.len(),
                i,
                buf.as_mut_ptr(),
                buf.len(),
                &mut n,
            )
        };
        if r == R::MAILSRV_RESULT_OK {
            Ok(String::from_utf8(buf[..n].to_vec()).unwrap())
        } else {
            Err(r)
        }
    }

    /// An answer to `q` (the query echoed, QR set, one A record 192.0.2.7 for the question name).
    fn answer_a(q: &[u8]) -> Vec<u8> {
        // The question ends at the root label, then QTYPE and QCLASS; the OPT record follows.
        let mut end = 12;
        while q[end] != 0 {
            end += 1 + usize::from(q[end]);
        }
        end += 5;
        let mut r = q[..end].to_vec();
        r[2] |= 0x80;
        r[7] = 1; // ANCOUNT
        r[10] = 0; // ARCOUNT: no OPT
        r[11] = 0;
        r.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 7]);
        r
    }

    #[test]
    fn d50_address_queries_and_answers_through_the_c_abi() {
        let a = query("mail.example.net.", 0, 7).unwrap();
        let aaaa = query("mail.example.net", 1, 7).unwrap();
        assert_eq!(u16::from_be_bytes([a[0], a[1]]), 7);
        assert_eq!(u16::from_be_bytes([aaaa[0], aaaa[1]]), 8);
        assert_eq!(
            query("mail.example.net", 2, 7),
            Err(R::MAILSRV_RESULT_INVALID_ARGUMENT)
        );
        assert_ne!(query("bad..name", 0, 7).unwrap_err(), R::MAILSRV_RESULT_OK);

        let r = answer_a(&a);
        assert_eq!(
            address(&r, "mail.example.net", 0).as_deref(),
            Ok("192.0.2.7")
        );
        assert_eq!(
            address(&r, "mail.example.net", 1),
            Err(R::MAILSRV_RESULT_INVALID_ARGUMENT)
        );
        // Not for this host, or not DNS: no address.
        assert_eq!(
            address(&r, "other.example.net", 0),
            Err(R::MAILSRV_RESULT_INVALID_ARGUMENT)
        );
        assert_eq!(
            address(&[1, 2, 3], "mail.example.net", 0),
            Err(R::MAILSRV_RESULT_INVALID_ARGUMENT)
        );

        let mut n = 0usize;
        // SAFETY: NULL buffer: only the size is written.
        let small = unsafe {
            mailsrv_address_in_response(
                r.as_ptr(),
                r.len(),
                b"mail.example.net".as_ptr(),
                16,
                0,
                std::ptr::null_mut(),
                0,
                &mut n,
            )
        };
        assert_eq!((small, n), (R::MAILSRV_RESULT_INSUFFICIENT_SIZE, 9));
    }
}
