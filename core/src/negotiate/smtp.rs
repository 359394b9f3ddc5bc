//! SMTP submission: greeting, EHLO, STARTTLS, EHLO again after TLS (RFC 5321, RFC 3207).

use super::budget::{MAX_CAPABILITIES, MAX_CHALLENGE, MAX_REPLY_LINES, keep};
use super::{
    Abort, Capabilities, Core, Secret, Step, Untrusted, base64, sasl_plain, secret_line, split_word,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    AwaitTls,
    Greeting,
    Ehlo,
    Starttls,
    /// `AUTH LOGIN` sent: the username, then the password, follow on 334.
    AuthLoginUser,
    AuthLoginPass,
    /// Credentials sent: waiting for 235 or a refusal.
    AuthWait,
}

#[derive(Debug)]
pub(crate) struct Smtp {
    state: State,
    implicit: bool,
    client_name: String,
    /// The reply being read: its code and its lines' texts (at most [`MAX_REPLY_LINES`]).
    reply: Option<(u16, Vec<String>)>,
    greeting: String,
    pending: Vec<Secret>,
}

fn violation(why: impl Into<String>) -> Step {
    Step::Abort(Abort::ProtocolViolation(Untrusted(why.into())))
}

impl Smtp {
    pub(crate) fn new(implicit: bool, client_name: &str) -> Self {
        // The EHLO argument must be one token of printable ASCII; anything else falls back to a
        // neutral address literal.
        let valid = !client_name.is_empty() && client_name.bytes().all(|b| b.is_ascii_graphic());
        Self {
            state: if implicit {
                State::AwaitTls
            } else {
                State::Greeting
            },
            implicit,
            client_name: if valid {
                client_name.to_owned()
            } else {
                "[127.0.0.1]".to_owned()
            },
            reply: None,
            greeting: String::new(),
            pending: Vec::new(),
        }
    }

    pub(crate) fn awaiting_tls(&self) -> bool {
        self.state == State::AwaitTls
    }

    fn command(&mut self, text: String, next: State) -> Step {
        self.state = next;
        Step::Send(format!("{text}\r\n").into_bytes())
    }

    fn ehlo(&mut self) -> Step {
        let text = format!("EHLO {}", self.client_name);
        self.command(text, State::Ehlo)
    }

    pub(crate) fn after_tls(&mut self) -> Step {
        if self.implicit {
            self.state = State::Greeting;
            Step::NeedMore
        } else {
            self.ehlo()
        }
    }

    /// Adds one reply line; returns the complete reply when its last line arrives.
    fn collect(&mut self, line: &str) -> Result<Option<(u16, Vec<String>)>, Step> {
        let bytes = line.as_bytes();
        if bytes.len() < 3 || !bytes[..3].iter().all(u8::is_ascii_digit) {
            return Err(violation("a reply line without a three-digit code"));
        }
        let code: u16 = line[..3].parse().map_err(|_| violation("bad reply code"))?;
        let (last, text) = match bytes.get(3) {
            None => (true, ""),
            Some(b' ') => (true, &line[4..]),
            Some(b'-') => (false, &line[4..]),
            Some(_) => return Err(violation("a reply code not followed by a space or `-`")),
        };
        let entry = self.reply.get_or_insert((code, Vec::new()));
        if entry.0 != code {
            return Err(violation("a multi-line reply with mixed codes"));
        }
        if entry.1.len() >= MAX_REPLY_LINES {
            return Err(Step::Abort(Abort::ReplyTooLong));
        }
        entry.1.push(text.to_owned());
        let authenticating = matches!(
            self.state,
            State::AuthLoginUser | State::AuthLoginPass | State::AuthWait
        );
        if authenticating && code == 334 {
            let size: usize = entry.1.iter().map(String::len).sum();
            if size > MAX_CHALLENGE {
                return Err(Step::Abort(Abort::ChallengeTooLarge));
            }
        }
        Ok(if last { self.reply.take() } else { None })
    }

    /// Starts authentication: `AUTH PLAIN` with an initial response (RFC 4954) when offered,
    /// else `AUTH LOGIN`.
    pub(crate) fn login(&mut self, caps: &Capabilities, username: &str, password: &Secret) -> Step {
        let offers = |m: &str| caps.auth_mechanisms.iter().any(|x| x == m);
        if offers("PLAIN") {
            self.state = State::AuthWait;
            return secret_line(format!("AUTH PLAIN {}", sasl_plain(username, password)));
        }
        if offers("LOGIN") {
            self.pending = vec![
                Secret::new(base64(username)),
                Secret::new(base64(&password.0)),
            ];
            self.state = State::AuthLoginUser;
            return Step::Send(b"AUTH LOGIN\r\n".to_vec());
        }
        Step::Abort(Abort::NoAuthentication)
    }

    pub(crate) fn advance(&mut self, core: &mut Core) -> Step {
        loop {
            let line = match core.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => return Step::NeedMore,
                Err(abort) => return Step::Abort(abort),
            };
            if self.state == State::AwaitTls {
                return violation("data while waiting for TLS");
            }
            let (code, texts) = match self.collect(&line) {
                Ok(Some(reply)) => reply,
                Ok(None) => continue,
                Err(step) => return step,
            };
            return self.reply(core, code, &texts);
        }
    }

    /// One complete reply (all its lines) in the current state.
    fn reply(&mut self, core: &mut Core, code: u16, texts: &[String]) -> Step {
        let text = Untrusted(texts.join(" "));
        match (self.state, code) {
            (State::AuthLoginUser | State::AuthLoginPass | State::AuthWait, _) => {
                self.login_reply(code, text)
            }
            (State::Greeting, 220) => {
                self.greeting = text.0;
                self.ehlo()
            }
            (State::Greeting, _) => Step::Abort(Abort::ServerRefused(text)),
            (State::Ehlo, 250) => self.ehlo_reply(core, texts),
            (State::Ehlo, 220) => violation("EHLO answered with 220"),
            (State::Ehlo, _) => Step::Abort(Abort::ServerRefused(text)),
            (State::Starttls, 220) => {
                self.state = State::AwaitTls;
                Step::StartTls
            }
            (State::Starttls, _) => Step::Abort(Abort::StarttlsRefused(text)),
            (State::AwaitTls, _) => violation("data while waiting for TLS"),
        }
    }

    /// A reply during AUTH: the next LOGIN secret on 334, done on 235, refused on 4xx/5xx.
    fn login_reply(&mut self, code: u16, text: Untrusted) -> Step {
        match code {
            334 if !self.pending.is_empty() && self.state != State::AuthWait => {
                self.state = if self.state == State::AuthLoginUser {
                    State::AuthLoginPass
                } else {
                    State::AuthWait
                };
                let next = self.pending.remove(0);
                secret_line(next.0)
            }
            235 if self.pending.is_empty() => Step::LoggedIn,
            400..=599 => {
                self.pending.clear();
                Step::LoginFailed(text)
            }
            _ => violation(format!("unexpected reply {code} to the login")),
        }
    }

    /// The 250 reply to EHLO: keywords and AUTH mechanisms (the first line is the server's name,
    /// RFC 5321 §4.1.1.1); then STARTTLS, or done.
    fn ehlo_reply(&mut self, core: &mut Core, texts: &[String]) -> Step {
        let mut keywords = Vec::new();
        let mut mechanisms: Vec<String> = Vec::new();
        // Mechanisms are counted as listed, repeats included, so that the scan for repeats
        // stays within the cap squared.
        let mut listed = 0;
        for t in texts.iter().skip(1) {
            let (keyword, args) = split_word(t);
            let (keyword, legacy) = match keyword.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (keyword, None),
            };
            if keyword.eq_ignore_ascii_case("AUTH") {
                let list = legacy.map_or_else(|| args.to_owned(), |v| format!("{v} {args}"));
                for m in list.split_ascii_whitespace() {
                    listed += 1;
                    if listed > MAX_CAPABILITIES {
                        return Step::Abort(Abort::TooManyCapabilities);
                    }
                    let m = m.to_ascii_uppercase();
                    if !mechanisms.contains(&m) {
                        mechanisms.push(m);
                    }
                }
            }
            if let Err(abort) = keep(&mut keywords, keyword.to_owned()) {
                return Step::Abort(abort);
            }
        }
        if !core.tls && keywords.iter().any(|k| k.eq_ignore_ascii_case("STARTTLS")) {
            return self.command("STARTTLS".into(), State::Starttls);
        }
        if !core.tls && core.require_tls {
            return Step::Abort(Abort::StarttlsNotOffered);
        }
        Step::Done(Capabilities {
            tls: core.tls,
            keywords,
            auth_mechanisms: mechanisms,
            login_disabled: false,
            preauthenticated: false,
            greeting: Untrusted(self.greeting.clone()),
        })
    }
}
