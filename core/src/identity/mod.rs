//! Identity: who the user is and who the server must be — the email address, the user's
//! domain in A-label form, and the reference identities a server certificate must present.
//! Depends on nothing but the error table and the service vocabulary.

mod address;
mod domain;
mod reference;

pub use address::EmailAddress;
pub use domain::{domain_to_unicode, normalize_domain, normalize_domain_with, registrable_domain};
pub(crate) use reference::shared_reference_identities;
pub use reference::{IdentityKind, ReferenceIdentity, reference_identities};
