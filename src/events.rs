//! Typed webhook events for both providers, and the ordering rule for storing them.
//!
//! OST sends every value as a string; [`parse_ost_event`] turns ids, timestamps and counts back into
//! numbers. Token of Trust sends RFC 1123 timestamps and gate values; [`parse_tot_event`] reduces the gates
//! to one status with `reasonIsPositive`. [`is_newer_event`] is the seed's rule: process an event only when
//! its timestamp is greater than the stored one, and never the same event twice.

use crate::calendar::parse_rfc1123;
use crate::error::KycError;
use crate::gates::reason_is_positive;
use crate::value::Value;

/// The OST event names the documentation lists.
pub const OST_EVENT_NAMES: &[&str] = &[
    "user_register",
    "user_dopt_in",
    "user_deleted",
    "kyc_submit",
    "update_ethereum_address",
    "kyc_reopen",
    "kyc_status_update",
];

/// The OST event sources the documentation lists.
pub const OST_SOURCES: &[&str] = &["web", "api", "kyc_system"];

/// Whether a `data` field holding a string of digits is a number: ids, timestamps and counts.
fn numeric_field(key: &str) -> bool {
    key == "id"
        || key.ends_with("_id")
        || key.ends_with("_at")
        || key == "submission_count"
        || key == "request_timestamp"
}

fn integer_text(s: &str) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok().map(|n| n as f64)
}

fn numbers_in(value: &Value, key: &str) -> Value {
    match value {
        Value::String(s) if numeric_field(key) => integer_text(s)
            .map(Value::Number)
            .unwrap_or_else(|| value.clone()),
        Value::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), numbers_in(v, k)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| numbers_in(v, "")).collect()),
        other => other.clone(),
    }
}

fn number_field(params: &Value, key: &str) -> Value {
    match params.get(key) {
        Some(Value::String(s)) => integer_text(s).map(Value::Number).unwrap_or(Value::Null),
        Some(Value::Number(n)) => Value::Number(*n),
        _ => Value::Null,
    }
}

fn string_field(params: &Value, key: &str) -> Value {
    match params.get(key) {
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Number(n)) => Value::String(crate::value::js_number(*n)),
        _ => Value::Null,
    }
}

/// A typed OST event: `{provider: "ost", id, name, type, source, version, description, createdAt, requestTimestamp, data,
/// unknown, unknownSource}`. `unknown` flags an event name the documentation does not list.
pub fn parse_ost_event(params: &Value) -> Result<Value, KycError> {
    if !matches!(params, Value::Object(_)) {
        return Err(KycError::invalid_argument(
            "params must be the verified webhook parameters (an object)",
        ));
    }
    let name = string_field(params, "name");
    let Value::String(name_text) = &name else {
        return Err(KycError::malformed("the event has no name"));
    };
    let source = string_field(params, "source");
    let unknown = !OST_EVENT_NAMES.contains(&name_text.as_str());
    let unknown_source = !matches!(&source, Value::String(s) if OST_SOURCES.contains(&s.as_str()));
    let data = params
        .get("data")
        .map(|d| numbers_in(d, "data"))
        .unwrap_or(Value::Object(Vec::new()));
    Ok(Value::Object(vec![
        ("provider".into(), Value::string("ost")),
        ("id".into(), number_field(params, "id")),
        ("name".into(), name.clone()),
        ("type".into(), string_field(params, "type")),
        ("source".into(), source),
        ("version".into(), string_field(params, "version")),
        ("description".into(), string_field(params, "description")),
        ("createdAt".into(), number_field(params, "created_at")),
        (
            "requestTimestamp".into(),
            number_field(params, "request_timestamp"),
        ),
        ("data".into(), data),
        ("unknown".into(), Value::Bool(unknown)),
        ("unknownSource".into(), Value::Bool(unknown_source)),
    ]))
}

/// `key` in the first of `sources` that has it.
#[inline(never)]
fn lookup<'a>(sources: &[&'a Value], key: &str) -> Option<&'a Value> {
    sources.iter().find_map(|source| source.get(key))
}

/// The first string under one of `keys` (each looked up in `sources` in turn).
#[inline(never)]
fn first_string(sources: &[&Value], keys: &[&str]) -> Value {
    keys.iter()
        .find_map(|k| lookup(sources, k).and_then(Value::as_str))
        .map(Value::string)
        .unwrap_or(Value::Null)
}

/// The verification status the gates show: `rejected`, `updateRequested`, `cleared`, `submitted` or `pending`.
pub fn tot_status(gates: Option<&Value>) -> &'static str {
    let gate = |name: &str| reason_is_positive(gates.and_then(|g| g.get(name)));
    if gate("isRejected") {
        "rejected"
    } else if gate("isUpdateRequested") {
        "updateRequested"
    } else if gate("isCleared") {
        "cleared"
    } else if gate("isSubmitted") {
        "submitted"
    } else {
        "pending"
    }
}

/// A typed Token of Trust event: `{provider: "tot", appUserId, appTransactionId, appDomain, operation, name, eventId,
/// timestamp, gates, reasons, status}`, `timestamp` in Unix seconds.
///
/// A test webhook (sent from Token of Trust's dashboard or `api/webhooks/test`) wraps the event:
/// `{content: {sentWebhookBody: {name, timestamp, …}, webhookConfig}, metadata}`. When `content.sentWebhookBody`
/// is an object, each field is read from it first, then from the top level.
pub fn parse_tot_event(body: &Value) -> Result<Value, KycError> {
    if !matches!(body, Value::Object(_)) {
        return Err(KycError::malformed(
            "the Token of Trust webhook body must be a JSON object",
        ));
    }
    let wrapped = body
        .get("content")
        .and_then(|c| c.get("sentWebhookBody"))
        .filter(|inner| matches!(inner, Value::Object(_)));
    let sources: &[&Value] = match wrapped {
        Some(inner) => &[inner, body],
        None => &[body],
    };
    let field = |key: &str| lookup(sources, key);
    let timestamp = match field("timestamp") {
        None | Some(Value::Null) => Value::Null,
        Some(Value::String(s)) => match parse_rfc1123(s) {
            Some(t) => Value::Number(t as f64),
            None => {
                return Err(KycError::malformed(
                    "timestamp is not an RFC 1123 date such as Mon, 18 Jul 2022 13:03:54 GMT",
                ))
            }
        },
        Some(Value::Number(n)) => Value::Number(*n),
        Some(_) => return Err(KycError::malformed("timestamp is not an RFC 1123 date")),
    };
    let gates = field("gates").cloned().unwrap_or(Value::Object(Vec::new()));
    let reasons = field("reasons")
        .cloned()
        .unwrap_or(Value::Object(Vec::new()));
    let status = tot_status(Some(&gates));
    Ok(Value::Object(vec![
        ("provider".into(), Value::string("tot")),
        (
            "appUserId".into(),
            first_string(sources, &["app_user_id", "appUserId", "appUserid"]),
        ),
        (
            "appTransactionId".into(),
            first_string(sources, &["app_transaction_id", "appTransactionId"]),
        ),
        (
            "appDomain".into(),
            first_string(sources, &["app_domain", "appDomain"]),
        ),
        ("operation".into(), first_string(sources, &["operation"])),
        ("name".into(), first_string(sources, &["name"])),
        (
            "eventId".into(),
            first_string(sources, &["eventId", "event_id"]),
        ),
        ("timestamp".into(), timestamp),
        ("gates".into(), gates),
        ("reasons".into(), reasons),
        ("status".into(), Value::string(status)),
    ]))
}

fn event_id(event: &Value) -> Option<String> {
    match event.get("eventId").or_else(|| event.get("id")) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(crate::value::js_number(*n)),
        _ => None,
    }
}

/// An event's time in Unix seconds: a number, an RFC 1123 string, or the event's `timestamp`/`createdAt`.
fn event_time(event: &Value) -> Option<f64> {
    match event {
        Value::Number(n) => Some(*n),
        Value::String(s) => parse_rfc1123(s)
            .map(|t| t as f64)
            .or_else(|| integer_text(s)),
        Value::Object(_) => ["timestamp", "createdAt", "created_at"]
            .iter()
            .find_map(|k| event.get(k).and_then(event_time)),
        _ => None,
    }
}

/// The seed's rule: process `incoming` only when its timestamp is greater than the stored one, and never
/// the same event (`eventId`/`id`) twice. Nothing stored means process.
pub fn is_newer_event(stored: Option<&Value>, incoming: &Value) -> Result<bool, KycError> {
    let Some(incoming_time) = event_time(incoming) else {
        return Err(KycError::invalid_argument(
            "incoming has no timestamp (timestamp, createdAt or a number)",
        ));
    };
    let Some(stored) = stored.filter(|s| !matches!(s, Value::Null)) else {
        return Ok(true);
    };
    if let (Some(a), Some(b)) = (event_id(stored), event_id(incoming)) {
        if a == b {
            return Ok(false);
        }
    }
    Ok(match event_time(stored) {
        Some(stored_time) => incoming_time > stored_time,
        None => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse_query;
    use crate::value::Limits;

    fn j(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn ost_events_get_numbers_and_flags() {
        let body = b"created_at=1541753766&data%5Bresult_type%5D=user_kyc&data%5Buser_kyc%5D%5Bid%5D=337&data%5Buser_kyc%5D%5Bsubmission_count%5D=2&data%5Buser_kyc%5D%5Buser_id%5D=11483&data%5Buser_kyc%5D%5Bkyc_status%5D=pending&data%5Buser_kyc%5D%5Blast_acted_by%5D=&description=User+has+submitted+kyc+data&id=345&name=kyc_submit&request_timestamp=1541753770&source=api&type=user_kyc&version=v1";
        let params = parse_query(body, &Limits::default()).unwrap();
        let e = parse_ost_event(&params).unwrap();
        assert_eq!(e.get("provider"), Some(&Value::string("ost")));
        assert_eq!(e.get("id"), Some(&Value::Number(345.0)));
        assert_eq!(e.get("createdAt"), Some(&Value::Number(1_541_753_766.0)));
        assert_eq!(e.get("unknown"), Some(&Value::Bool(false)));
        let kyc = e.get("data").and_then(|d| d.get("user_kyc")).unwrap();
        assert_eq!(kyc.get("submission_count"), Some(&Value::Number(2.0)));
        assert_eq!(kyc.get("user_id"), Some(&Value::Number(11_483.0)));
        assert_eq!(kyc.get("kyc_status"), Some(&Value::string("pending")));
        assert_eq!(kyc.get("last_acted_by"), Some(&Value::string("")));
        let odd =
            parse_ost_event(&j(r#"{"name":"new_thing","source":"elsewhere","id":"1"}"#)).unwrap();
        assert_eq!(odd.get("unknown"), Some(&Value::Bool(true)));
        assert_eq!(odd.get("unknownSource"), Some(&Value::Bool(true)));
        assert_eq!(
            parse_ost_event(&j(r#"{"id":"1"}"#)).unwrap_err().code(),
            "MALFORMED_BODY"
        );
    }

    #[test]
    fn tot_status_follows_the_gates() {
        let e = |gates: &str| {
            let body = j(&format!(
                r#"{{"app_user_id":"u","eventId":"e1","timestamp":"Mon, 18 Jul 2022 13:03:54 GMT","gates":{gates}}}"#
            ));
            parse_tot_event(&body)
                .unwrap()
                .get("status")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap()
        };
        assert_eq!(
            e(r#"{"isRejected":"fullMatch","isCleared":"noMatch"}"#),
            "rejected"
        );
        assert_eq!(
            e(r#"{"isUpdateRequested":true,"isCleared":true}"#),
            "updateRequested"
        );
        assert_eq!(
            e(r#"{"isCleared":"partialMatch","isSubmitted":true}"#),
            "cleared"
        );
        assert_eq!(e(r#"{"isSubmitted":true}"#), "submitted");
        assert_eq!(
            e(r#"{"isSubmitted":false,"isCleared":"notApplicable"}"#),
            "pending"
        );
        let cleared = parse_tot_event(&j(r#"{"gates":{"isCleared":true}}"#)).unwrap();
        assert_eq!(cleared.get("provider"), Some(&Value::string("tot")));
        let bad = j(r#"{"timestamp":"yesterday"}"#);
        assert_eq!(parse_tot_event(&bad).unwrap_err().code(), "MALFORMED_BODY");
    }

    #[test]
    fn newer_events_only_once() {
        let a = j(r#"{"eventId":"a","timestamp":100}"#);
        let b = j(r#"{"eventId":"b","timestamp":101}"#);
        let older = j(r#"{"eventId":"c","timestamp":99}"#);
        let same_time = j(r#"{"eventId":"d","timestamp":100}"#);
        assert!(is_newer_event(None, &a).unwrap());
        assert!(is_newer_event(Some(&a), &b).unwrap());
        assert!(!is_newer_event(Some(&b), &a).unwrap());
        assert!(!is_newer_event(Some(&a), &older).unwrap());
        assert!(!is_newer_event(Some(&a), &same_time).unwrap());
        assert!(!is_newer_event(Some(&a), &a).unwrap());
        let ost_old = j(r#"{"id":236,"createdAt":1541144915}"#);
        let ost_new = j(r#"{"id":241,"createdAt":1541152654}"#);
        assert!(is_newer_event(Some(&ost_old), &ost_new).unwrap());
        let rfc = Value::string("Mon, 18 Jul 2022 13:03:54 GMT");
        assert!(is_newer_event(Some(&rfc), &j(r#"{"timestamp":1658149435}"#)).unwrap());
        assert_eq!(
            is_newer_event(None, &j("{}")).unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
    }

    #[test]
    fn tot_test_webhooks_are_read_from_the_envelope() {
        // The envelope of a test webhook, as `kyc-wasm trigger tot test` and kyc-wasm/testing send it.
        let envelope = j(
            r#"{"content": {"sentWebhookBody": {"reputation": {"foo": "bar"}, "testMode": true,
            "name": "reputation.created", "resource": "reputation", "operation": "created",
            "timestamp": "Sat, 14 Apr 2018 03:46:12 GMT"},
            "webhookConfig": {"reputation.created": {"hookUrl": "http://my.findaplace.xyz:32080/webhooks/reputation.created"}}},
            "metadata": {"version": "1.0.1", "status": 200}}"#,
        );
        let event = parse_tot_event(&envelope).unwrap();
        assert_eq!(
            event.get("name"),
            Some(&Value::string("reputation.created"))
        );
        assert_eq!(event.get("operation"), Some(&Value::string("created")));
        assert_eq!(
            event.get("timestamp"),
            Some(&Value::Number(1_523_677_572.0))
        );
        assert_eq!(event.get("status"), Some(&Value::string("pending")));
        // A wrapped gate change: fields from the inner event first, then the top level.
        let wrapped = j(r#"{"app_domain": "outer.example", "name": "outer",
            "content": {"sentWebhookBody": {"name": "verification.isCleared", "operation": "isCleared",
            "eventId": "ev1", "gates": {"isCleared": "fullMatch"}, "timestamp": "Mon, 18 Jul 2022 13:03:54 GMT"}}}"#);
        let event = parse_tot_event(&wrapped).unwrap();
        assert_eq!(
            event.get("name"),
            Some(&Value::string("verification.isCleared"))
        );
        assert_eq!(event.get("eventId"), Some(&Value::string("ev1")));
        assert_eq!(event.get("status"), Some(&Value::string("cleared")));
        assert_eq!(
            event.get("appDomain"),
            Some(&Value::string("outer.example"))
        );
        assert_eq!(
            event.get("timestamp"),
            Some(&Value::Number(1_658_149_434.0))
        );
        // Not an envelope: a non-object sentWebhookBody, or no content, reads the top level as before.
        for body in [
            r#"{"name": "reputation.updated", "content": {"sentWebhookBody": "x"}}"#,
            r#"{"name": "reputation.updated", "content": null}"#,
            r#"{"name": "reputation.updated", "content": {"other": {"name": "no"}}}"#,
        ] {
            let event = parse_tot_event(&j(body)).unwrap();
            assert_eq!(
                event.get("name"),
                Some(&Value::string("reputation.updated")),
                "{body}"
            );
        }
        // A bad inner timestamp is refused like a bad top-level one.
        let bad = j(r#"{"content": {"sentWebhookBody": {"name": "x", "timestamp": "yesterday"}}}"#);
        assert_eq!(parse_tot_event(&bad).unwrap_err().code(), "MALFORMED_BODY");
    }
}
