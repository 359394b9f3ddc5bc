//! The data-less kinds of a [`Step`] and an [`Abort`], for hosts that number them (the C ABI
//! numbers them through `mailsrv::numbering`); their names are the `type` and `reason` of the
//! JSON form.

use serde::Serialize;

use super::{Abort, Step};

/// The kind of a [`Step`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// [`Step::Send`].
    Send,
    /// [`Step::NeedMore`].
    NeedMore,
    /// [`Step::StartTls`].
    StartTls,
    /// [`Step::AwaitTls`].
    AwaitTls,
    /// [`Step::Done`].
    Done,
    /// [`Step::Abort`].
    Abort,
    /// [`Step::SendSecret`].
    SendSecret,
    /// [`Step::LoggedIn`].
    LoggedIn,
    /// [`Step::LoginFailed`].
    LoginFailed,
}

/// The reason of an [`Abort`], without its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AbortReason {
    /// [`Abort::InjectedAfterUpgrade`].
    InjectedAfterUpgrade,
    /// [`Abort::StarttlsNotOffered`].
    StarttlsNotOffered,
    /// [`Abort::StarttlsRefused`].
    StarttlsRefused,
    /// [`Abort::PreauthWithoutTls`].
    PreauthWithoutTls,
    /// [`Abort::ServerRefused`].
    ServerRefused,
    /// [`Abort::ProtocolViolation`].
    ProtocolViolation,
    /// [`Abort::LineTooLong`].
    LineTooLong,
    /// [`Abort::TooMuchBeforeTls`].
    TooMuchBeforeTls,
    /// [`Abort::TooManyLines`].
    TooManyLines,
    /// [`Abort::TooManyCapabilities`].
    TooManyCapabilities,
    /// [`Abort::ReplyTooLong`].
    ReplyTooLong,
    /// [`Abort::ChallengeTooLarge`].
    ChallengeTooLarge,
    /// [`Abort::CertificateNotVerified`].
    CertificateNotVerified,
    /// [`Abort::NoAuthentication`].
    NoAuthentication,
    /// [`Abort::Misuse`].
    Misuse,
}

impl Step {
    /// This step's kind.
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Send(_) => StepKind::Send,
            Step::NeedMore => StepKind::NeedMore,
            Step::StartTls => StepKind::StartTls,
            Step::AwaitTls => StepKind::AwaitTls,
            Step::Done(_) => StepKind::Done,
            Step::Abort(_) => StepKind::Abort,
            Step::SendSecret(_) => StepKind::SendSecret,
            Step::LoggedIn => StepKind::LoggedIn,
            Step::LoginFailed(_) => StepKind::LoginFailed,
        }
    }
}

impl Abort {
    /// This abort's reason.
    pub fn reason(&self) -> AbortReason {
        match self {
            Abort::InjectedAfterUpgrade => AbortReason::InjectedAfterUpgrade,
            Abort::StarttlsNotOffered => AbortReason::StarttlsNotOffered,
            Abort::StarttlsRefused(_) => AbortReason::StarttlsRefused,
            Abort::PreauthWithoutTls => AbortReason::PreauthWithoutTls,
            Abort::ServerRefused(_) => AbortReason::ServerRefused,
            Abort::ProtocolViolation(_) => AbortReason::ProtocolViolation,
            Abort::LineTooLong => AbortReason::LineTooLong,
            Abort::TooMuchBeforeTls => AbortReason::TooMuchBeforeTls,
            Abort::TooManyLines => AbortReason::TooManyLines,
            Abort::TooManyCapabilities => AbortReason::TooManyCapabilities,
            Abort::ReplyTooLong => AbortReason::ReplyTooLong,
            Abort::ChallengeTooLarge => AbortReason::ChallengeTooLarge,
            Abort::CertificateNotVerified => AbortReason::CertificateNotVerified,
            Abort::NoAuthentication => AbortReason::NoAuthentication,
            Abort::Misuse(_) => AbortReason::Misuse,
        }
    }

    /// The text the abort carries (server text for refusals and violations, the library's
    /// description for a misuse), if any.
    pub fn text(&self) -> Option<&str> {
        match self {
            Abort::StarttlsRefused(t) | Abort::ServerRefused(t) | Abort::ProtocolViolation(t) => {
                Some(&t.0)
            }
            Abort::Misuse(d) => Some(d),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negotiate::Untrusted;

    #[test]
    fn kinds_and_reasons_are_named_as_in_the_json() {
        let aborts = [
            Abort::InjectedAfterUpgrade,
            Abort::StarttlsNotOffered,
            Abort::StarttlsRefused(Untrusted("no".into())),
            Abort::PreauthWithoutTls,
            Abort::ServerRefused(Untrusted("bye".into())),
            Abort::ProtocolViolation(Untrusted("x".into())),
            Abort::LineTooLong,
            Abort::TooMuchBeforeTls,
            Abort::TooManyLines,
            Abort::TooManyCapabilities,
            Abort::ReplyTooLong,
            Abort::ChallengeTooLarge,
            Abort::CertificateNotVerified,
            Abort::NoAuthentication,
            Abort::Misuse("m".into()),
        ];
        for a in aborts {
            let json = serde_json::to_value(&a).unwrap_or_default();
            let reason = serde_json::to_value(a.reason()).unwrap_or_default();
            assert_eq!(json["reason"], reason, "{a:?}");
            let step = serde_json::to_value(Step::Abort(a.clone())).unwrap_or_default();
            assert_eq!(step["type"], "abort");
            assert_eq!(Step::Abort(a).kind(), StepKind::Abort);
        }
        for (step, kind) in [
            (Step::NeedMore, "need-more"),
            (Step::StartTls, "start-tls"),
            (Step::AwaitTls, "await-tls"),
            (Step::LoggedIn, "logged-in"),
        ] {
            assert_eq!(serde_json::to_value(step.kind()).unwrap_or_default(), kind);
            assert_eq!(
                serde_json::to_value(&step).unwrap_or_default()["type"],
                kind
            );
        }
    }
}
