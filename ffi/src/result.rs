//! Generated from the core's error table (`ErrorCode`) and `BOUNDARY_CODES` by
//! `MAILSRV_UPDATE_HEADER=1 cargo test -p mailsrv-ffi`. Do not edit.

use core::ffi::CStr;

/// Result of every fallible function: `MAILSRV_RESULT_OK` (0), a boundary code (1–4), or
/// one of the core's error codes (the same numbers as `mailsrv::ErrorCode`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_result {
    /// Success.
    MAILSRV_RESULT_OK = 0,
    /// A required pointer argument was NULL.
    MAILSRV_RESULT_NULL_PARAMETER = 1,
    /// The library panicked (a bug); free the handle involved and do not use it again.
    MAILSRV_RESULT_PANIC = 2,
    /// The buffer is too small; *out_n holds the size needed.
    MAILSRV_RESULT_INSUFFICIENT_SIZE = 3,
    /// An argument is out of range (an unknown enum value, a bad index) or not UTF-8.
    MAILSRV_RESULT_INVALID_ARGUMENT = 4,
    /// The email address is empty.
    MAILSRV_RESULT_EMPTY_ADDRESS = 100,
    /// The email address has no @.
    MAILSRV_RESULT_MISSING_AT = 101,
    /// The part before @ is empty.
    MAILSRV_RESULT_EMPTY_LOCAL_PART = 102,
    /// The local part is not a valid dot-atom or quoted string.
    MAILSRV_RESULT_INVALID_LOCAL_PART = 103,
    /// The domain is empty.
    MAILSRV_RESULT_EMPTY_DOMAIN = 104,
    /// The domain is an address literal; SRV discovery needs a domain name.
    MAILSRV_RESULT_ADDRESS_LITERAL = 105,
    /// The domain is not a valid host name.
    MAILSRV_RESULT_INVALID_DOMAIN = 106,
    /// An option value is not allowed.
    MAILSRV_RESULT_INVALID_OPTION = 107,
    /// The address or one of its parts is too long.
    MAILSRV_RESULT_ADDRESS_TOO_LONG = 108,
    /// The question id does not belong to this discovery.
    MAILSRV_RESULT_UNKNOWN_QUESTION = 200,
    /// The question already has a final answer.
    MAILSRV_RESULT_ALREADY_ANSWERED = 201,
    /// The message is a query, not a response.
    MAILSRV_RESULT_NOT_A_RESPONSE = 202,
    /// The response's message ID differs from the query's.
    MAILSRV_RESULT_MESSAGE_ID_MISMATCH = 203,
    /// The response does not echo the question.
    MAILSRV_RESULT_QUESTION_MISMATCH = 204,
    /// A parsed SRV record is invalid.
    MAILSRV_RESULT_INVALID_RECORD = 205,
    /// The zone file could not be parsed.
    MAILSRV_RESULT_ZONE_PARSE = 206,
    /// The DNS query could not be parsed or encoded.
    MAILSRV_RESULT_INVALID_QUERY = 207,
    /// The certificate chain is empty.
    MAILSRV_RESULT_EMPTY_CHAIN = 300,
    /// The certificate chain is too long.
    MAILSRV_RESULT_CHAIN_TOO_LONG = 301,
    /// A trust anchor is missing or does not parse.
    MAILSRV_RESULT_INVALID_TRUST_ANCHOR = 302,
    /// A PEM or DER certificate could not be decoded.
    MAILSRV_RESULT_INVALID_CERTIFICATE_ENCODING = 303,
    /// A TLSA record is malformed or its data is too long.
    MAILSRV_RESULT_INVALID_TLSA_RECORD = 304,
    /// More TLSA records than accepted for one server.
    MAILSRV_RESULT_TOO_MANY_TLSA_RECORDS = 305,
    /// No answer within the time limit.
    MAILSRV_RESULT_TIMEOUT = 500,
    /// The query could not be sent or the connection failed.
    MAILSRV_RESULT_NETWORK_ERROR = 501,
    /// The TLS handshake failed.
    MAILSRV_RESULT_TLS_FAILED = 502,
    /// The server selected an ALPN protocol that is not a mail protocol.
    MAILSRV_RESULT_ALPN_MISMATCH = 503,
    /// The server sent more than the host reads on one connection.
    MAILSRV_RESULT_TOO_MUCH_DATA = 504,
    /// The autoconfig document exceeds a size, depth or count limit.
    MAILSRV_RESULT_AUTOCONFIG_TOO_LARGE = 600,
    /// The autoconfig document is not UTF-8.
    MAILSRV_RESULT_AUTOCONFIG_ENCODING = 601,
    /// The autoconfig document has a DOCTYPE; DTDs and entities are refused.
    MAILSRV_RESULT_AUTOCONFIG_DOCTYPE = 602,
    /// The autoconfig document is not well-formed XML.
    MAILSRV_RESULT_AUTOCONFIG_MALFORMED = 603,
    /// The document is not a clientConfig with an emailProvider.
    MAILSRV_RESULT_AUTOCONFIG_WRONG_ROOT = 604,
    /// An internal invariant was broken; please report it.
    MAILSRV_RESULT_INTERNAL = 900,
}

impl mailsrv_result {
    /// Every result code, in numeric order.
    pub(crate) const ALL: &[mailsrv_result] = &[
        mailsrv_result::MAILSRV_RESULT_OK,
        mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER,
        mailsrv_result::MAILSRV_RESULT_PANIC,
        mailsrv_result::MAILSRV_RESULT_INSUFFICIENT_SIZE,
        mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT,
        mailsrv_result::MAILSRV_RESULT_EMPTY_ADDRESS,
        mailsrv_result::MAILSRV_RESULT_MISSING_AT,
        mailsrv_result::MAILSRV_RESULT_EMPTY_LOCAL_PART,
        mailsrv_result::MAILSRV_RESULT_INVALID_LOCAL_PART,
        mailsrv_result::MAILSRV_RESULT_EMPTY_DOMAIN,
        mailsrv_result::MAILSRV_RESULT_ADDRESS_LITERAL,
        mailsrv_result::MAILSRV_RESULT_INVALID_DOMAIN,
        mailsrv_result::MAILSRV_RESULT_INVALID_OPTION,
        mailsrv_result::MAILSRV_RESULT_ADDRESS_TOO_LONG,
        mailsrv_result::MAILSRV_RESULT_UNKNOWN_QUESTION,
        mailsrv_result::MAILSRV_RESULT_ALREADY_ANSWERED,
        mailsrv_result::MAILSRV_RESULT_NOT_A_RESPONSE,
        mailsrv_result::MAILSRV_RESULT_MESSAGE_ID_MISMATCH,
        mailsrv_result::MAILSRV_RESULT_QUESTION_MISMATCH,
        mailsrv_result::MAILSRV_RESULT_INVALID_RECORD,
        mailsrv_result::MAILSRV_RESULT_ZONE_PARSE,
        mailsrv_result::MAILSRV_RESULT_INVALID_QUERY,
        mailsrv_result::MAILSRV_RESULT_EMPTY_CHAIN,
        mailsrv_result::MAILSRV_RESULT_CHAIN_TOO_LONG,
        mailsrv_result::MAILSRV_RESULT_INVALID_TRUST_ANCHOR,
        mailsrv_result::MAILSRV_RESULT_INVALID_CERTIFICATE_ENCODING,
        mailsrv_result::MAILSRV_RESULT_INVALID_TLSA_RECORD,
        mailsrv_result::MAILSRV_RESULT_TOO_MANY_TLSA_RECORDS,
        mailsrv_result::MAILSRV_RESULT_TIMEOUT,
        mailsrv_result::MAILSRV_RESULT_NETWORK_ERROR,
        mailsrv_result::MAILSRV_RESULT_TLS_FAILED,
        mailsrv_result::MAILSRV_RESULT_ALPN_MISMATCH,
        mailsrv_result::MAILSRV_RESULT_TOO_MUCH_DATA,
        mailsrv_result::MAILSRV_RESULT_AUTOCONFIG_TOO_LARGE,
        mailsrv_result::MAILSRV_RESULT_AUTOCONFIG_ENCODING,
        mailsrv_result::MAILSRV_RESULT_AUTOCONFIG_DOCTYPE,
        mailsrv_result::MAILSRV_RESULT_AUTOCONFIG_MALFORMED,
        mailsrv_result::MAILSRV_RESULT_AUTOCONFIG_WRONG_ROOT,
        mailsrv_result::MAILSRV_RESULT_INTERNAL,
    ];
}

/// The result name for any `u32` (`UNKNOWN` for a number that is no code).
pub(crate) fn result_name(code: u32) -> &'static CStr {
    match code {
        0 => c"OK",
        1 => c"NULL_PARAMETER",
        2 => c"PANIC",
        3 => c"INSUFFICIENT_SIZE",
        4 => c"INVALID_ARGUMENT",
        100 => c"EMPTY_ADDRESS",
        101 => c"MISSING_AT",
        102 => c"EMPTY_LOCAL_PART",
        103 => c"INVALID_LOCAL_PART",
        104 => c"EMPTY_DOMAIN",
        105 => c"ADDRESS_LITERAL",
        106 => c"INVALID_DOMAIN",
        107 => c"INVALID_OPTION",
        108 => c"ADDRESS_TOO_LONG",
        200 => c"UNKNOWN_QUESTION",
        201 => c"ALREADY_ANSWERED",
        202 => c"NOT_A_RESPONSE",
        203 => c"MESSAGE_ID_MISMATCH",
        204 => c"QUESTION_MISMATCH",
        205 => c"INVALID_RECORD",
        206 => c"ZONE_PARSE",
        207 => c"INVALID_QUERY",
        300 => c"EMPTY_CHAIN",
        301 => c"CHAIN_TOO_LONG",
        302 => c"INVALID_TRUST_ANCHOR",
        303 => c"INVALID_CERTIFICATE_ENCODING",
        304 => c"INVALID_TLSA_RECORD",
        305 => c"TOO_MANY_TLSA_RECORDS",
        500 => c"TIMEOUT",
        501 => c"NETWORK_ERROR",
        502 => c"TLS_FAILED",
        503 => c"ALPN_MISMATCH",
        504 => c"TOO_MUCH_DATA",
        600 => c"AUTOCONFIG_TOO_LARGE",
        601 => c"AUTOCONFIG_ENCODING",
        602 => c"AUTOCONFIG_DOCTYPE",
        603 => c"AUTOCONFIG_MALFORMED",
        604 => c"AUTOCONFIG_WRONG_ROOT",
        900 => c"INTERNAL",
        _ => c"UNKNOWN",
    }
}

/// A readable message for any `u32`.
pub(crate) fn result_message(code: u32) -> &'static CStr {
    match code {
        0 => c"success",
        1 => c"a required pointer argument was NULL",
        2 => c"the library panicked (a bug); free the handle involved and do not use it again",
        3 => c"the buffer is too small; *out_n holds the size needed",
        4 => c"an argument is out of range (an unknown enum value, a bad index) or not UTF-8",
        100 => c"the email address is empty",
        101 => c"the email address has no @",
        102 => c"the part before @ is empty",
        103 => c"the local part is not a valid dot-atom or quoted string",
        104 => c"the domain is empty",
        105 => c"the domain is an address literal; SRV discovery needs a domain name",
        106 => c"the domain is not a valid host name",
        107 => c"an option value is not allowed",
        108 => c"the address or one of its parts is too long",
        200 => c"the question id does not belong to this discovery",
        201 => c"the question already has a final answer",
        202 => c"the message is a query, not a response",
        203 => c"the response's message ID differs from the query's",
        204 => c"the response does not echo the question",
        205 => c"a parsed SRV record is invalid",
        206 => c"the zone file could not be parsed",
        207 => c"the DNS query could not be parsed or encoded",
        300 => c"the certificate chain is empty",
        301 => c"the certificate chain is too long",
        302 => c"a trust anchor is missing or does not parse",
        303 => c"a PEM or DER certificate could not be decoded",
        304 => c"a TLSA record is malformed or its data is too long",
        305 => c"more TLSA records than accepted for one server",
        500 => c"no answer within the time limit",
        501 => c"the query could not be sent or the connection failed",
        502 => c"the TLS handshake failed",
        503 => c"the server selected an ALPN protocol that is not a mail protocol",
        504 => c"the server sent more than the host reads on one connection",
        600 => c"the autoconfig document exceeds a size, depth or count limit",
        601 => c"the autoconfig document is not UTF-8",
        602 => c"the autoconfig document has a DOCTYPE; DTDs and entities are refused",
        603 => c"the autoconfig document is not well-formed XML",
        604 => c"the document is not a clientConfig with an emailProvider",
        900 => c"an internal invariant was broken; please report it",
        _ => c"unknown result code",
    }
}
