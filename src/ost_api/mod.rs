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
#[cfg(test)]
mod fixtures;
pub mod responses;
pub mod submission;

pub use builders::{Call, EmailKind, Method, OstRequest, ResponseKind};
pub use responses::{parse_response, ApiResponse};
pub use submission::{validate_kyc_submission, Problem};

/// Whether an HTTP status is worth retrying for an idempotent request: any 5xx.
pub fn is_retryable_status(status: u16) -> bool {
    (500..600).contains(&status)
}

/// Longest wait between two attempts, in milliseconds.
pub const MAX_RETRY_DELAY_MS: f64 = 5_000.0;

/// The wait before retry number `retry` (1 for the first retry): exponential from `base_ms`, capped at
/// [`MAX_RETRY_DELAY_MS`], with "equal jitter": half of it fixed, half scaled by `random` (in `[0, 1)`,
/// passed in because the core draws no randomness of its own).
pub fn retry_delay_ms(retry: u32, base_ms: f64, random: f64) -> f64 {
    let exponent = retry.saturating_sub(1).min(30);
    let full = (base_ms.max(0.0) * f64::from(1u32 << exponent)).min(MAX_RETRY_DELAY_MS);
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    full / 2.0 + full / 2.0 * random
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_are_for_5xx_with_jittered_exponential_backoff() {
        assert!(is_retryable_status(500));
        assert!(is_retryable_status(503));
        assert!(!is_retryable_status(404));
        assert!(!is_retryable_status(429));
        assert!(!is_retryable_status(200));
        assert_eq!(retry_delay_ms(1, 200.0, 0.0), 100.0);
        assert_eq!(retry_delay_ms(1, 200.0, 1.0), 200.0);
        assert_eq!(retry_delay_ms(2, 200.0, 0.5), 300.0);
        assert_eq!(retry_delay_ms(3, 200.0, 0.0), 400.0);
        assert_eq!(retry_delay_ms(40, 200.0, 1.0), MAX_RETRY_DELAY_MS);
        assert_eq!(retry_delay_ms(1, 200.0, f64::NAN), 100.0);
        assert_eq!(retry_delay_ms(1, -5.0, 0.5), 0.0);
    }
}
