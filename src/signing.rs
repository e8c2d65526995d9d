//! OST API request signing: HMAC-SHA256 hex over `endpoint?` + the canonical query of the parameters.

use hmac::Mac;

use crate::calendar::check_timestamp;
use crate::codec::to_hex;
use crate::error::KycError;
use crate::query::to_query_with;
use crate::secret::Secret;
use crate::value::{without, Limits, Value};

/// An OST API key pair. The secret is redacted from `Debug`.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// The API key, sent in clear as `api_key`.
    pub api_key: String,
    /// The API secret, which keys the HMAC and is never sent.
    pub api_secret: Secret,
}

impl Credentials {
    /// Checks both parts are non-empty.
    pub fn new(
        api_key: impl Into<String>,
        api_secret: impl Into<Vec<u8>>,
    ) -> Result<Credentials, KycError> {
        let api_key = api_key.into();
        if api_key.is_empty() {
            return Err(KycError::invalid_argument(
                "credentials.apiKey is empty: pass your OST API key",
            ));
        }
        Ok(Credentials {
            api_key,
            api_secret: Secret::new(api_secret, "credentials.apiSecret")?,
        })
    }
}

/// A signed OST request, ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct SignedRequest {
    /// `endpoint?query`, the exact text that was signed.
    pub string_to_sign: String,
    /// Lowercase hex HMAC-SHA256 of `string_to_sign`.
    pub signature: String,
    /// The canonical query with `&signature=…` appended: a GET query string or a form-urlencoded body.
    pub query: String,
    /// Every parameter sent, `api_key`, `request_timestamp` and `signature` included.
    pub params: Value,
}

/// Signs an OST API request: `params` ∪ `{api_key, request_timestamp}`, encoded canonically after `endpoint?`.
pub fn sign_ost_request(
    endpoint: &str,
    params: &Value,
    credentials: &Credentials,
    timestamp: i64,
    limits: &Limits,
) -> Result<SignedRequest, KycError> {
    if !endpoint.starts_with('/')
        || endpoint.contains(['?', '#'])
        || endpoint.chars().any(char::is_whitespace)
    {
        return Err(KycError::invalid_argument(
            "endpoint must be a path such as /api/v2/users, without a query string",
        ));
    }
    check_timestamp(timestamp, "timestamp")?;
    let Value::Object(entries) = params else {
        return Err(KycError::invalid_argument(
            "params must be an object, such as {email: \"kyc@ost.com\"}",
        ));
    };
    // Before copying: cloning a too-deep value would recurse past the stack.
    limits.check_value(params)?;
    let mut all = without(entries, &["api_key", "request_timestamp", "signature"]);
    all.push(("api_key".into(), Value::String(credentials.api_key.clone())));
    all.push(("request_timestamp".into(), Value::Number(timestamp as f64)));
    let mut all = Value::Object(all);
    let canonical = to_query_with(&all, limits)?;

    let mut string_to_sign = String::with_capacity(endpoint.len() + 1 + canonical.len());
    string_to_sign.push_str(endpoint);
    string_to_sign.push('?');
    string_to_sign.push_str(&canonical);
    let mut mac = credentials.api_secret.sha256()?;
    mac.update(string_to_sign.as_bytes());
    let signature = to_hex(&mac.finalize().into_bytes());

    let query = format!("{canonical}&signature={signature}");
    if let Value::Object(entries) = &mut all {
        entries.push(("signature".into(), Value::String(signature.clone())));
    }
    Ok(SignedRequest {
        string_to_sign,
        signature,
        query,
        params: all,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::seconds_from_f64;

    fn creds() -> Credentials {
        Credentials::new("API_KEY", "API_SECRET").unwrap()
    }

    #[test]
    fn signs_the_seed_shape() {
        let params = Value::Object(vec![("email".into(), Value::string("kyc@ost.com"))]);
        let signed = sign_ost_request(
            "/api/v2/users",
            &params,
            &creds(),
            1_542_185_198,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            signed.string_to_sign,
            "/api/v2/users?api_key=API_KEY&email=kyc%40ost.com&request_timestamp=1542185198"
        );
        assert_eq!(
            signed.query,
            format!(
                "api_key=API_KEY&email=kyc%40ost.com&request_timestamp=1542185198&signature={}",
                signed.signature
            )
        );
        assert_eq!(
            signed.params.get("signature").and_then(Value::as_str),
            Some(signed.signature.as_str())
        );
    }

    #[test]
    fn bad_arguments_are_explained() {
        let params = Value::Object(vec![]);
        let l = Limits::default();
        let e = sign_ost_request("/x", &params, &creds(), 1_542_185_198_000, &l).unwrap_err();
        assert!(e.to_string().contains("milliseconds"));
        assert_eq!(
            sign_ost_request("/x?a=1", &params, &creds(), 1, &l)
                .unwrap_err()
                .code(),
            "INVALID_ARGUMENT"
        );
        assert_eq!(
            Credentials::new("", "s").unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
        assert!(seconds_from_f64(1.5, "timestamp").is_err());
        assert_eq!(seconds_from_f64(10.0, "timestamp").unwrap(), 10);
    }
}
