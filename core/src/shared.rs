//! [`SharedStr`]: the plan's strings, shared instead of copied (decision D59).
//!
//! A plan repeats a few strings in every candidate (the address and the local part as
//! usernames, the domain as SNI and DNS-ID, the label's SRV-ID and owner name, the target as
//! host and SNI alternative). Each was a `String` of its own, one allocation per copy; a
//! `SharedStr` is made once and cloned by counting (issue 16 §1).

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An immutable string whose clones share one allocation (an `Arc<str>`). It reads as a `str`
/// (`Deref`, `AsRef`, `Borrow`, `Display`), compares with `str`, `&str` and `String`, is
/// written in JSON as a plain string and made from a `String` or `&str` with `into()`.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedStr(Arc<str>);

impl SharedStr {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        Self(Arc::from(s))
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        Self(Arc::from(s))
    }
}

impl From<&String> for SharedStr {
    fn from(s: &String) -> Self {
        Self(Arc::from(s.as_str()))
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> Self {
        s.0.as_ref().to_owned()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == *other.0
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        **self == *other.0
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        **self == *other.0
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d59_clones_share_the_text_and_json_is_a_plain_string() {
        let a = SharedStr::from("imap.example.net");
        let b = a.clone();
        assert!(
            std::ptr::eq(a.as_str(), b.as_str()),
            "a clone shares the text"
        );
        assert_eq!(a, "imap.example.net");
        assert_eq!("imap.example.net", a);
        assert_eq!(a, "imap.example.net".to_owned());
        assert_ne!(a, "imap.example.org");
        let json = serde_json::to_string(&vec![a.clone(), SharedStr::from("ä\"")]).unwrap();
        assert_eq!(json, r#"["imap.example.net","ä\""]"#);
        let back: Vec<SharedStr> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ["imap.example.net", "ä\""]);
        assert_eq!(
            format!("{a} {a:?}"),
            "imap.example.net \"imap.example.net\""
        );
    }
}
