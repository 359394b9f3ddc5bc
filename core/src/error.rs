//! The one error type of mailsrv and its stable numeric codes.
//!
//! `Err` is reserved for misuse and for input that cannot be understood at all (a malformed email
//! address, an unknown question id, a zone file that does not parse). Expected real-world outcomes
//! such as NXDOMAIN, SERVFAIL, truncation or a malformed DNS answer are data in the plan.

use core::fmt;

/// Stable numeric error codes, shared by the Rust, C and JavaScript surfaces.
///
/// Values are grouped by range and never renumbered; retired values stay reserved:
/// 1xx input, 2xx DNS, 3xx certificate, 4xx protocol, 9xx internal.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The email address is empty.
    EmptyAddress = 100,
    /// The email address has no `@`.
    MissingAt = 101,
    /// The local part (before `@`) is empty.
    EmptyLocalPart = 102,
    /// The local part is not a valid dot-atom or quoted string.
    InvalidLocalPart = 103,
    /// The domain is empty.
    EmptyDomain = 104,
    /// The domain is an address literal such as `[192.0.2.1]`.
    AddressLiteral = 105,
    /// The domain is not a valid host name.
    InvalidDomain = 106,
    /// An option value is not allowed (for example, no service selected).
    InvalidOption = 107,
    /// The address or one of its parts is too long.
    AddressTooLong = 108,
    /// The question id does not belong to this discovery.
    UnknownQuestion = 200,
    /// An answer for this question was already recorded.
    AlreadyAnswered = 201,
    /// The message is not a response (QR bit clear).
    NotAResponse = 202,
    /// The response's message ID differs from the query's.
    MessageIdMismatch = 203,
    /// The response's question section does not echo the query.
    QuestionMismatch = 204,
    /// A parsed SRV record given by the host is invalid.
    InvalidRecord = 205,
    /// A zone file could not be parsed.
    ZoneParse = 206,
    /// A DNS query message could not be parsed or encoded.
    InvalidQuery = 207,
    /// The certificate chain is empty.
    EmptyChain = 300,
    /// The certificate chain is longer than accepted.
    ChainTooLong = 301,
    /// A trust anchor is missing or does not parse.
    InvalidTrustAnchor = 302,
    /// A PEM or DER input could not be decoded.
    InvalidCertificateEncoding = 303,
    /// An internal invariant was broken; please report it.
    Internal = 900,
}

impl ErrorCode {
    /// The code's name in SCREAMING_SNAKE_CASE, as used by the C and JS surfaces.
    pub fn name(self) -> &'static str {
        match self {
            Self::EmptyAddress => "EMPTY_ADDRESS",
            Self::MissingAt => "MISSING_AT",
            Self::EmptyLocalPart => "EMPTY_LOCAL_PART",
            Self::InvalidLocalPart => "INVALID_LOCAL_PART",
            Self::EmptyDomain => "EMPTY_DOMAIN",
            Self::AddressLiteral => "ADDRESS_LITERAL",
            Self::InvalidDomain => "INVALID_DOMAIN",
            Self::InvalidOption => "INVALID_OPTION",
            Self::AddressTooLong => "ADDRESS_TOO_LONG",
            Self::UnknownQuestion => "UNKNOWN_QUESTION",
            Self::AlreadyAnswered => "ALREADY_ANSWERED",
            Self::NotAResponse => "NOT_A_RESPONSE",
            Self::MessageIdMismatch => "MESSAGE_ID_MISMATCH",
            Self::QuestionMismatch => "QUESTION_MISMATCH",
            Self::InvalidRecord => "INVALID_RECORD",
            Self::ZoneParse => "ZONE_PARSE",
            Self::InvalidQuery => "INVALID_QUERY",
            Self::EmptyChain => "EMPTY_CHAIN",
            Self::ChainTooLong => "CHAIN_TOO_LONG",
            Self::InvalidTrustAnchor => "INVALID_TRUST_ANCHOR",
            Self::InvalidCertificateEncoding => "INVALID_CERTIFICATE_ENCODING",
            Self::Internal => "INTERNAL",
        }
    }

    /// Every code, in numeric order (for tables and tests).
    pub const ALL: &'static [ErrorCode] = &[
        Self::EmptyAddress,
        Self::MissingAt,
        Self::EmptyLocalPart,
        Self::InvalidLocalPart,
        Self::EmptyDomain,
        Self::AddressLiteral,
        Self::InvalidDomain,
        Self::InvalidOption,
        Self::AddressTooLong,
        Self::UnknownQuestion,
        Self::AlreadyAnswered,
        Self::NotAResponse,
        Self::MessageIdMismatch,
        Self::QuestionMismatch,
        Self::InvalidRecord,
        Self::ZoneParse,
        Self::InvalidQuery,
        Self::EmptyChain,
        Self::ChainTooLong,
        Self::InvalidTrustAnchor,
        Self::InvalidCertificateEncoding,
        Self::Internal,
    ];
}

/// An error: a stable [`ErrorCode`] plus a message naming the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    /// Creates an error with `code` and a human-readable `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The message naming the problem (without the code).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code.name(),
            self.code as u32,
            self.message
        )
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_names_are_screaming_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(
                seen.insert(*code as u32),
                "duplicate value {}",
                *code as u32
            );
            let name = code.name();
            assert!(
                name.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
                "{name}"
            );
        }
    }

    /// Each code's position in [`ErrorCode::ALL`] and its documented range (1xx input, 2xx DNS,
    /// 3xx certificate, 4xx protocol, 9xx internal). The match has no wildcard arm, so a new code
    /// does not compile until it is placed here, and then the test below fails until `ALL` lists it.
    fn documented(code: ErrorCode) -> (usize, u32) {
        use ErrorCode::*;
        match code {
            EmptyAddress => (0, 1),
            MissingAt => (1, 1),
            EmptyLocalPart => (2, 1),
            InvalidLocalPart => (3, 1),
            EmptyDomain => (4, 1),
            AddressLiteral => (5, 1),
            InvalidDomain => (6, 1),
            InvalidOption => (7, 1),
            AddressTooLong => (8, 1),
            UnknownQuestion => (9, 2),
            AlreadyAnswered => (10, 2),
            NotAResponse => (11, 2),
            MessageIdMismatch => (12, 2),
            QuestionMismatch => (13, 2),
            InvalidRecord => (14, 2),
            ZoneParse => (15, 2),
            InvalidQuery => (16, 2),
            EmptyChain => (17, 3),
            ChainTooLong => (18, 3),
            InvalidTrustAnchor => (19, 3),
            InvalidCertificateEncoding => (20, 3),
            Internal => (21, 9),
        }
    }

    #[test]
    fn every_code_is_listed_once_in_numeric_order_and_in_its_documented_range() {
        assert_eq!(ErrorCode::ALL.len(), 22, "ALL lists every code once");
        for (i, code) in ErrorCode::ALL.iter().enumerate() {
            let (position, range) = documented(*code);
            assert_eq!(position, i, "{code:?} is out of place in ALL");
            assert_eq!(*code as u32 / 100, range, "{code:?} = {}", *code as u32);
        }
        for pair in ErrorCode::ALL.windows(2) {
            assert!(
                pair[0] as u32 > 0 && (pair[0] as u32) < pair[1] as u32,
                "{pair:?}"
            );
        }
    }

    #[test]
    fn display_names_code_and_problem() {
        let e = Error::new(ErrorCode::InvalidDomain, "label `a b` has a space");
        assert_eq!(
            e.to_string(),
            "INVALID_DOMAIN (106): label `a b` has a space"
        );
    }
}
