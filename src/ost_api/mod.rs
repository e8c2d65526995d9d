//! The OST KYC API (`https://kyc.ost.com/api/v2`): one request builder per documented endpoint, the KYC
//! submission rules, and the parsing of every documented response.
//!
//! - [`builders`]: validates an endpoint's arguments into a [`Call`] (method, path, unsigned parameters and
//!   the kind of response to expect), then signs it through [`crate::signing::sign_ost_request`]. Path ids are
//!   checked as positive integers and are part of the path, never signed parameters.
//! - [`submission`]: `validateKycSubmission`, every problem at once as `{field, code, message}`.
//! - [`responses`]: the documented objects (`user`, `user_kyc`, `user_kyc_detail`, pages, pre-signed URLs),
//!   `success: false` as [`KycError::Api`](crate::KycError::Api), HTTP 404 as `NOT_FOUND`.
//!
//! Nothing here does I/O or reads a clock: the JavaScript client in `src/wasm/ost_api.rs` sends the requests,
//! retries, times out and passes the current time in.

pub mod builders;
pub mod responses;
pub mod submission;

pub use builders::{Call, Method, OstRequest, ResponseKind};
pub use responses::{parse_response, ApiResponse};
pub use submission::{validate_kyc_submission, Problem};
