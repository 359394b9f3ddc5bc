//! SRV records as the planner sees them, whether parsed from wire responses or handed over
//! already parsed by the host (Node's `dns.resolveSrv`, GLib's GResolver).

use serde::{Deserialize, Serialize};

use super::names::canonical_host;
use crate::shared::SharedStr;

/// One SRV record (RFC 2782).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SrvRecord {
    /// Lower is preferred.
    pub priority: u16,
    /// Relative share within one priority.
    pub weight: u16,
    /// The port.
    pub port: u16,
    /// The target host, or `"."` for "service not offered". Also read as `name`, Node's
    /// `dns.resolveSrv` spelling.
    #[serde(alias = "name")]
    pub target: SharedStr,
    /// The record's TTL in seconds, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
}

impl SrvRecord {
    /// True when the target is "." (RFC 2782: the service is decidedly not available).
    pub fn is_null_target(&self) -> bool {
        self.target.is_empty() || self.target == "."
    }

    /// Returns the record with its target in canonical form: lower case, no trailing dot, and
    /// "." for the root. Whether the target is usable is decided when planning.
    pub(crate) fn normalized(mut self) -> Self {
        if self.is_null_target() {
            self.target = ".".into();
        } else {
            self.target = canonical_host(&self.target).into();
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_s_name_is_read_as_the_target() {
        let node: SrvRecord =
            serde_json::from_str(r#"{"priority":1,"weight":2,"port":993,"name":"mail.example"}"#)
                .unwrap();
        let ours: SrvRecord =
            serde_json::from_str(r#"{"priority":1,"weight":2,"port":993,"target":"mail.example"}"#)
                .unwrap();
        assert_eq!(node, ours);
        assert_eq!(node.target, "mail.example");
    }
}
