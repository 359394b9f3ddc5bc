//! A probe host's address lookups (D50): the core's A/AAAA queries for a candidate's target
//! that the plan gives no address, the addresses in their answers, and the failure when they
//! give none.

use mailsrv_core::host_rules::{MAX_NO_ADDRESS_DETAIL, MAX_NO_ADDRESS_HOST, no_address_error};

use crate::ffi_util::{bytes, copy_out, guard, mailsrv_result, text, write_out};

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

/// The failure of a probed candidate when the resolver the plan came from gives no address for
/// its target `host` (D50; the core's `host_rules::no_address_error`): writes its code to
/// `*out_code` (`MAILSRV_RESULT_NETWORK_ERROR`, as `uint32_t`) and copies its message (`no
/// address for HOST from the resolver`, then `: DETAIL` when `detail` is given; one line, at
/// most 1 571 bytes, without a NUL) into `buf` as `mailsrv_plan_json` does. `host` is
/// `host_len` bytes of UTF-8 (at most 1 024, e.g. a candidate's `host`); `detail` is the
/// resolver's own error text (at most 512 bytes of UTF-8), or NULL with `detail_len` 0 for
/// none. The core shows control characters, line separators and bidirectional controls as
/// U+FFFD.
///
/// Returns OK; INSUFFICIENT_SIZE with only `*out_n` written when `buf` is NULL or too small;
/// NULL_PARAMETER for a NULL `host` or `detail` with a non-zero length, or a NULL `out_code` or
/// `out_n`; INVALID_ARGUMENT for a text that is not UTF-8, contains a NUL byte or is longer than
/// its cap (refused before it is read).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_no_address_error(
    host: *const u8,
    host_len: usize,
    detail: *const u8,
    detail_len: usize,
    out_code: *mut u32,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> mailsrv_result {
    guard(|| {
        if out_code.is_null() || out_n.is_null() {
            return Err(mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER);
        }
        if host_len > MAX_NO_ADDRESS_HOST || detail_len > MAX_NO_ADDRESS_DETAIL {
            return Err(mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT);
        }
        // SAFETY: the caller's contracts for (host, host_len) and (detail, detail_len).
        let (host, detail) = unsafe { (text(host, host_len)?, text(detail, detail_len)?) };
        if host.contains('\0') || detail.contains('\0') {
            return Err(mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT);
        }
        let e = no_address_error(host, Some(detail));
        // SAFETY: buffer contract of copy_out.
        unsafe { copy_out(e.message().as_bytes(), buf, len, out_n)? };
        // SAFETY: checked non-NULL above; the caller guarantees it is valid for a write.
        unsafe { write_out(out_code, mailsrv_result::from(e.code()) as u32) }
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

    fn no_address(host: &[u8], detail: &[u8], cap: usize) -> Result<(u32, String), (R, usize)> {
        let mut buf = vec![0u8; cap];
        let (mut code, mut n) = (0u32, 0usize);
        // SAFETY: valid pointers and lengths.
        let r = unsafe {
            mailsrv_no_address_error(
                host.as_ptr(),
                host.len(),
                detail.as_ptr(),
                detail.len(),
                &mut code,
                buf.as_mut_ptr(),
                buf.len(),
                &mut n,
            )
        };
        if r == R::MAILSRV_RESULT_OK {
            Ok((code, String::from_utf8(buf[..n].to_vec()).unwrap()))
        } else {
            Err((r, n))
        }
    }

    #[test]
    fn d50_the_no_address_failure_is_the_cores_through_the_c_abi() {
        let core = mailsrv_core::host_rules::no_address_error("localhost", None);
        assert_eq!(
            no_address(b"localhost", b"", 256),
            Ok((
                R::MAILSRV_RESULT_NETWORK_ERROR as u32,
                core.message().into()
            ))
        );
        assert_eq!(
            no_address(b"mx.example.net", b"timed out", 256).map(|(_, m)| m),
            Ok("no address for mx.example.net from the resolver: timed out".into())
        );
        // A buffer too small: only the size.
        assert_eq!(
            no_address(b"localhost", b"", 8),
            Err((R::MAILSRV_RESULT_INSUFFICIENT_SIZE, core.message().len()))
        );
        // Hostile texts: a NUL, bytes that are not UTF-8, a length past the cap.
        let bad = R::MAILSRV_RESULT_INVALID_ARGUMENT;
        assert_eq!(no_address(b"local\0host", b"", 256), Err((bad, 0)));
        assert_eq!(no_address(b"localhost", b"a\0", 256), Err((bad, 0)));
        assert_eq!(no_address(b"\xff", b"", 256), Err((bad, 0)));
        let long = vec![b'a'; MAX_NO_ADDRESS_HOST + 1];
        assert_eq!(no_address(&long, b"", 4096), Err((bad, 0)));
        let long = vec![b'a'; MAX_NO_ADDRESS_DETAIL + 1];
        assert_eq!(no_address(b"localhost", &long, 4096), Err((bad, 0)));
        // The longest texts fit the documented 1 571 bytes.
        let host = vec![b'a'; MAX_NO_ADDRESS_HOST];
        let detail = vec![b'b'; MAX_NO_ADDRESS_DETAIL];
        assert_eq!(
            no_address(&host, &detail, 1571).map(|(_, m)| m.len()),
            Ok(1571)
        );
        // A length past the cap is refused before the pointer is read.
        let (mut code, mut n) = (0u32, 0usize);
        // SAFETY: the length is refused before the (dangling) pointer would be read.
        let r = unsafe {
            mailsrv_no_address_error(
                std::ptr::NonNull::<u8>::dangling().as_ptr(),
                usize::MAX,
                std::ptr::null(),
                0,
                &mut code,
                std::ptr::null_mut(),
                0,
                &mut n,
            )
        };
        assert_eq!((r, code, n), (bad, 0, 0));
        // NULL pointers with a length, or NULL out-parameters.
        // SAFETY: NULL pointers are checked before use.
        let r = unsafe {
            mailsrv_no_address_error(
                std::ptr::null(),
                3,
                std::ptr::null(),
                0,
                &mut code,
                std::ptr::null_mut(),
                0,
                &mut n,
            )
        };
        assert_eq!(r, R::MAILSRV_RESULT_NULL_PARAMETER);
        // SAFETY: as above.
        let r = unsafe {
            mailsrv_no_address_error(
                b"localhost".as_ptr(),
                9,
                std::ptr::null(),
                0,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                0,
                &mut n,
            )
        };
        assert_eq!(r, R::MAILSRV_RESULT_NULL_PARAMETER);
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
