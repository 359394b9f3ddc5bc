//! The exit status of the command-line hosts (the `mailsrv` CLI, the Rust examples, the
//! reference C host): one policy, so that a script sees the same number from each.
//!
//! | status | `plan` | `probe` | `verify` | `autoconfig` |
//! |---|---|---|---|---|
//! | 0 | a usable plan | a working server on every side that has candidates | verified | the document was read (dropped sections are diagnostics) |
//! | 1 | nothing usable | a side with candidates has no working server, or nothing usable | rejected | — |
//! | 2 | usage or input error | usage or input error | usage or input error | usage error, or the document was refused |
//! | 3 | lookups failed and nothing usable | as `plan` when nothing is usable | — | — |
//! | 4 | — | — | needs the user's confirmation | — |
//! | 141 | the reader of standard output went away | the same | the same | the same |
//!
//! Bulk mode (`plan --input`, [`bulk`]): 0 when every line was planned (whatever each plan
//! says: they are data, one per line), [`USAGE`] when a line was an error line, [`INTERRUPTED`]
//! (130) when the run was stopped by SIGINT.

use serde::{Deserialize, Serialize};

use crate::plan::{Plan, Status};

/// A usage or input error (the message goes to standard error, one line naming the problem).
pub const USAGE: u8 = 2;

/// The reader of standard output went away (`mailsrv plan … | head -1`): a quiet end, with the
/// status a shell shows for a program killed by SIGPIPE (128 + 13).
pub const BROKEN_PIPE: u8 = 141;

/// A bulk run stopped by the user (Ctrl-C): the status a shell shows for a program killed by
/// SIGINT (128 + 2), after the lines already written (each one whole) and the summary.
pub const INTERRUPTED: u8 = 130;

/// Bulk mode (`plan --input`): 0 when every line was planned, [`USAGE`] when `error_lines` of
/// them could not be (each is an error line in the output; the run went on).
pub fn bulk(error_lines: u64) -> u8 {
    if error_lines == 0 { 0 } else { USAGE }
}

/// One side of a plan (incoming or outgoing) as the exit policy sees it: whether it has
/// candidates, its status, and — for a probe — whether a server on it worked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SideOutcome {
    /// The side has at least one candidate.
    pub has_candidates: bool,
    /// The side's status in the plan.
    pub status: Status,
    /// A probe found a working server on this side.
    #[serde(default)]
    pub works: bool,
}

impl SideOutcome {
    /// The incoming and outgoing sides of `plan`, with the probe's findings.
    pub fn of(plan: &Plan, incoming_works: bool, outgoing_works: bool) -> [Self; 2] {
        [
            Self {
                has_candidates: !plan.incoming.candidates.is_empty(),
                status: plan.incoming.status,
                works: incoming_works,
            },
            Self {
                has_candidates: !plan.outgoing.candidates.is_empty(),
                status: plan.outgoing.status,
                works: outgoing_works,
            },
        ]
    }
}

/// `plan`: 0 when any side has a candidate, else 3 when a lookup failed, else 1.
pub fn plan(sides: &[SideOutcome; 2]) -> u8 {
    if sides.iter().any(|s| s.has_candidates) {
        0
    } else if sides.iter().any(|s| s.status == Status::LookupFailed) {
        3
    } else {
        1
    }
}

/// `probe`: as [`plan`] when no side has a candidate; else 0 only when every side with
/// candidates has a working server.
pub fn probe(sides: &[SideOutcome; 2]) -> u8 {
    if !sides.iter().any(|s| s.has_candidates) {
        return plan(sides);
    }
    if sides.iter().filter(|s| s.has_candidates).all(|s| s.works) {
        0
    } else {
        1
    }
}

/// `verify`: 0 verified, 1 rejected, 4 needs the user's confirmation.
#[cfg(feature = "verify")]
pub fn verify(status: crate::verify::VerdictStatus) -> u8 {
    match status {
        crate::verify::VerdictStatus::Verified => 0,
        crate::verify::VerdictStatus::Rejected => 1,
        crate::verify::VerdictStatus::NeedsConfirmation => 4,
    }
}

/// `autoconfig` (parse one document): 0 when it was read, whatever sections were dropped (they
/// are in its diagnostics); a refused document is an input error, [`USAGE`].
pub fn autoconfig(read: bool) -> u8 {
    if read { 0 } else { USAGE }
}

impl Plan {
    /// The exit status of a `plan` command for this plan (see [`plan`]).
    pub fn exit_status(&self) -> u8 {
        plan(&SideOutcome::of(self, false, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(has_candidates: bool, status: Status, works: bool) -> SideOutcome {
        SideOutcome {
            has_candidates,
            status,
            works,
        }
    }

    #[test]
    fn bulk_is_0_only_when_every_line_was_planned() {
        assert_eq!(bulk(0), 0);
        assert_eq!(bulk(1), USAGE);
        assert_eq!(bulk(u64::MAX), USAGE);
        assert_eq!(INTERRUPTED, 128 + 2);
    }

    #[test]
    fn autoconfig_is_0_when_read_and_a_usage_error_when_refused() {
        assert_eq!(autoconfig(true), 0);
        assert_eq!(autoconfig(false), USAGE);
    }

    #[test]
    fn plan_is_usable_when_either_side_has_a_candidate() {
        let none = side(false, Status::NotPublished, false);
        let found = side(true, Status::Found, false);
        let failed = side(false, Status::LookupFailed, false);
        assert_eq!(plan(&[found, none]), 0);
        assert_eq!(plan(&[none, found]), 0);
        assert_eq!(plan(&[found, failed]), 0);
        assert_eq!(plan(&[none, failed]), 3);
        assert_eq!(plan(&[none, none]), 1);
        assert_eq!(plan(&[side(false, Status::NotOffered, false), none]), 1);
    }

    #[test]
    fn probe_needs_a_working_server_on_every_side_with_candidates() {
        let works = side(true, Status::Found, true);
        let broken = side(true, Status::Found, false);
        let none = side(false, Status::NotPublished, false);
        let failed = side(false, Status::LookupFailed, false);
        assert_eq!(probe(&[works, works]), 0);
        assert_eq!(probe(&[works, none]), 0);
        assert_eq!(probe(&[works, broken]), 1);
        assert_eq!(probe(&[none, broken]), 1);
        assert_eq!(probe(&[none, failed]), 3);
        assert_eq!(probe(&[none, none]), 1);
    }
}
