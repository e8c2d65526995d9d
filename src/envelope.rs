//! The envelope of every OST API answer: `success`, then `data` or `err`. The pre-signed URL parser
//! ([`crate::upload`]) and the OST API response parser (`ost_api::responses`) both read it here.

use crate::error::KycError;
use crate::value::{js_number, Value};

/// `success` as OST writes it: `true` or `false`, or the same as a string in any case (the seed's
/// pre-signed PUT example answers `"success": "true"`). `None` when it is absent or anything else.
pub fn success_flag(body: &Value) -> Option<bool> {
    match body.get("success")? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// The `err` object of a failed answer as [`KycError::Api`].
///
/// `status` is the HTTP status when the answer came over HTTP: then a missing `err.code` reads
/// `HTTP_<status>` and a missing `err` says so with the status. Without one (a response body handed in by
/// the caller) they stay empty and the message says the body carries no `err`.
pub fn api_error(body: Option<&Value>, status: Option<u16>) -> KycError {
    let err = body.and_then(|b| b.get("err"));
    let text = |name: &str| -> String {
        match err.and_then(|e| e.get(name)) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => js_number(*n),
            _ => String::new(),
        }
    };
    let code = text("code");
    let msg = text("msg");
    KycError::Api {
        code: match status {
            Some(status) if code.is_empty() => format!("HTTP_{status}"),
            _ => code,
        },
        msg: match status {
            _ if !msg.is_empty() || err.is_some() => msg,
            Some(status) => format!("HTTP {status} without a JSON error body"),
            None => "the response says success: false and carries no err object".into(),
        },
        internal_id: text("internal_id"),
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn success_is_a_boolean_or_its_string_in_any_case() {
        for (body, flag) in [
            (r#"{"success": true}"#, Some(true)),
            (r#"{"success": "TRUE"}"#, Some(true)),
            (r#"{"success": "false"}"#, Some(false)),
            (r#"{"success": 1}"#, None),
            (r#"{}"#, None),
        ] {
            assert_eq!(success_flag(&json(body)), flag, "{body}");
        }
    }

    #[test]
    fn api_errors_with_and_without_an_http_status() {
        let bare = json(r#"{"success": false}"#);
        let KycError::Api { code, msg, .. } = api_error(Some(&bare), Some(502)) else {
            panic!()
        };
        assert_eq!(
            (code.as_str(), msg.as_str()),
            ("HTTP_502", "HTTP 502 without a JSON error body")
        );
        let KycError::Api { code, msg, .. } = api_error(Some(&bare), None) else {
            panic!()
        };
        assert_eq!(code, "");
        assert!(msg.contains("carries no err object"), "{msg}");
        let full =
            json(r#"{"success": false, "err": {"code": "X", "msg": "m", "internal_id": 7}}"#);
        assert_eq!(
            api_error(Some(&full), Some(400)),
            KycError::Api {
                code: "X".into(),
                msg: "m".into(),
                internal_id: "7".into(),
                status: Some(400)
            }
        );
    }
}
