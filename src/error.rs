//! The one error type of the crate, with stable machine-readable codes.
//!
//! Messages say what to do about the problem. They never contain a secret, a signature or a body: only
//! lengths, limits, field names and the like.

use std::fmt;

/// Every failure of kyc-wasm. [`KycError::code`] is the stable code that JavaScript sees as `error.code`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KycError {
    /// The signature was present but matches none of the secrets.
    InvalidSignature,
    /// The request carries no signature at all (no `signature` parameter, no `Authorization` header).
    MissingSignature(&'static str),
    /// The signed timestamp is further from `now` than the tolerance allows.
    TimestampOutOfTolerance {
        /// The signed `request_timestamp`, in Unix seconds.
        timestamp: i64,
        /// The clock the caller passed in, in Unix seconds.
        now: i64,
        /// The allowed distance, in seconds.
        tolerance: u64,
    },
    /// The body could not be read as what it claims to be.
    MalformedBody(String),
    /// The body is larger than the configured limit.
    BodyTooLarge {
        /// The body length in bytes.
        actual: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// Parameters or a JSON value nest deeper than the configured limit.
    TooDeep {
        /// The limit, in levels.
        limit: usize,
    },
    /// More parameters than the configured limit.
    TooManyParams {
        /// The limit, in parameters.
        limit: usize,
    },
    /// A caller passed something of the wrong type or shape. The message names the argument.
    InvalidArgument(String),
}

impl KycError {
    /// The stable code, e.g. `"INVALID_SIGNATURE"`.
    pub fn code(&self) -> &'static str {
        match self {
            KycError::InvalidSignature => "INVALID_SIGNATURE",
            KycError::MissingSignature(_) => "MISSING_SIGNATURE",
            KycError::TimestampOutOfTolerance { .. } => "TIMESTAMP_OUT_OF_TOLERANCE",
            KycError::MalformedBody(_) => "MALFORMED_BODY",
            KycError::BodyTooLarge { .. } => "BODY_TOO_LARGE",
            KycError::TooDeep { .. } => "TOO_DEEP",
            KycError::TooManyParams { .. } => "TOO_MANY_PARAMS",
            KycError::InvalidArgument(_) => "INVALID_ARGUMENT",
        }
    }

    /// Shorthand for [`KycError::InvalidArgument`].
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        KycError::InvalidArgument(message.into())
    }

    /// Shorthand for [`KycError::MalformedBody`].
    pub fn malformed(message: impl Into<String>) -> Self {
        KycError::MalformedBody(message.into())
    }
}

/// Unix seconds above this are almost certainly milliseconds (it is the year 5138 in seconds).
pub(crate) const MILLISECONDS_THRESHOLD: i64 = 100_000_000_000;

impl fmt::Display for KycError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KycError::InvalidSignature => f.write_str(
                "signature does not match: check the secret, and that the body is verified exactly as received \
                 (not re-serialised)",
            ),
            KycError::MissingSignature(what) => write!(f, "no signature: {what}"),
            KycError::TimestampOutOfTolerance { timestamp, now, tolerance } => {
                let distance = timestamp.abs_diff(*now);
                let direction = if timestamp > now { "in the future" } else { "old" };
                write!(f, "request_timestamp is {distance} s {direction}, more than the {tolerance} s tolerance")?;
                if timestamp.abs() >= MILLISECONDS_THRESHOLD {
                    f.write_str("; it looks like milliseconds, but timestamps are Unix seconds")?;
                }
                if now.abs() >= MILLISECONDS_THRESHOLD {
                    f.write_str("; `now` looks like milliseconds: pass Math.floor(Date.now() / 1000)")?;
                }
                Ok(())
            }
            KycError::MalformedBody(message) => write!(f, "malformed body: {message}"),
            KycError::BodyTooLarge { actual, limit } => {
                write!(f, "body is {actual} bytes, over the {limit}-byte limit (raise maxBodyBytes if this is expected)")
            }
            KycError::TooDeep { limit } => {
                write!(f, "input nests deeper than {limit} levels (raise maxDepth if this is expected)")
            }
            KycError::TooManyParams { limit } => {
                write!(f, "more than {limit} parameters (raise maxParams if this is expected)")
            }
            KycError::InvalidArgument(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for KycError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable() {
        assert_eq!(KycError::InvalidSignature.code(), "INVALID_SIGNATURE");
        assert_eq!(KycError::MissingSignature("x").code(), "MISSING_SIGNATURE");
        assert_eq!(KycError::malformed("x").code(), "MALFORMED_BODY");
        assert_eq!(
            KycError::BodyTooLarge {
                actual: 2,
                limit: 1
            }
            .code(),
            "BODY_TOO_LARGE"
        );
        assert_eq!(KycError::TooDeep { limit: 1 }.code(), "TOO_DEEP");
        assert_eq!(
            KycError::TooManyParams { limit: 1 }.code(),
            "TOO_MANY_PARAMS"
        );
        assert_eq!(KycError::invalid_argument("x").code(), "INVALID_ARGUMENT");
    }

    #[test]
    fn millisecond_timestamps_are_explained() {
        let e = KycError::TimestampOutOfTolerance {
            timestamp: 1_542_185_198_000,
            now: 1_542_185_198,
            tolerance: 300,
        };
        assert_eq!(e.code(), "TIMESTAMP_OUT_OF_TOLERANCE");
        assert!(e.to_string().contains("milliseconds"), "{e}");
    }
}
