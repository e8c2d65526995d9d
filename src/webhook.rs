//! Webhook signatures of both providers.
//!
//! - [`ost`]: form-urlencoded bodies signed with HMAC-SHA256 hex over `url?` + the canonical query.
//! - [`tot`]: raw bodies signed with HMAC-SHA1 base64, sent in the `Authorization` header.

pub mod ost;
pub mod tot;
