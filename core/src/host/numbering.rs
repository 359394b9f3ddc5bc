//! The numbers other ABIs (the C library's `uint32_t` enumerations) give the core's enums: a value's
//! number is its position in [`Numbered::ALL`]. The C enumerations in `ffi/src/enums.rs` are
//! generated from these lists, so a list is the one place that orders an enum. Append new
//! values at the end: moving one changes the ABI.

use crate::dns::{DnssecSource, DnssecStatus, Outcome};
use crate::identity::IdentityKind;
use crate::negotiate::{AbortReason, StepKind, TlsOutcome};
use crate::plan::{Failure, MinimumSecurity, RequestOutcome, Source, Status, TlsOrder, Trust};
use crate::service::{Protocol, Security, Service};

/// An enum without data whose values are numbered 0, 1, … in the order of [`Numbered::ALL`].
pub trait Numbered: Copy + PartialEq + 'static {
    /// Every value, in numbering order.
    const ALL: &'static [Self];

    /// This value's number (its position in [`Numbered::ALL`]).
    fn number(self) -> u32 {
        let i = Self::ALL
            .iter()
            .position(|v| *v == self)
            .unwrap_or(Self::ALL.len());
        u32::try_from(i).unwrap_or(u32::MAX)
    }

    /// The value numbered `n`, or `None` for a number that is no value.
    fn from_number(n: u32) -> Option<Self> {
        Self::ALL.get(usize::try_from(n).ok()?).copied()
    }
}

/// Implements [`Numbered`] from a list, and checks at compile time that the list names every
/// variant (an exhaustive match over the same paths): a new variant must be numbered.
macro_rules! numbered {
    ($($(#[$attr:meta])* $ty:ty => [$($v:path),+ $(,)?];)+) => {
        $($(#[$attr])* impl Numbered for $ty {
            const ALL: &'static [Self] = &[$($v),+];
        }
        $(#[$attr])* const _: () = {
            #[allow(dead_code, reason = "only compiled, for the exhaustiveness check")]
            fn every_variant_is_listed(v: $ty) {
                match v {
                    $($v)|+ => {}
                }
            }
        };)+
    };
}

numbered! {
    Service => [Service::Submissions, Service::Submission, Service::Imaps, Service::Imap,
        Service::Pop3s, Service::Pop3];
    Protocol => [Protocol::Imap, Protocol::Pop3, Protocol::Submission];
    Security => [Security::ImplicitTls, Security::Starttls, Security::Cleartext];
    Trust => [Trust::DnssecSecure, Trust::InDomain, Trust::NeedsConfirmation, Trust::Authenticated];
    Status => [Status::Found, Status::NotOffered, Status::NotPublished, Status::LookupFailed,
        Status::NoUsableRecords, Status::NotRequested];
    Outcome => [Outcome::Pending, Outcome::Records, Outcome::NoData, Outcome::NxDomain,
        Outcome::ServFail, Outcome::Refused, Outcome::OtherError, Outcome::Truncated,
        Outcome::Malformed, Outcome::Timeout, Outcome::NetworkError];
    DnssecStatus => [DnssecStatus::Secure, DnssecStatus::Insecure, DnssecStatus::Bogus,
        DnssecStatus::Indeterminate];
    DnssecSource => [DnssecSource::None, DnssecSource::Validated, DnssecSource::TrustAd,
        DnssecSource::Host];
    IdentityKind => [IdentityKind::SrvId, IdentityKind::DnsId, IdentityKind::DaneEe,
        IdentityKind::DaneTa, IdentityKind::PkixTa, IdentityKind::PkixEe];
    Failure => [Failure::Timeout, Failure::NetworkError, Failure::NxDomain, Failure::NoData,
        Failure::ServFail, Failure::Refused];
    MinimumSecurity => [MinimumSecurity::ImplicitTls, MinimumSecurity::Starttls,
        MinimumSecurity::Cleartext];
    TlsOrder => [TlsOrder::ImplicitFirst, TlsOrder::DomainPriority];
    TlsOutcome => [TlsOutcome::Verified, TlsOutcome::UserConfirmed, TlsOutcome::NotVerified];
    StepKind => [StepKind::Send, StepKind::NeedMore, StepKind::StartTls, StepKind::AwaitTls,
        StepKind::Done, StepKind::Abort, StepKind::SendSecret, StepKind::LoggedIn,
        StepKind::LoginFailed];
    AbortReason => [AbortReason::InjectedAfterUpgrade, AbortReason::StarttlsNotOffered,
        AbortReason::StarttlsRefused, AbortReason::PreauthWithoutTls, AbortReason::ServerRefused,
        AbortReason::ProtocolViolation, AbortReason::LineTooLong,
        AbortReason::CertificateNotVerified, AbortReason::NoAuthentication, AbortReason::Misuse,
        AbortReason::TooMuchBeforeTls, AbortReason::TooManyLines, AbortReason::TooManyCapabilities,
        AbortReason::ReplyTooLong, AbortReason::ChallengeTooLarge];
    Source => [Source::Srv, Source::Autoconfig, Source::WellKnown, Source::Ispdb,
        Source::MxAutoconfig, Source::MxIspdb, Source::AutoconfigHttp];
    RequestOutcome => [RequestOutcome::Pending, RequestOutcome::Document,
        RequestOutcome::HttpStatus, RequestOutcome::ContentType, RequestOutcome::Refused,
        RequestOutcome::Failed];
    #[cfg(feature = "autoconfig")]
    crate::plan::HttpFailure => [crate::plan::HttpFailure::Timeout,
        crate::plan::HttpFailure::NetworkError, crate::plan::HttpFailure::TlsError,
        crate::plan::HttpFailure::InsecureRedirect, crate::plan::HttpFailure::TooLarge];
    #[cfg(feature = "verify")]
    crate::verify::VerdictStatus => [crate::verify::VerdictStatus::Verified,
        crate::verify::VerdictStatus::NeedsConfirmation, crate::verify::VerdictStatus::Rejected];
    #[cfg(feature = "verify")]
    crate::verify::RejectReason => [crate::verify::RejectReason::UnknownIssuer,
        crate::verify::RejectReason::Expired, crate::verify::RejectReason::NotYetValid,
        crate::verify::RejectReason::BadSignature, crate::verify::RejectReason::WrongKeyUsage,
        crate::verify::RejectReason::NameConstraints, crate::verify::RejectReason::NameMismatch,
        crate::verify::RejectReason::MalformedCertificate, crate::verify::RejectReason::Other,
        crate::verify::RejectReason::TlsaMismatch];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each value appears once in its list, and numbers map back to values.
    fn distinct_and_round_trip<T: Numbered + core::fmt::Debug>() {
        for (i, v) in T::ALL.iter().enumerate() {
            assert_eq!(v.number() as usize, i, "{v:?} is listed twice");
            assert_eq!(T::from_number(v.number()), Some(*v));
        }
        assert_eq!(T::from_number(T::ALL.len() as u32), None);
        assert_eq!(T::from_number(u32::MAX), None);
    }

    #[test]
    fn every_list_numbers_each_value_once() {
        distinct_and_round_trip::<Service>();
        distinct_and_round_trip::<Protocol>();
        distinct_and_round_trip::<Security>();
        distinct_and_round_trip::<Trust>();
        distinct_and_round_trip::<Status>();
        distinct_and_round_trip::<Outcome>();
        distinct_and_round_trip::<DnssecStatus>();
        distinct_and_round_trip::<DnssecSource>();
        distinct_and_round_trip::<IdentityKind>();
        distinct_and_round_trip::<Failure>();
        distinct_and_round_trip::<MinimumSecurity>();
        distinct_and_round_trip::<TlsOrder>();
        distinct_and_round_trip::<TlsOutcome>();
        distinct_and_round_trip::<Source>();
        distinct_and_round_trip::<RequestOutcome>();
        #[cfg(feature = "autoconfig")]
        distinct_and_round_trip::<crate::plan::HttpFailure>();
        #[cfg(feature = "verify")]
        distinct_and_round_trip::<crate::verify::VerdictStatus>();
        #[cfg(feature = "verify")]
        distinct_and_round_trip::<crate::verify::RejectReason>();
    }
}
