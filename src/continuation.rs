//! Token of Trust verifyPerson responses: the decision the browser acts on, and the pass-through the app
//! server returns to its client (seed steps 5–7).
//!
//! Both **fail closed**. The seed's client handler calls `onVerified` for an empty, failed or unrecognised
//! response, which lets a user through whenever Token of Trust is down; here those are `error`.

use crate::gates::reason_is_positive;
use crate::value::{js_number, Value};

/// Token of Trust's code for "the workflow's conditions are met".
pub const CONDITIONS_MET: &str = "WorkflowService:conditionsMet";
/// Token of Trust's code for "the user must act": a continuation follows.
pub const NEXT_STEP_IS_INTERACTIVE: &str = "WorkflowService:nextStepIsInteractive";

/// What the client should do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Verification is done (or not required): let the user through.
    Verified,
    /// Open the continuation in the Token of Trust modal.
    Continue,
    /// Something went wrong: do not let the user through.
    Error,
}

impl Action {
    /// The JavaScript spelling: `"verified"`, `"continue"` or `"error"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Verified => "verified",
            Action::Continue => "continue",
            Action::Error => "error",
        }
    }
}

/// Why a response is an error; `code` is stable.
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionError {
    /// `TOT_ERROR`, `NO_CONTENT`, `HTTP_ERROR`, `NO_CONTINUATION`, `NO_POSITIVE_GATE` or `UNEXPECTED_RESPONSE`.
    pub code: &'static str,
    /// What happened, for logs.
    pub message: String,
    /// The HTTP status in the body's `metadata`, when there was one.
    pub status: Option<f64>,
}

/// The result of [`evaluate_verification`].
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// What to do.
    pub action: Action,
    /// `false` only when verified.
    pub verification_required: bool,
    /// `isCleared`, `isSubmitted` or `isUpdateRequested`, when a gate decided.
    pub message_code: Option<&'static str>,
    /// The params object to pass to `tot("modalOpen", "continue", …)`, `disableClose` defaulting to `true`.
    pub continuation: Option<Value>,
    /// Set when `action` is `Error`.
    pub error: Option<DecisionError>,
}

/// `content.continuation.params`, when it is an object with a non-empty string `url`.
fn continuation_params(content: &Value) -> Option<&Value> {
    let params = content.get("continuation")?.get("params")?;
    match params.get("url") {
        Some(Value::String(url)) if !url.is_empty() => Some(params),
        _ => None,
    }
}

/// The params for `modalOpen`: a copy of `params` with `disableClose` set to `true` unless already set.
pub fn normalize_continuation(params: &Value) -> Value {
    let mut entries = params.as_object().map(<[_]>::to_vec).unwrap_or_default();
    if !entries
        .iter()
        .any(|(k, v)| k == "disableClose" && matches!(v, Value::Bool(_)))
    {
        entries.retain(|(k, _)| k != "disableClose");
        entries.push(("disableClose".into(), Value::Bool(true)));
    }
    Value::Object(entries)
}

impl Decision {
    /// An `error` decision: verification still required, nothing to continue with.
    pub fn failed(code: &'static str, message: String, status: Option<f64>) -> Decision {
        Decision {
            action: Action::Error,
            verification_required: true,
            message_code: None,
            continuation: None,
            error: Some(DecisionError {
                code,
                message,
                status,
            }),
        }
    }
}

fn error(code: &'static str, message: impl Into<String>, content: Option<&Value>) -> Decision {
    let status = content
        .and_then(|c| c.get("metadata").or_else(|| c.get("status").map(|_| c)))
        .and_then(|m| m.get("status"))
        .and_then(|s| match s {
            Value::Number(n) => Some(*n),
            _ => None,
        });
    Decision::failed(code, message.into(), status)
}

fn text_of(content: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match content.get(k) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    })
}

/// Decides what the client does with a verifyPerson response: TOT's own `content`, or the app server's
/// pass-through (`{verificationRequired, continuation}` or `{verificationRequired: true, error}`).
///
/// This ports the seed's `doVerifyPerson` success handler, except that whatever the seed would wave
/// through without evidence (an empty, failed or unrecognised response) is `error`.
pub fn evaluate_verification(content: Option<&Value>) -> Decision {
    let Some(content @ Value::Object(_)) = content else {
        return error("NO_CONTENT", "the response has no content", None);
    };

    // A response that says it failed never verifies, whatever gates it also carries. It may still carry a
    // continuation, which the seed opens, and so do we: opening the modal lets no one through.
    // Any `error` key counts, even `null`: failing closed costs a retry, failing open lets someone through.
    let failure = content
        .get("error")
        .filter(|e| matches!(e, Value::Object(_)))
        .map(|e| {
            let code = match e.get("code").and_then(Value::as_str) {
                Some("HTTP_ERROR") => "HTTP_ERROR",
                Some("NO_CONTENT") => "NO_CONTENT",
                Some("NO_CONTINUATION") => "NO_CONTINUATION",
                Some("NO_POSITIVE_GATE") => "NO_POSITIVE_GATE",
                Some("UNEXPECTED_RESPONSE") => "UNEXPECTED_RESPONSE",
                _ => "TOT_ERROR",
            };
            let message = text_of(e, &["message", "errorMessage"])
                .unwrap_or_else(|| "verification failed".into());
            error(code, message, Some(e))
        })
        .or_else(|| {
            let failed = content.get("type").and_then(Value::as_str) == Some("error")
                || content.get("error").is_some();
            failed.then(|| {
                let message = text_of(content, &["message", "errorMessage", "code"])
                    .unwrap_or_else(|| "Token of Trust answered an error".into());
                error("TOT_ERROR", message, Some(content))
            })
        });

    // The seed's conditionsMet branch, gate by gate. Inside it the seed never opens a continuation unless an
    // update was requested, and waves the user through otherwise; here only a positive gate verifies.
    let unresolved = content.get("verificationRequired").is_none()
        || content.get("verificationMessageCode").is_none();
    if unresolved && content.get("code").and_then(Value::as_str) == Some(CONDITIONS_MET) {
        let gates = content
            .get("details")
            .and_then(|d| d.get("conditionResult"))
            .and_then(|c| c.get("gates"));
        let gate = |name: &str| reason_is_positive(gates.and_then(|g| g.get(name)));
        let verified = |message_code| match &failure {
            Some(failed) => failed.clone(),
            None => Decision {
                action: Action::Verified,
                verification_required: false,
                message_code,
                continuation: None,
                error: None,
            },
        };
        if gate("isNotRequired") {
            return verified(None);
        }
        if gate("isCleared") {
            return verified(Some("isCleared"));
        }
        if gate("isUpdateRequested") {
            return match continuation_params(content) {
                Some(params) => Decision {
                    action: Action::Continue,
                    verification_required: true,
                    message_code: Some("isUpdateRequested"),
                    continuation: Some(normalize_continuation(params)),
                    error: None,
                },
                None => error(
                    "NO_CONTINUATION",
                    "an update was requested but the response has no continuation",
                    Some(content),
                ),
            };
        }
        if gate("isSubmitted") {
            return verified(Some("isSubmitted"));
        }
        return error(
            "NO_POSITIVE_GATE",
            "conditions met, but no gate is positive",
            Some(content),
        );
    }

    if let Some(params) = continuation_params(content) {
        return Decision {
            action: Action::Continue,
            verification_required: true,
            message_code: None,
            continuation: Some(normalize_continuation(params)),
            error: None,
        };
    }
    if let Some(failed) = failure {
        return failed;
    }
    // The app server's pass-through of a conditionsMet response.
    if content.get("verificationRequired") == Some(&Value::Bool(false)) {
        return Decision {
            action: Action::Verified,
            verification_required: false,
            message_code: None,
            continuation: None,
            error: None,
        };
    }
    error(
        "UNEXPECTED_RESPONSE",
        "the response is neither conditions met nor a continuation",
        Some(content),
    )
}

/// Seed step 6, fail-closed: what the app server returns to its client for TOT's `/api/person` response
/// (or for the HTTP error body, or nothing).
///
/// - `WorkflowService:conditionsMet` → `{verificationRequired: false}`
/// - `WorkflowService:nextStepIsInteractive` with a continuation → `{verificationRequired: true, continuation}`
/// - anything else → `{verificationRequired: true, error: {code, message, status?}}`
pub fn process_person_response(response: Option<&Value>) -> Value {
    let fail = |code: &str, message: String, status: Option<f64>| {
        let mut e = vec![
            ("code".to_owned(), Value::string(code)),
            ("message".to_owned(), Value::String(message)),
        ];
        if let Some(status) = status {
            e.push(("status".to_owned(), Value::Number(status)));
        }
        Value::Object(vec![
            ("verificationRequired".into(), Value::Bool(true)),
            ("error".into(), Value::Object(e)),
        ])
    };
    let status = response
        .and_then(|r| r.get("metadata"))
        .and_then(|m| m.get("status"))
        .and_then(|s| match s {
            Value::Number(n) => Some(*n),
            _ => None,
        });
    let Some(content @ Value::Object(_)) = response.and_then(|r| r.get("content")) else {
        return match status {
            Some(s) if s >= 400.0 => fail(
                "HTTP_ERROR",
                format!("Token of Trust answered HTTP {}", js_number(s)),
                Some(s),
            ),
            _ => fail(
                "NO_CONTENT",
                "the Token of Trust response has no content".into(),
                status,
            ),
        };
    };
    if content.get("type").and_then(Value::as_str) == Some("error") {
        let message = text_of(content, &["message", "errorMessage", "code"])
            .unwrap_or_else(|| "Token of Trust answered an error".into());
        return fail("TOT_ERROR", message, status);
    }
    if let Some(s) = status.filter(|s| *s >= 400.0) {
        return fail(
            "HTTP_ERROR",
            format!("Token of Trust answered HTTP {}", js_number(s)),
            Some(s),
        );
    }
    match content.get("code").and_then(Value::as_str) {
        Some(CONDITIONS_MET) => {
            let decision = evaluate_verification(Some(content));
            let has_gates = matches!(
                content.get("details").and_then(|d| d.get("conditionResult")).and_then(|c| c.get("gates")),
                Some(Value::Object(g)) if !g.is_empty()
            );
            match (decision.action, content.get("continuation"), decision.error) {
                // A reviewer asked for an update: the user must go through the continuation again.
                (Action::Continue, Some(continuation), _) => Value::Object(vec![
                    ("verificationRequired".into(), Value::Bool(true)),
                    ("continuation".into(), continuation.clone()),
                ]),
                // Gates were sent and none is positive (a rejection, say): never "not required".
                (Action::Error, _, Some(e)) if has_gates => fail(e.code, e.message, status),
                // The seed's step 6: conditions met, and no gates to say otherwise.
                _ => Value::Object(vec![("verificationRequired".into(), Value::Bool(false))]),
            }
        }
        Some(NEXT_STEP_IS_INTERACTIVE) => {
            match (continuation_params(content), content.get("continuation")) {
                (Some(_), Some(continuation)) => Value::Object(vec![
                    ("verificationRequired".into(), Value::Bool(true)),
                    ("continuation".into(), continuation.clone()),
                ]),
                _ => fail(
                    "NO_CONTINUATION",
                    "nextStepIsInteractive without a continuation URL".into(),
                    status,
                ),
            }
        }
        Some(other) => fail(
            "UNEXPECTED_RESPONSE",
            format!("unexpected Token of Trust code {other}"),
            status,
        ),
        None => fail(
            "UNEXPECTED_RESPONSE",
            "the Token of Trust response has no code".into(),
            status,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    fn decide(s: &str) -> Decision {
        evaluate_verification(Some(&j(s)))
    }

    fn met(gates: &str, extra: &str) -> String {
        format!(
            r#"{{"code":"{CONDITIONS_MET}","details":{{"conditionResult":{{"gates":{gates}}}}}{extra}}}"#
        )
    }

    const CONT: &str = r#","continuation":{"params":{"url":"https://app.tokenoftrust.com/c/1"}}"#;

    #[test]
    fn gates_decide_in_the_seed_order() {
        let d = decide(&met(
            r#"{"isNotRequired":true,"isCleared":"fullMatch"}"#,
            "",
        ));
        assert_eq!(
            (d.action, d.message_code, d.verification_required),
            (Action::Verified, None, false)
        );
        let d = decide(&met(
            r#"{"isCleared":"fullMatch","isUpdateRequested":true}"#,
            "",
        ));
        assert_eq!(
            (d.action, d.message_code),
            (Action::Verified, Some("isCleared"))
        );
        let d = decide(&met(
            r#"{"isUpdateRequested":"fullMatch","isSubmitted":true}"#,
            CONT,
        ));
        assert_eq!(
            (d.action, d.message_code, d.verification_required),
            (Action::Continue, Some("isUpdateRequested"), true)
        );
        let d = decide(&met(r#"{"isUpdateRequested":"fullMatch"}"#, ""));
        assert_eq!(
            (d.action, d.error.unwrap().code),
            (Action::Error, "NO_CONTINUATION")
        );
        let d = decide(&met(r#"{"isSubmitted":{"value":"partialMatch"}}"#, ""));
        assert_eq!(
            (d.action, d.message_code),
            (Action::Verified, Some("isSubmitted"))
        );
    }

    #[test]
    fn continuations_are_normalised() {
        let d = decide(&format!(r#"{{"code":"{NEXT_STEP_IS_INTERACTIVE}"{CONT}}}"#));
        assert_eq!(d.action, Action::Continue);
        let c = d.continuation.unwrap();
        assert_eq!(c.get("disableClose"), Some(&Value::Bool(true)));
        assert_eq!(
            c.get("url").and_then(Value::as_str),
            Some("https://app.tokenoftrust.com/c/1")
        );
        let keep = decide(r#"{"continuation":{"params":{"url":"u","disableClose":false}}}"#);
        assert_eq!(
            keep.continuation.unwrap().get("disableClose"),
            Some(&Value::Bool(false))
        );
    }

    #[test]
    fn fails_closed_where_the_seed_fails_open() {
        for body in [
            "{}",
            r#"{"type":"error","message":"bad key"}"#,
            &met("{}", ""),
            &met(r#"{"isRejected":"fullMatch"}"#, ""),
            r#"{"code":"WorkflowService:conditionsMet"}"#,
            r#"{"verificationRequired":true}"#,
            r#"{"verificationRequired":true,"error":{"code":"TOT_ERROR","message":"x"}}"#,
            // A failure that also carries gates is still a failure.
            &met(r#"{"isCleared":true}"#, r#","type":"error""#),
            &met(r#"{"isCleared":true}"#, r#","error":{"code":"TOT_ERROR"}"#),
            r#"{"verificationRequired":false,"error":{"code":"X"}}"#,
        ] {
            assert_eq!(decide(body).action, Action::Error, "{body}");
        }
        assert_eq!(evaluate_verification(None).action, Action::Error);
        assert_eq!(
            evaluate_verification(Some(&Value::Null)).action,
            Action::Error
        );
        assert_eq!(
            decide(r#"{"verificationRequired":false}"#).action,
            Action::Verified
        );
    }

    #[test]
    fn pass_through_is_fail_closed() {
        let p = |s: &str| process_person_response(Some(&j(s)));
        assert_eq!(
            p(&format!(r#"{{"content":{}}}"#, met("{}", ""))),
            j(r#"{"verificationRequired":false}"#)
        );
        assert_eq!(
            p(r#"{"content":{"code":"WorkflowService:conditionsMet"}}"#),
            j(r#"{"verificationRequired":false}"#)
        );
        let cleared = p(&format!(
            r#"{{"content":{}}}"#,
            met(r#"{"isCleared":"fullMatch"}"#, "")
        ));
        assert_eq!(cleared, j(r#"{"verificationRequired":false}"#));
        let rejected = p(&format!(
            r#"{{"content":{}}}"#,
            met(r#"{"isRejected":"fullMatch","isCleared":"noMatch"}"#, "")
        ));
        assert_eq!(
            rejected.get("verificationRequired"),
            Some(&Value::Bool(true))
        );
        let code = rejected
            .get("error")
            .and_then(|e| e.get("code"))
            .and_then(Value::as_str);
        assert_eq!(code, Some("NO_POSITIVE_GATE"));
        let c = p(&format!(
            r#"{{"content":{{"code":"{NEXT_STEP_IS_INTERACTIVE}"{CONT}}}}}"#
        ));
        assert_eq!(c.get("verificationRequired"), Some(&Value::Bool(true)));
        assert!(c.get("continuation").is_some());
        for (body, code) in [
            (
                r#"{"content":{"type":"error","message":"Invalid key"}}"#,
                "TOT_ERROR",
            ),
            (r#"{"metadata":{"status":500}}"#, "HTTP_ERROR"),
            ("{}", "NO_CONTENT"),
            ("null", "NO_CONTENT"),
            (
                r#"{"content":{"code":"WorkflowService:somethingElse"}}"#,
                "UNEXPECTED_RESPONSE",
            ),
            (
                r#"{"content":{"code":"WorkflowService:nextStepIsInteractive"}}"#,
                "NO_CONTINUATION",
            ),
        ] {
            let out = p(body);
            assert_eq!(
                out.get("verificationRequired"),
                Some(&Value::Bool(true)),
                "{body}"
            );
            assert_eq!(
                out.get("error")
                    .and_then(|e| e.get("code"))
                    .and_then(Value::as_str),
                Some(code),
                "{body}"
            );
        }
        assert_eq!(
            process_person_response(None).get("verificationRequired"),
            Some(&Value::Bool(true))
        );
    }

    #[test]
    fn pass_through_errors_decide_error() {
        let out =
            process_person_response(Some(&j(r#"{"content":{"type":"error","message":"m"}}"#)));
        let d = evaluate_verification(Some(&out));
        assert_eq!(
            (d.action, d.error.unwrap().code),
            (Action::Error, "TOT_ERROR")
        );
    }
}
