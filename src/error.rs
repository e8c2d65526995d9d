//! The one error type of the crate, with stable machine-readable codes.
//!
//! Messages say what to do about the problem. They never contain a secret, a signature or a body: only
//! lengths, limits, field names and the like.

use std::fmt;

use crate::calendar::MILLISECONDS_THRESHOLD;

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
    /// Memory for the body could not be allocated (wasm linear memory is at most 4 GiB, and a runtime may
    /// allow less). The module keeps working; a smaller body, or a lower `maxBodyBytes`, succeeds.
    OutOfMemory {
        /// The allocation that failed, in bytes.
        bytes: usize,
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
    /// The provider answered `success: false`. Carries the server's own `err` fields.
    Api {
        /// The server's `err.code`, e.g. `"UNAUTHORIZED"`.
        code: String,
        /// The server's `err.msg`.
        msg: String,
        /// The server's `err.internal_id`.
        internal_id: String,
        /// The HTTP status, when known.
        status: Option<u16>,
    },
    /// The resource does not exist (HTTP 404).
    NotFound(String),
    /// The request did not complete in time.
    Timeout(String),
    /// A file fails a check before upload: type, magic bytes, size or policy condition.
    InvalidFile(String),
    /// A pre-signed URL or POST policy has expired.
    UrlExpired(String),
    /// The storage server refused an upload. Carries S3's `Code` and `Message`.
    UploadFailed {
        /// S3's error `Code`, e.g. `"SignatureDoesNotMatch"`, or empty when there was none.
        s3_code: String,
        /// S3's error `Message`.
        s3_message: String,
        /// The HTTP status, when there was a response.
        status: Option<u16>,
    },
    /// An operation of the same kind is already in flight.
    Busy(String),
    /// The caller cancelled the operation through its `AbortSignal`.
    Aborted(String),
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
            KycError::OutOfMemory { .. } => "OUT_OF_MEMORY",
            KycError::TooDeep { .. } => "TOO_DEEP",
            KycError::TooManyParams { .. } => "TOO_MANY_PARAMS",
            KycError::InvalidArgument(_) => "INVALID_ARGUMENT",
            KycError::Api { .. } => "API_ERROR",
            KycError::NotFound(_) => "NOT_FOUND",
            KycError::Timeout(_) => "TIMEOUT",
            KycError::InvalidFile(_) => "INVALID_FILE",
            KycError::UrlExpired(_) => "URL_EXPIRED",
            KycError::UploadFailed { .. } => "UPLOAD_FAILED",
            KycError::Busy(_) => "BUSY",
            KycError::Aborted(_) => "ABORTED",
        }
    }

    /// Extra machine-readable fields, set as properties on the JavaScript error (`e.apiCode`, …).
    pub fn details(&self) -> Vec<(&'static str, String)> {
        match self {
            KycError::Api {
                code,
                msg,
                internal_id,
                ..
            } => {
                vec![
                    ("apiCode", code.clone()),
                    ("apiMessage", msg.clone()),
                    ("internalId", internal_id.clone()),
                ]
            }
            KycError::UploadFailed {
                s3_code,
                s3_message,
                ..
            } => {
                vec![
                    ("s3Code", s3_code.clone()),
                    ("s3Message", s3_message.clone()),
                ]
            }
            _ => Vec::new(),
        }
    }

    /// The HTTP status behind the error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            KycError::Api { status, .. } | KycError::UploadFailed { status, .. } => *status,
            KycError::NotFound(_) => Some(404),
            _ => None,
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

/// Makes room for `bytes` more bytes in a new vector, or answers `OUT_OF_MEMORY` instead of aborting (an
/// allocation failure in wasm is an untyped trap that can leave the module unusable).
pub fn try_vec<T>(bytes: usize) -> Result<Vec<T>, KycError> {
    let mut v = Vec::new();
    v.try_reserve_exact(bytes)
        .map_err(|_| KycError::OutOfMemory { bytes })?;
    Ok(v)
}

/// Checks that `bytes` can be allocated now, and gives the memory back: later allocations of up to that much
/// in total then come out of memory the module already has. Large bodies call this before the work whose
/// many small allocations cannot each be made fallible.
pub fn ensure_headroom(bytes: usize) -> Result<(), KycError> {
    try_vec::<u8>(bytes).map(drop)
}

/// `s` in double quotes, escaped as `{:?}` escapes a string for every character this crate's messages meet
/// (quotes, backslashes, `\t` `\r` `\n` `\0`, other control characters as `\u{…}`); other characters are kept as
/// they are. Messages that quote caller text use this rather than `{:?}`, whose Unicode-printability tables are
/// ~4 KB of wasm in the builds pages load (issue 16, size).
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => {
                out.push_str("\\u{");
                let n = u32::from(c);
                let digits = (32 - n.leading_zeros()).div_ceil(4).max(1);
                for shift in (0..digits).rev() {
                    let d = (n >> (shift * 4)) & 15;
                    out.push(char::from_digit(d, 16).unwrap_or('0'));
                }
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

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
                write!(f, "the signed timestamp is {distance} s {direction}, more than the {tolerance} s tolerance")?;
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
            KycError::OutOfMemory { bytes } => {
                write!(f, "could not allocate {bytes} bytes for the body (lower maxBodyBytes, or send less)")
            }
            KycError::TooDeep { limit } => {
                write!(f, "input nests deeper than {limit} levels (raise maxDepth if this is expected)")
            }
            KycError::TooManyParams { limit } => {
                write!(f, "more than {limit} parameters (raise maxParams if this is expected)")
            }
            KycError::InvalidArgument(message) => f.write_str(message),
            KycError::Api { code, msg, internal_id, .. } => {
                write!(f, "the API answered {code}: {msg} (internal_id {internal_id})")
            }
            KycError::NotFound(message) => write!(f, "not found: {message}"),
            KycError::Timeout(message) => write!(f, "timed out: {message}"),
            KycError::InvalidFile(message) => write!(f, "invalid file: {message}"),
            KycError::UrlExpired(message) => write!(f, "expired: {message}"),
            KycError::UploadFailed { s3_code, s3_message, .. } => {
                write!(f, "upload refused by the storage server: {s3_code}: {s3_message}")
            }
            KycError::Busy(message) => write!(f, "busy: {message}"),
            KycError::Aborted(message) => write!(f, "aborted: {message}"),
        }
    }
}

impl std::error::Error for KycError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_writes_what_debug_writes() {
        // Every ASCII character, the C1 controls and non-ASCII text: `quoted` agrees with `{:?}` on all of them.
        let ascii: String = (0u8..0x80).map(char::from).collect();
        for s in [
            "",
            "image/gif",
            "3/i/a b.pdf",
            "quote \" and \\ back",
            "tab\tcr\rlf\nnul\0",
            "\u{7f}\u{80}\u{9f}",
            "é 日本 😀",
            ascii.as_str(),
        ] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s:?}");
        }
    }

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
        assert_eq!(KycError::OutOfMemory { bytes: 1 }.code(), "OUT_OF_MEMORY");
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

    /// The quoted codes in `text`, in order: `"ABC_DEF"` words of capitals and underscores.
    fn quoted_codes(text: &str) -> Vec<&str> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|w| w.len() > 2 && w.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
            .collect()
    }

    #[test]
    fn the_typescript_code_union_is_the_rust_list() {
        // The Rust list: the arms of `KycError::code`, read from this file's source.
        let source = include_str!("error.rs");
        let start = source.find("pub fn code(&self)").unwrap();
        let end = start + source[start..].find("\n    }\n").unwrap();
        let rust = quoted_codes(&source[start..end]);
        assert_eq!(rust.len(), 17, "{rust:?}");
        // The TypeScript union: every member before the handlers' own codes.
        let types = include_str!("wasm/types.d.ts");
        let start = types.find("export type KycErrorCode =").unwrap();
        let end = start + types[start..].find(';').unwrap();
        let union = &types[start..end];
        let split = union.find("// Answered by the webhook handlers").unwrap();
        assert_eq!(quoted_codes(&union[..split]), rust);
        // The rest are answered by the JavaScript handlers: each must be one they use.
        let handlers = include_str!("../pkg-template/lib/webhook.js");
        for code in quoted_codes(&union[split..]) {
            assert!(!rust.contains(&code), "{code} is in both lists");
            assert!(
                handlers.contains(&format!("\"{code}\"")),
                "{code} is not in webhook.js"
            );
        }
    }
}
