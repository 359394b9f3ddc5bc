//! The one error type of mailsrv and its stable numeric codes.
//!
//! `Err` is reserved for misuse and for input that cannot be understood at all (a malformed email
//! address, an unknown question id, a zone file that does not parse). Expected real-world outcomes
//! such as NXDOMAIN, SERVFAIL, truncation or a malformed DNS answer are data in the plan.

use core::fmt;

/// Defines [`ErrorCode`] from one table: each code's variant, number, name and message. The C
/// header's `mailsrv_result` values, `mailsrv_result_name` and `mailsrv_result_message`, and the
/// JS `code` property all come from it.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $value:literal, $name:literal, $message:literal;)*) => {
        /// Stable numeric error codes, shared by the Rust, C and JavaScript surfaces.
        ///
        /// Values are grouped by range and never renumbered; retired values stay reserved:
        /// 1xx input, 2xx DNS, 3xx certificate, 4xx protocol, 5xx host, 6xx autoconfig document,
        /// 9xx internal. The 5xx
        /// codes are never returned by the core: they are the one spelling of the errors hosts
        /// raise around it (a timeout, a failed connection or TLS handshake), so that every
        /// surface reports errors in one SCREAMING_SNAKE vocabulary.
        #[repr(u32)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[doc = $doc])* $variant = $value,)*
        }

        impl ErrorCode {
            /// The code's name in SCREAMING_SNAKE_CASE, as used by the C and JS surfaces.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// A one-line description of the code (the C `mailsrv_result_message`); an
            /// [`Error`]'s own message names the specific problem.
            pub fn description(self) -> &'static str {
                match self {
                    $(Self::$variant => $message,)*
                }
            }

            /// Every code, in numeric order (for tables and tests).
            pub const ALL: &'static [ErrorCode] = &[$(Self::$variant,)*];
        }
    };
}

error_codes! {
    /// The email address is empty.
    EmptyAddress = 100, "EMPTY_ADDRESS", "the email address is empty";
    /// The email address has no `@`.
    MissingAt = 101, "MISSING_AT", "the email address has no @";
    /// The local part (before `@`) is empty.
    EmptyLocalPart = 102, "EMPTY_LOCAL_PART", "the part before @ is empty";
    /// The local part is not a valid dot-atom or quoted string.
    InvalidLocalPart = 103, "INVALID_LOCAL_PART", "the local part is not a valid dot-atom or quoted string";
    /// The domain is empty.
    EmptyDomain = 104, "EMPTY_DOMAIN", "the domain is empty";
    /// The domain is an address literal such as `[192.0.2.1]`.
    AddressLiteral = 105, "ADDRESS_LITERAL", "the domain is an address literal; SRV discovery needs a domain name";
    /// The domain is not a valid host name.
    InvalidDomain = 106, "INVALID_DOMAIN", "the domain is not a valid host name";
    /// An option value is not allowed (for example, no service selected).
    InvalidOption = 107, "INVALID_OPTION", "an option value is not allowed";
    /// The address or one of its parts is too long.
    AddressTooLong = 108, "ADDRESS_TOO_LONG", "the address or one of its parts is too long";
    /// The question id does not belong to this discovery.
    UnknownQuestion = 200, "UNKNOWN_QUESTION", "the question id does not belong to this discovery";
    /// An answer for this question was already recorded.
    AlreadyAnswered = 201, "ALREADY_ANSWERED", "the question already has a final answer";
    /// The message is not a response (QR bit clear).
    NotAResponse = 202, "NOT_A_RESPONSE", "the message is a query, not a response";
    /// The response's message ID differs from the query's.
    MessageIdMismatch = 203, "MESSAGE_ID_MISMATCH", "the response's message ID differs from the query's";
    /// The response's question section does not echo the query.
    QuestionMismatch = 204, "QUESTION_MISMATCH", "the response does not echo the question";
    /// A parsed SRV record given by the host is invalid.
    InvalidRecord = 205, "INVALID_RECORD", "a parsed SRV record is invalid";
    /// A zone file could not be parsed.
    ZoneParse = 206, "ZONE_PARSE", "the zone file could not be parsed";
    /// A DNS query message could not be parsed or encoded.
    InvalidQuery = 207, "INVALID_QUERY", "the DNS query could not be parsed or encoded";
    /// The certificate chain is empty.
    EmptyChain = 300, "EMPTY_CHAIN", "the certificate chain is empty";
    /// The certificate chain is longer than accepted.
    ChainTooLong = 301, "CHAIN_TOO_LONG", "the certificate chain is too long";
    /// A trust anchor is missing or does not parse.
    InvalidTrustAnchor = 302, "INVALID_TRUST_ANCHOR", "a trust anchor is missing or does not parse";
    /// A PEM or DER input could not be decoded.
    InvalidCertificateEncoding = 303, "INVALID_CERTIFICATE_ENCODING", "a PEM or DER certificate could not be decoded";
    /// A TLSA record given by the host is not `usage selector matching-type hex`, or its data
    /// is longer than the cap (`MAX_TLSA_DATA`).
    InvalidTlsaRecord = 304, "INVALID_TLSA_RECORD", "a TLSA record is malformed or its data is too long";
    /// More TLSA records were given for one server than the cap (`MAX_TLSA_RECORDS`).
    TooManyTlsaRecords = 305, "TOO_MANY_TLSA_RECORDS", "more TLSA records than accepted for one server";
    /// Host: no answer within the time limit (a DNS query, a connection, a negotiation).
    Timeout = 500, "TIMEOUT", "no answer within the time limit";
    /// Host: the query could not be sent, or the connection failed or was closed.
    NetworkError = 501, "NETWORK_ERROR", "the query could not be sent or the connection failed";
    /// Host: the TLS handshake failed.
    TlsFailed = 502, "TLS_FAILED", "the TLS handshake failed";
    /// Host: the server selected an ALPN protocol that is not the candidate's (ALPACA).
    AlpnMismatch = 503, "ALPN_MISMATCH", "the server selected an ALPN protocol that is not a mail protocol";
    /// Host: the server sent more than a host reads on one connection
    /// (`host_rules::MAX_CONNECTION_BYTES`).
    TooMuchData = 504, "TOO_MUCH_DATA", "the server sent more than the host reads on one connection";
    /// The autoconfig document exceeds a documented size, depth, node, section or domain cap.
    AutoconfigTooLarge = 600, "AUTOCONFIG_TOO_LARGE", "the autoconfig document exceeds a size, depth or count limit";
    /// The autoconfig document is not UTF-8 (invalid bytes, UTF-16, another declared encoding).
    AutoconfigEncoding = 601, "AUTOCONFIG_ENCODING", "the autoconfig document is not UTF-8";
    /// The autoconfig document has a DOCTYPE or an entity declaration (never read or expanded).
    AutoconfigDoctype = 602, "AUTOCONFIG_DOCTYPE", "the autoconfig document has a DOCTYPE; DTDs and entities are refused";
    /// The autoconfig document is not well-formed XML.
    AutoconfigMalformed = 603, "AUTOCONFIG_MALFORMED", "the autoconfig document is not well-formed XML";
    /// The document's root is not `clientConfig`, or it has no `emailProvider`.
    AutoconfigWrongRoot = 604, "AUTOCONFIG_WRONG_ROOT", "the document is not a clientConfig with an emailProvider";
    /// An internal invariant was broken; please report it.
    Internal = 900, "INTERNAL", "an internal invariant was broken; please report it";
}

impl ErrorCode {
    /// Whether `receive` refused the response because it answers another question (another
    /// message ID or question, or a query instead of a response): a host treats it as a lost
    /// answer for this question, not as a failure of the whole discovery.
    pub fn is_foreign_response(self) -> bool {
        matches!(
            self,
            Self::MessageIdMismatch | Self::QuestionMismatch | Self::NotAResponse
        )
    }

    /// The code with this SCREAMING_SNAKE name (`"TIMEOUT"`), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl ErrorCode {
    /// The code with this number, if there is one.
    pub fn from_u32(value: u32) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| *c as u32 == value)
    }
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
    /// 3xx certificate, 4xx protocol, 5xx host, 6xx autoconfig document, 9xx internal). The match has no wildcard arm, so a new code
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
            InvalidTlsaRecord => (21, 3),
            TooManyTlsaRecords => (22, 3),
            Timeout => (23, 5),
            NetworkError => (24, 5),
            TlsFailed => (25, 5),
            AlpnMismatch => (26, 5),
            TooMuchData => (27, 5),
            AutoconfigTooLarge => (28, 6),
            AutoconfigEncoding => (29, 6),
            AutoconfigDoctype => (30, 6),
            AutoconfigMalformed => (31, 6),
            AutoconfigWrongRoot => (32, 6),
            Internal => (33, 9),
        }
    }

    #[test]
    fn every_code_is_listed_once_in_numeric_order_and_in_its_documented_range() {
        assert_eq!(ErrorCode::ALL.len(), 34, "ALL lists every code once");
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
