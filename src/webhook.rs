//! Webhook signatures of both providers.
//!
//! - [`ost`]: form-urlencoded bodies signed with HMAC-SHA256 hex over `url?` + the canonical query.
//! - [`tot`]: raw bodies signed with HMAC-SHA1 base64, sent in the `Authorization` header.

pub mod ost;
pub mod tot;

use crate::error::KycError;

/// The HTTP status a webhook endpoint answers for a failed delivery: `401` for signature and timestamp
/// problems, `413` for an oversized body (or one there is no memory for), `400` for anything malformed.
pub fn http_status(error: &KycError) -> u16 {
    match error {
        KycError::InvalidSignature
        | KycError::MissingSignature(_)
        | KycError::TimestampOutOfTolerance { .. } => 401,
        KycError::BodyTooLarge { .. } | KycError::OutOfMemory { .. } => 413,
        _ => 400,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(http_status(&KycError::InvalidSignature), 401);
        assert_eq!(http_status(&KycError::MissingSignature("x")), 401);
        assert_eq!(
            http_status(&KycError::TimestampOutOfTolerance {
                timestamp: 0,
                now: 400,
                tolerance: 300
            }),
            401
        );
        assert_eq!(
            http_status(&KycError::BodyTooLarge {
                actual: 2,
                limit: 1
            }),
            413
        );
        assert_eq!(http_status(&KycError::malformed("x")), 400);
        assert_eq!(http_status(&KycError::TooDeep { limit: 1 }), 400);
    }
}
