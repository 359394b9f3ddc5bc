//! The JSON/JS form of a [`Step`]: an object tagged by `type` (kebab-case), e.g.
//! `{"type": "send", "bytes": ...}`, `{"type": "done", "capabilities": {...}}`,
//! `{"type": "abort", "reason": "server-refused", "untrustedText": "..."}`,
//! `{"type": "login-failed", "untrustedText": "..."}`.
//!
//! `SendSecret` is written as `{"type": "send", "bytes": ..., "secret": true}`: the host must
//! write the bytes, so they are in it. Never log a serialized step.

use serde::{Serialize, Serializer};

use super::{Abort, Capabilities, Step, Untrusted};

/// Bytes written with `serialize_bytes` (a `Uint8Array` in JS, an array of numbers in JSON).
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
enum Out<'a> {
    Send {
        bytes: Bytes<'a>,
        #[serde(skip_serializing_if = "is_false")]
        secret: bool,
    },
    NeedMore,
    StartTls,
    AwaitTls,
    Done {
        capabilities: &'a Capabilities,
    },
    Abort {
        #[serde(flatten)]
        abort: &'a Abort,
    },
    LoggedIn,
    LoginFailed {
        #[serde(rename = "untrustedText")]
        untrusted_text: &'a Untrusted,
    },
}

impl Serialize for Step {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Step::Send(bytes) => Out::Send {
                bytes: Bytes(bytes),
                secret: false,
            },
            Step::SendSecret(bytes) => Out::Send {
                bytes: Bytes(bytes.as_bytes()),
                secret: true,
            },
            Step::NeedMore => Out::NeedMore,
            Step::StartTls => Out::StartTls,
            Step::AwaitTls => Out::AwaitTls,
            Step::Done(capabilities) => Out::Done { capabilities },
            Step::Abort(abort) => Out::Abort { abort },
            Step::LoggedIn => Out::LoggedIn,
            Step::LoginFailed(text) => Out::LoginFailed {
                untrusted_text: text,
            },
        }
        .serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negotiate::SensitiveBytes;
    use serde_json::json;

    #[test]
    fn steps_are_objects_tagged_by_type() {
        let cases = [
            (
                Step::Send(b"a".to_vec()),
                json!({"type": "send", "bytes": [97]}),
            ),
            (
                Step::SendSecret(SensitiveBytes(b"p".to_vec())),
                json!({"type": "send", "bytes": [112], "secret": true}),
            ),
            (Step::NeedMore, json!({"type": "need-more"})),
            (Step::StartTls, json!({"type": "start-tls"})),
            (Step::AwaitTls, json!({"type": "await-tls"})),
            (Step::LoggedIn, json!({"type": "logged-in"})),
            (
                Step::LoginFailed(Untrusted("no".into())),
                json!({"type": "login-failed", "untrustedText": "no"}),
            ),
            (
                Step::Abort(Abort::ServerRefused(Untrusted("bye".into()))),
                json!({"type": "abort", "reason": "server-refused", "untrustedText": "bye"}),
            ),
            (
                Step::Abort(Abort::ProtocolViolation(Untrusted("`X`".into()))),
                json!({"type": "abort", "reason": "protocol-violation", "untrustedText": "`X`"}),
            ),
            (
                Step::Abort(Abort::LineTooLong),
                json!({"type": "abort", "reason": "line-too-long"}),
            ),
            (
                Step::Abort(Abort::TooMuchBeforeTls),
                json!({"type": "abort", "reason": "too-much-before-tls"}),
            ),
            (
                Step::Abort(Abort::TooManyLines),
                json!({"type": "abort", "reason": "too-many-lines"}),
            ),
            (
                Step::Abort(Abort::TooManyCapabilities),
                json!({"type": "abort", "reason": "too-many-capabilities"}),
            ),
            (
                Step::Abort(Abort::ReplyTooLong),
                json!({"type": "abort", "reason": "reply-too-long"}),
            ),
            (
                Step::Abort(Abort::ChallengeTooLarge),
                json!({"type": "abort", "reason": "challenge-too-large"}),
            ),
        ];
        for (step, want) in cases {
            assert_eq!(serde_json::to_value(&step).unwrap(), want, "{step:?}");
        }
        let done = serde_json::to_value(Step::Done(Capabilities::default())).unwrap();
        assert_eq!(done["type"], "done");
        assert_eq!(done["capabilities"]["tls"], false);
    }
}
