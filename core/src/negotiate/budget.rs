//! The negotiator's caps: how much a server may send, in bytes, lines, capabilities and
//! challenge text, before the negotiation is aborted with a typed reason. Memory stays
//! proportional to these caps whatever the server sends; the host's deadline bounds the time.
//!
//! The values are far above what real servers send. For scale: Dovecot's IMAP capability list
//! has about 10 atoms before login and about 40 after, Cyrus IMAP's about 60, Gmail's and
//! Outlook.com's about 15; Postfix, Gmail and Outlook answer EHLO with 8 to 15 lines; a POP3
//! CAPA list has about 10 lines; the whole exchange before TLS is under 2 KB.

use super::Abort;

/// Longest line accepted, in bytes, CRLF included (security scenario 29): 8192, about ten times
/// the longest capability line a real server sends (Cyrus IMAP's, under 1 KB).
pub const MAX_LINE: usize = 8192;

/// Bytes accepted before TLS (greeting, capabilities and the upgrade reply together): 64 KiB,
/// more than 30 times the under-2 KB a real server sends. Counted as the bytes arrive, before
/// they are buffered; the next byte aborts with [`Abort::TooMuchBeforeTls`]. No such total
/// applies after TLS: the peer has then shown a verified (or user-confirmed) certificate, every
/// response is bounded by [`MAX_RESPONSE_LINES`] or [`MAX_REPLY_LINES`] lines of [`MAX_LINE`]
/// bytes, and the host's deadline bounds the rest.
pub const MAX_BYTES_BEFORE_TLS: usize = 64 * 1024;

/// Lines accepted before TLS: 512, about 20 times the 20-odd lines of an SMTP greeting, EHLO
/// reply and STARTTLS reply (IMAP and POP3 need fewer). One more aborts with
/// [`Abort::TooManyLines`].
pub const MAX_LINES_BEFORE_TLS: usize = 512;

/// Capabilities kept per list (IMAP CAPABILITY atoms, POP3 CAPA lines, SMTP EHLO keywords, and
/// each protocol's SASL mechanisms): 256, four times Cyrus IMAP's 60-odd atoms. One more aborts
/// with [`Abort::TooManyCapabilities`]; no list ever holds more. A POP3 CAPA response has one
/// capability per line, so this also bounds its lines; SMTP AUTH mechanisms are counted as
/// listed, repeats included (real servers list 2 to 8, on one or two lines).
pub const MAX_CAPABILITIES: usize = 256;

/// Lines in one SMTP reply (`250-…` or `220-…` continuations and the last line): 128, about ten
/// times the 8 to 15 lines of Postfix's, Gmail's or Outlook's EHLO reply. One more aborts with
/// [`Abort::ReplyTooLong`]; the reply is never kept past it.
pub const MAX_REPLY_LINES: usize = 128;

/// Lines in one IMAP response (untagged lines and continuations up to the tagged completion of
/// CAPABILITY, STARTTLS or the login): 512, where real servers send one to five. One more aborts
/// with [`Abort::TooManyLines`].
pub const MAX_RESPONSE_LINES: usize = 512;

/// Bytes of one SASL challenge, as the server sends it (base64 text after IMAP `+ ` or SMTP
/// `334 `, all lines of the reply together): 2048. The mechanisms the negotiator uses get an
/// empty challenge (PLAIN) or a 12-byte prompt (LOGIN); SCRAM's server-first message and
/// Kerberos or NTLM tokens take a few hundred bytes. A larger one aborts with
/// [`Abort::ChallengeTooLarge`].
pub const MAX_CHALLENGE: usize = 2048;

/// Appends `item` to a capability list unless the list is full ([`MAX_CAPABILITIES`]).
pub(crate) fn keep(list: &mut Vec<String>, item: String) -> Result<(), Abort> {
    if list.len() >= MAX_CAPABILITIES {
        return Err(Abort::TooManyCapabilities);
    }
    list.push(item);
    Ok(())
}

/// What was received before TLS, counted against [`MAX_BYTES_BEFORE_TLS`] and
/// [`MAX_LINES_BEFORE_TLS`].
#[derive(Debug, Default)]
pub(crate) struct BeforeTls {
    /// Bytes accepted (buffered) so far.
    bytes: usize,
    /// Lines read so far.
    lines: usize,
    /// Bytes arrived past the byte cap (and were dropped, not buffered).
    over: bool,
}

impl BeforeTls {
    /// How many of `len` arriving bytes may be buffered; marks the budget exceeded when not all.
    pub(crate) fn admit(&mut self, len: usize) -> usize {
        let room = MAX_BYTES_BEFORE_TLS - self.bytes;
        let take = len.min(room);
        self.bytes += take;
        if take < len {
            self.over = true;
        }
        take
    }

    /// Whether bytes arrived past the byte cap.
    pub(crate) fn over(&self) -> bool {
        self.over
    }

    /// Counts one line read; refuses the one past [`MAX_LINES_BEFORE_TLS`].
    pub(crate) fn line(&mut self) -> Result<(), Abort> {
        self.lines += 1;
        if self.lines > MAX_LINES_BEFORE_TLS {
            return Err(Abort::TooManyLines);
        }
        Ok(())
    }
}
