//! IMAP: greeting, CAPABILITY, STARTTLS, CAPABILITY again after TLS (RFC 9051, RFC 2595 §3).

use super::budget::{MAX_CHALLENGE, MAX_RESPONSE_LINES, keep};
use super::{
    Abort, Capabilities, Core, Secret, Step, Untrusted, sasl_plain, secret_line, split_word,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    AwaitTls,
    Greeting,
    Capability,
    Starttls,
    /// `AUTHENTICATE PLAIN` sent without an initial response: waiting for `+`.
    AuthContinue,
    /// Credentials sent: waiting for the tagged reply.
    AuthWait,
}

#[derive(Debug)]
pub(crate) struct Imap {
    state: State,
    implicit: bool,
    tag: u32,
    /// Lines read since the last command was sent (bounded by [`MAX_RESPONSE_LINES`]).
    response_lines: usize,
    keywords: Vec<String>,
    greeting: String,
    preauth: bool,
    pending: Option<Secret>,
}

fn violation(why: impl Into<String>) -> Step {
    Step::Abort(Abort::ProtocolViolation(Untrusted(why.into())))
}

/// Whether a line announces a literal (`{12}` or `{12+}` at its end).
fn ends_with_literal(line: &str) -> bool {
    line.strip_suffix('}')
        .and_then(|l| l.rsplit_once('{'))
        .is_some_and(|(_, n)| {
            let n = n.strip_suffix('+').unwrap_or(n);
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
        })
}

impl Imap {
    pub(crate) fn new(implicit: bool) -> Self {
        Self {
            state: if implicit {
                State::AwaitTls
            } else {
                State::Greeting
            },
            implicit,
            tag: 0,
            response_lines: 0,
            keywords: Vec::new(),
            greeting: String::new(),
            preauth: false,
            pending: None,
        }
    }

    pub(crate) fn awaiting_tls(&self) -> bool {
        self.state == State::AwaitTls
    }

    fn command(&mut self, verb: &str, next: State) -> Step {
        self.tag += 1;
        self.state = next;
        self.response_lines = 0;
        Step::Send(format!("A{} {verb}\r\n", self.tag).into_bytes())
    }

    pub(crate) fn after_tls(&mut self) -> Step {
        self.keywords.clear();
        if self.implicit {
            self.state = State::Greeting;
            Step::NeedMore
        } else {
            self.command("CAPABILITY", State::Capability)
        }
    }

    fn done(&self, core: &Core) -> Step {
        let mechanisms: Vec<String> = self
            .keywords
            .iter()
            .filter_map(|k| {
                k.get(..5)
                    .filter(|p| p.eq_ignore_ascii_case("AUTH="))
                    .map(|_| k[5..].to_ascii_uppercase())
            })
            .collect();
        let login_disabled = self
            .keywords
            .iter()
            .any(|k| k.eq_ignore_ascii_case("LOGINDISABLED"));
        if core.tls && login_disabled && mechanisms.is_empty() && !self.preauth {
            return Step::Abort(Abort::NoAuthentication);
        }
        Step::Done(Capabilities {
            tls: core.tls,
            keywords: self.keywords.clone(),
            auth_mechanisms: mechanisms,
            login_disabled,
            preauthenticated: self.preauth,
            greeting: Untrusted(self.greeting.clone()),
        })
    }

    /// Starts authentication (SASL PLAIN, with SASL-IR when offered; else LOGIN).
    pub(crate) fn login(&mut self, caps: &Capabilities, username: &str, password: &Secret) -> Step {
        self.response_lines = 0;
        let plain = sasl_plain(username, password);
        if caps.auth_mechanisms.iter().any(|m| m == "PLAIN") {
            self.tag += 1;
            if caps
                .keywords
                .iter()
                .any(|k| k.eq_ignore_ascii_case("SASL-IR"))
            {
                self.state = State::AuthWait;
                return secret_line(format!("A{} AUTHENTICATE PLAIN {plain}", self.tag));
            }
            self.pending = Some(Secret::new(plain));
            self.state = State::AuthContinue;
            return Step::Send(format!("A{} AUTHENTICATE PLAIN\r\n", self.tag).into_bytes());
        }
        if caps.login_disabled {
            return Step::Abort(Abort::NoAuthentication);
        }
        let quote = |s: &str| -> Option<String> {
            s.is_ascii()
                .then(|| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")))
        };
        let (Some(user), Some(pass)) = (quote(username), quote(&password.0)) else {
            return Step::Abort(Abort::Misuse(
                "LOGIN needs ASCII credentials; the server offers no AUTH=PLAIN".into(),
            ));
        };
        self.tag += 1;
        self.state = State::AuthWait;
        secret_line(format!("A{} LOGIN {user} {pass}", self.tag))
    }

    fn auth_reply(&mut self, first: &str, rest: &str) -> Option<Step> {
        if first == "*" {
            return None; // untagged data (e.g. a new CAPABILITY) is not acted on
        }
        if first == "+" {
            return Some(match (self.state, self.pending.take()) {
                (State::AuthContinue, Some(_)) if rest.len() > MAX_CHALLENGE => {
                    Step::Abort(Abort::ChallengeTooLarge)
                }
                (State::AuthContinue, Some(plain)) => {
                    self.state = State::AuthWait;
                    secret_line(plain.0)
                }
                _ => violation("a continuation request where none was asked for"),
            });
        }
        if first != format!("A{}", self.tag) {
            return Some(violation(format!(
                "a completion with tag `{first}`, expected `A{}`",
                self.tag
            )));
        }
        let (status, text) = split_word(rest);
        self.pending = None;
        Some(if status.eq_ignore_ascii_case("OK") {
            Step::LoggedIn
        } else if status.eq_ignore_ascii_case("NO") {
            Step::LoginFailed(Untrusted(text.to_owned()))
        } else {
            violation(format!("unexpected status `{status}` to the login"))
        })
    }

    pub(crate) fn advance(&mut self, core: &mut Core) -> Step {
        loop {
            let line = match core.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => return Step::NeedMore,
                Err(abort) => return Step::Abort(abort),
            };
            if self.state != State::Greeting {
                self.response_lines += 1;
                if self.response_lines > MAX_RESPONSE_LINES {
                    return Step::Abort(Abort::TooManyLines);
                }
            }
            if !core.tls && ends_with_literal(&line) {
                return violation("a literal before TLS");
            }
            let (first, rest) = split_word(&line);
            let step = match self.state {
                State::AwaitTls => Some(violation("data while waiting for TLS")),
                State::AuthContinue | State::AuthWait => self.auth_reply(first, rest),
                State::Greeting => Some(self.greeting(core, first, rest)),
                State::Capability | State::Starttls => self.response(core, first, rest),
            };
            if let Some(step) = step {
                return step;
            }
        }
    }

    /// The server's greeting: OK, PREAUTH (refused before TLS when TLS is required), or a
    /// refusal.
    fn greeting(&mut self, core: &mut Core, first: &str, rest: &str) -> Step {
        if first != "*" {
            return violation("the greeting is not an untagged response");
        }
        let (status, text) = split_word(rest);
        self.greeting = text.to_owned();
        if status.eq_ignore_ascii_case("PREAUTH") {
            if !core.tls && core.require_tls {
                return Step::Abort(Abort::PreauthWithoutTls);
            }
            self.preauth = true;
        } else if status.eq_ignore_ascii_case("BYE") || status.eq_ignore_ascii_case("NO") {
            return Step::Abort(Abort::ServerRefused(Untrusted(text.to_owned())));
        } else if !status.eq_ignore_ascii_case("OK") {
            return violation(format!("unexpected greeting `{status}`"));
        }
        if self.preauth && !core.tls {
            // Authenticated already and no STARTTLS possible: only a cleartext candidate the
            // host opted into gets here.
            return self.done(core);
        }
        self.command("CAPABILITY", State::Capability)
    }

    /// A line while CAPABILITY or STARTTLS is outstanding: untagged data (only CAPABILITY is
    /// read, scenario 25) or the tagged completion. `None` means: read on.
    fn response(&mut self, core: &mut Core, first: &str, rest: &str) -> Option<Step> {
        if first == "+" {
            return Some(violation("a continuation request where none was asked for"));
        }
        if first == "*" {
            let (kind, atoms) = split_word(rest);
            if self.state == State::Capability && kind.eq_ignore_ascii_case("CAPABILITY") {
                for atom in atoms.split_ascii_whitespace() {
                    if let Err(abort) = keep(&mut self.keywords, atom.to_owned()) {
                        return Some(Step::Abort(abort));
                    }
                }
            }
            return None;
        }
        if first != format!("A{}", self.tag) {
            return Some(violation(format!(
                "a completion with tag `{first}`, expected `A{}`",
                self.tag
            )));
        }
        let (status, text) = split_word(rest);
        Some(self.completion(core, status, text))
    }

    /// The tagged completion of CAPABILITY or STARTTLS.
    fn completion(&mut self, core: &mut Core, status: &str, text: &str) -> Step {
        let ok = status.eq_ignore_ascii_case("OK");
        let refused = status.eq_ignore_ascii_case("NO") || status.eq_ignore_ascii_case("BAD");
        match (self.state, ok, refused) {
            (State::Capability, true, _) => {
                if core.tls {
                    return self.done(core);
                }
                if self
                    .keywords
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case("STARTTLS"))
                {
                    return self.command("STARTTLS", State::Starttls);
                }
                if core.require_tls {
                    return Step::Abort(Abort::StarttlsNotOffered);
                }
                self.done(core)
            }
            (State::Capability, false, true) => {
                Step::Abort(Abort::ServerRefused(Untrusted(text.to_owned())))
            }
            (State::Starttls, true, _) => {
                self.state = State::AwaitTls;
                Step::StartTls
            }
            (State::Starttls, false, true) => {
                Step::Abort(Abort::StarttlsRefused(Untrusted(text.to_owned())))
            }
            _ => violation(format!("unexpected status `{status}`")),
        }
    }
}
