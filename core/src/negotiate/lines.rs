//! A bounded CRLF line reader that keeps unread bytes visible (nothing is ever hidden from the
//! negotiator: leftovers after an upgrade reply are detected, not passed on).
//!
//! Linear in the bytes received whatever the chunking: each byte is scanned for LF once, lines
//! are taken by moving a read offset, and the consumed prefix is dropped only once it is at
//! least half of the buffer (so each byte is moved at most once on average).

use super::Abort;
use super::budget::MAX_LINE;

#[derive(Debug, Default)]
pub(crate) struct LineReader {
    buf: Vec<u8>,
    /// Where the unread bytes start.
    start: usize,
    /// Bytes from `start` up to here hold no LF (already scanned).
    scanned: usize,
    /// Bytes scanned for LF and bytes moved by compaction (what linearity is tested on).
    #[cfg(test)]
    work: usize,
}

impl LineReader {
    /// Appends received bytes. Too long a line is refused when it is reached
    /// ([`LineReader::next_line`]), so that the verdict does not depend on the chunking.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            #[cfg(test)]
            {
                self.work += self.buf.len() - self.start;
            }
            self.buf.drain(..self.start);
            self.scanned -= self.start;
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Takes the next complete line without its CRLF (a bare LF also ends a line); `None` when
    /// no complete line is waiting. Refuses a line of [`MAX_LINE`] bytes or more, CRLF included,
    /// complete or not. Lines that are not UTF-8 are returned lossily; the dialects compare
    /// ASCII keywords only.
    pub(crate) fn next_line(&mut self) -> Result<Option<String>, Abort> {
        let found = self.buf[self.scanned..].iter().position(|b| *b == b'\n');
        #[cfg(test)]
        {
            self.work += found.map_or(self.buf.len() - self.scanned, |at| at + 1);
        }
        let Some(at) = found else {
            self.scanned = self.buf.len();
            // An unterminated line this long can only end too long.
            if self.buf.len() - self.start >= MAX_LINE {
                return Err(Abort::LineTooLong);
            }
            return Ok(None);
        };
        let end = self.scanned + at;
        if end + 1 - self.start > MAX_LINE {
            return Err(Abort::LineTooLong);
        }
        let mut line = &self.buf[self.start..end];
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        let line = String::from_utf8_lossy(line).into_owned();
        self.start = end + 1;
        self.scanned = self.start;
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
            self.scanned = 0;
        }
        Ok(Some(line))
    }

    /// Whether bytes are waiting (a partial line or further lines).
    pub(crate) fn is_empty(&self) -> bool {
        self.start == self.buf.len()
    }

    /// Bytes scanned and moved so far.
    #[cfg(test)]
    pub(crate) fn work(&self) -> usize {
        self.work
    }
}
