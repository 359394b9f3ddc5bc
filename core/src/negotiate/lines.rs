//! A bounded CRLF line reader that keeps unread bytes visible (nothing is ever hidden from the
//! negotiator: leftovers after an upgrade reply are detected, not passed on).

use super::Abort;

/// Longest line accepted, in bytes, CRLF included (security scenario 29).
pub const MAX_LINE: usize = 8192;

#[derive(Debug, Default)]
pub(crate) struct LineReader {
    buf: Vec<u8>,
}

impl LineReader {
    /// Appends received bytes; refuses an unterminated line longer than [`MAX_LINE`].
    pub(crate) fn push(&mut self, bytes: &[u8]) -> Result<(), Abort> {
        self.buf.extend_from_slice(bytes);
        let pending = match self.buf.iter().rposition(|b| *b == b'\n') {
            Some(i) => self.buf.len() - i - 1,
            None => self.buf.len(),
        };
        if pending > MAX_LINE {
            return Err(Abort::LineTooLong);
        }
        // Complete lines must be bounded too.
        if self
            .buf
            .split(|b| *b == b'\n')
            .any(|l| l.len() + 1 > MAX_LINE)
        {
            return Err(Abort::LineTooLong);
        }
        Ok(())
    }

    /// Takes the next complete line without its CRLF (a bare LF also ends a line). Lines that
    /// are not UTF-8 are returned lossily; the dialects compare ASCII keywords only.
    pub(crate) fn next_line(&mut self) -> Option<String> {
        let end = self.buf.iter().position(|b| *b == b'\n')?;
        let mut line: Vec<u8> = self.buf.drain(..=end).collect();
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Some(String::from_utf8_lossy(&line).into_owned())
    }

    /// Whether bytes are waiting (a partial line or further lines).
    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
}
