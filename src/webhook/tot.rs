//! Token of Trust webhooks: base64 HMAC-SHA1 of the exact raw body, in the `Authorization` header.

use crate::error::KycError;
use crate::secret::{ct_eq, from_base64, hmac_sha1, require_secrets, to_base64, Secret};
use crate::value::Limits;

/// The length of an HMAC-SHA1 digest.
pub const DIGEST_LEN: usize = 20;

/// The raw HMAC-SHA1 of `body` under `secret`.
pub fn digest(body: &[u8], secret: &Secret) -> Result<[u8; DIGEST_LEN], KycError> {
    hmac_sha1(secret.expose(), body, "secret")
}

/// The signature Token of Trust sends for `body`: base64 of HMAC-SHA1 keyed with the webhook secret.
pub fn tot_webhook_signature(body: &[u8], secret: &Secret) -> Result<String, KycError> {
    digest(body, secret).map(|d| to_base64(&d))
}

/// Checks the `Authorization` header against the raw `body` with each secret in turn.
///
/// Parsing the JSON is left to the caller, after this succeeds.
pub fn verify_tot_webhook(
    body: &[u8],
    authorization: Option<&str>,
    secrets: &[Secret],
    limits: &Limits,
) -> Result<(), KycError> {
    verify_tot_digests(body.len(), authorization, secrets, limits, || {
        secrets.iter().map(|secret| digest(body, secret)).collect()
    })
}

/// [`verify_tot_webhook`] for a body hashed elsewhere (Node's native HMAC, or a streamed copy): the same
/// checks in the same order, given the body's length in bytes and `digests`, which returns the HMAC-SHA1 of
/// the body under each of `secrets`, in order. `digests` runs only once the cheap checks have passed.
///
/// Every digest is compared with the signature in constant time; none is skipped after a match.
pub fn verify_tot_digests(
    body_len: usize,
    authorization: Option<&str>,
    secrets: &[Secret],
    limits: &Limits,
    digests: impl FnOnce() -> Result<Vec<[u8; DIGEST_LEN]>, KycError>,
) -> Result<(), KycError> {
    require_secrets(secrets)?;
    limits.check_body(body_len)?;
    let header = authorization.map(str::trim).unwrap_or_default();
    if header.is_empty() {
        return Err(KycError::MissingSignature(
            "the Authorization header is missing or empty",
        ));
    }
    // Anything that is not 20 bytes of base64 can match no HMAC-SHA1; it fails like a wrong signature.
    let signature = from_base64(header).unwrap_or_default();
    let mut ok = false;
    for digest in digests()? {
        ok |= ct_eq(&digest, &signature);
    }
    if ok {
        Ok(())
    } else {
        Err(KycError::InvalidSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies() {
        let secret = Secret::new("shh", "secret").unwrap();
        let body = br#"{"operation":"isCleared"}"#;
        let sig = tot_webhook_signature(body, &secret).unwrap();
        let l = Limits::default();
        let secrets = [secret];
        assert!(verify_tot_webhook(body, Some(&sig), &secrets, &l).is_ok());
        assert!(verify_tot_webhook(body, Some(&format!(" {sig}\t")), &secrets, &l).is_ok());
        let code =
            |b: &[u8], h: Option<&str>| verify_tot_webhook(b, h, &secrets, &l).unwrap_err().code();
        assert_eq!(code(b"{}", Some(&sig)), "INVALID_SIGNATURE");
        assert_eq!(code(body, None), "MISSING_SIGNATURE");
        assert_eq!(code(body, Some("")), "MISSING_SIGNATURE");
        assert_eq!(code(body, Some("AAAA")), "INVALID_SIGNATURE");
        assert_eq!(code(body, Some("not base64!")), "INVALID_SIGNATURE");
        assert_eq!(code(body, Some(&sig[..sig.len() - 4])), "INVALID_SIGNATURE");
        assert_eq!(
            verify_tot_webhook(body, Some(&sig), &[], &l)
                .unwrap_err()
                .code(),
            "INVALID_ARGUMENT"
        );
    }

    #[test]
    fn precomputed_digests_follow_the_same_rules() {
        let secrets = [
            Secret::new("old", "secret").unwrap(),
            Secret::new("new", "secret").unwrap(),
        ];
        let body = br#"{"operation":"isCleared"}"#;
        let sig = tot_webhook_signature(body, &secrets[1]).unwrap();
        let l = Limits::default();
        let digests = || -> Result<Vec<[u8; DIGEST_LEN]>, KycError> {
            secrets.iter().map(|s| digest(body, s)).collect()
        };
        let run = |len: usize, h: Option<&str>, secrets: &[Secret]| {
            verify_tot_digests(len, h, secrets, &l, digests).map_err(|e| e.code())
        };
        // Any secret of the list matches; a rotation list verifies like the core path.
        assert_eq!(run(body.len(), Some(&sig), &secrets), Ok(()));
        assert!(verify_tot_webhook(body, Some(&sig), &secrets, &l).is_ok());
        assert_eq!(
            run(body.len(), Some("AAAA"), &secrets),
            Err("INVALID_SIGNATURE")
        );
        assert_eq!(run(body.len(), None, &secrets), Err("MISSING_SIGNATURE"));
        assert_eq!(
            run(body.len(), Some("  "), &secrets),
            Err("MISSING_SIGNATURE")
        );
        assert_eq!(run(body.len(), Some(&sig), &[]), Err("INVALID_ARGUMENT"));
        // The size check comes before the header check, as in the core path, and nothing is hashed.
        let big = Limits {
            max_body_bytes: 4,
            ..Limits::default()
        };
        let never = || -> Result<Vec<[u8; DIGEST_LEN]>, KycError> { panic!("hashed") };
        assert_eq!(
            verify_tot_digests(5, None, &secrets, &big, never)
                .unwrap_err()
                .code(),
            "BODY_TOO_LARGE"
        );
        assert_eq!(
            verify_tot_digests(5, None, &secrets, &l, never)
                .unwrap_err()
                .code(),
            "MISSING_SIGNATURE"
        );
        // A digest source's own error comes through.
        let failing = || -> Result<Vec<[u8; DIGEST_LEN]>, KycError> {
            Err(KycError::invalid_argument("boom"))
        };
        assert_eq!(
            verify_tot_digests(5, Some(&sig), &secrets, &l, failing)
                .unwrap_err()
                .code(),
            "INVALID_ARGUMENT"
        );
    }
}
