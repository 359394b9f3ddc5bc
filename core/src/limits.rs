//! Documented caps shared by the layers and the hosts.

/// The longest certificate chain accepted, leaf included. A host collects at most one more
/// certificate than this from the TLS stack, so that the core, not the host, refuses a longer
/// chain (`CHAIN_TOO_LONG`).
pub const MAX_CHAIN: usize = 16;
