//! POP3: greeting, CAPA, STLS, CAPA again after TLS (RFC 1939, RFC 2449, RFC 2595 §4).

use super::budget::keep;
use super::{
    Abort, Capabilities, Core, Secret, Step, Untrusted, sasl_plain, secret_line, split_word,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    AwaitTls,
    Greeting,
    CapaStatus,
    CapaList,
    Stls,
    /// `USER` sent: the password follows on `+OK`.
    User,
    /// Credentials sent: waiting for `+OK` or `-ERR`.
    AuthWait,
}

#[derive(Debug)]
pub(crate) struct Pop3 {
    state: State,
    implicit: bool,
    keywords: Vec<String>,
    mechanisms: Vec<String>,
    greeting: String,
    pass: Option<Secret>,
}

fn violation(why: impl Into<String>) -> Step {
    Step::Abort(Abort::ProtocolViolation(Untrusted(why.into())))
}

/// The status of a POP3 reply: only the exact tokens `+OK` and `-ERR` count (scenario 35).
fn status(line: &str) -> Option<(bool, &str)> {
    let (first, rest) = split_word(line);
    match first {
        "+OK" => Some((true, rest)),
        "-ERR" => Some((false, rest)),
        _ => None,
    }
}

impl Pop3 {
    pub(crate) fn new(implicit: bool) -> Self {
        Self {
            state: if implicit {
                State::AwaitTls
            } else {
                State::Greeting
            },
            implicit,
            keywords: Vec::new(),
            mechanisms: Vec::new(),
            greeting: String::new(),
            pass: None,
        }
    }

    pub(crate) fn awaiting_tls(&self) -> bool {
        self.state == State::AwaitTls
    }

    fn command(&mut self, verb: &str, next: State) -> Step {
        self.state = next;
        Step::Send(format!("{verb}\r\n").into_bytes())
    }

    pub(crate) fn after_tls(&mut self) -> Step {
        self.keywords.clear();
        self.mechanisms.clear();
        if self.implicit {
            self.state = State::Greeting;
            Step::NeedMore
        } else {
            self.command("CAPA", State::CapaStatus)
        }
    }

    fn done(&self, core: &Core) -> Step {
        Step::Done(Capabilities {
            tls: core.tls,
            keywords: self.keywords.clone(),
            auth_mechanisms: self.mechanisms.clone(),
            login_disabled: false,
            preauthenticated: false,
            greeting: Untrusted(self.greeting.clone()),
        })
    }

    fn capa_end(&mut self, core: &Core) -> Step {
        if core.tls {
            return self.done(core);
        }
        if self.keywords.iter().any(|k| k.eq_ignore_ascii_case("STLS")) {
            return self.command("STLS", State::Stls);
        }
        if core.require_tls {
            return Step::Abort(Abort::StarttlsNotOffered);
        }
        self.done(core)
    }

    /// Starts authentication: `AUTH PLAIN` with an initial response (RFC 5034) when SASL PLAIN is
    /// offered, else `USER` then `PASS`.
    pub(crate) fn login(&mut self, caps: &Capabilities, username: &str, password: &Secret) -> Step {
        if caps.auth_mechanisms.iter().any(|m| m == "PLAIN") {
            self.state = State::AuthWait;
            return secret_line(format!("AUTH PLAIN {}", sasl_plain(username, password)));
        }
        self.pass = Some(password.clone());
        self.state = State::User;
        Step::Send(format!("USER {username}\r\n").into_bytes())
    }

    pub(crate) fn advance(&mut self, core: &mut Core) -> Step {
        loop {
            let line = match core.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => return Step::NeedMore,
                Err(abort) => return Step::Abort(abort),
            };
            match self.state {
                State::AwaitTls => return violation("data while waiting for TLS"),
                State::User => match (status(&line), self.pass.take()) {
                    (Some((true, _)), Some(pass)) => {
                        self.state = State::AuthWait;
                        return secret_line(format!("PASS {}", pass.0));
                    }
                    (Some((false, text)), _) => {
                        return Step::LoginFailed(Untrusted(text.to_owned()));
                    }
                    _ => return violation("the USER reply is neither +OK nor -ERR"),
                },
                State::AuthWait => match status(&line) {
                    Some((true, _)) => return Step::LoggedIn,
                    Some((false, text)) => return Step::LoginFailed(Untrusted(text.to_owned())),
                    None => return violation("the login reply is neither +OK nor -ERR"),
                },
                State::Greeting => match status(&line) {
                    Some((true, text)) => {
                        self.greeting = text.to_owned();
                        return self.command("CAPA", State::CapaStatus);
                    }
                    Some((false, text)) => {
                        return Step::Abort(Abort::ServerRefused(Untrusted(text.to_owned())));
                    }
                    None => return violation("the greeting is neither +OK nor -ERR"),
                },
                State::CapaStatus => match status(&line) {
                    Some((true, _)) => self.state = State::CapaList,
                    Some((false, _)) if core.tls || !core.require_tls => return self.done(core),
                    Some((false, _)) => return Step::Abort(Abort::StarttlsNotOffered),
                    None => return violation("the CAPA reply is neither +OK nor -ERR"),
                },
                State::CapaList => {
                    if line == "." {
                        return self.capa_end(core);
                    }
                    let line = line.strip_prefix('.').unwrap_or(&line);
                    let (keyword, args) = split_word(line);
                    if keyword.eq_ignore_ascii_case("SASL") {
                        for m in args.split_ascii_whitespace() {
                            if let Err(abort) = keep(&mut self.mechanisms, m.to_ascii_uppercase()) {
                                return Step::Abort(abort);
                            }
                        }
                    }
                    // One capability per line: this cap bounds the CAPA response's lines too.
                    if let Err(abort) = keep(&mut self.keywords, keyword.to_owned()) {
                        return Step::Abort(abort);
                    }
                }
                State::Stls => match status(&line) {
                    // The text of a +OK is never shown (scenario 34).
                    Some((true, _)) => {
                        self.state = State::AwaitTls;
                        return Step::StartTls;
                    }
                    Some((false, text)) => {
                        return Step::Abort(Abort::StarttlsRefused(Untrusted(text.to_owned())));
                    }
                    None => return violation("the STLS reply is neither +OK nor -ERR"),
                },
            }
        }
    }
}
