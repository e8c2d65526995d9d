//! Token of Trust webhooks: base64 HMAC-SHA1 of the exact raw body, in the `Authorization` header.

use hmac::Mac;

use crate::error::KycError;
use crate::secret::{from_base64, require_secrets, to_base64, Secret};
use crate::value::Limits;

/// The signature Token of Trust sends for `body`: base64 of HMAC-SHA1 keyed with the webhook secret.
pub fn tot_webhook_signature(body: &[u8], secret: &Secret) -> Result<String, KycError> {
    let mut mac = secret.sha1()?;
    mac.update(body);
    Ok(to_base64(&mac.finalize().into_bytes()))
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
    require_secrets(secrets)?;
    limits.check_body(body.len())?;
    let header = authorization.map(str::trim).unwrap_or_default();
    if header.is_empty() {
        return Err(KycError::MissingSignature(
            "the Authorization header is missing or empty",
        ));
    }
    // Anything that is not 20 bytes of base64 can match no HMAC-SHA1; it fails like a wrong signature.
    let signature = from_base64(header).unwrap_or_default();
    let mut ok = false;
    for secret in secrets {
        let mut mac = secret.sha1()?;
        mac.update(body);
        ok |= mac.verify_slice(&signature).is_ok();
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
}
