//! What a webhook endpoint needs to deliver each event once and in order: a de-duplication key, the subject
//! whose events are ordered, and the event's position in that order.
//!
//! The JavaScript handlers keep this state in a store (memory, Redis, PostgreSQL); the decisions about the
//! event's bytes and fields are made here.
//!
//! - **Key.** OST keeps a webhook's `id` across its retries and re-signs every attempt with a fresh
//!   `request_timestamp`, so an OST event is keyed by its id. A Token of Trust body carries no such id that
//!   its signature pins to one delivery, so it is keyed by the SHA-256 of the signed body bytes.
//! - **Subject and position.** OST events order by (`created_at`, `id`) per event type and user; Token of
//!   Trust events by `timestamp` per `appUserId`. A position is text that compares in byte order: zero-padded
//!   decimal numbers, so that a store can compare positions without knowing what they mean. Equal positions
//!   are not older ("ties are not older"): two Token of Trust events with one timestamp are both delivered.

use sha2::{Digest, Sha256};

use crate::value::Value;

/// Digits of each zero-padded number in a position: integers up to 10^16 (events carry at most 15 digits).
const WIDTH: usize = 16;

/// Which provider sent the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// OST KYC.
    Ost,
    /// Token of Trust.
    Tot,
}

impl Provider {
    /// `"ost"` or `"tot"`, as in the events' `provider` field.
    pub fn parse(name: &str) -> Option<Provider> {
        match name {
            "ost" => Some(Provider::Ost),
            "tot" => Some(Provider::Tot),
            _ => None,
        }
    }
}

/// How an endpoint keeps one event: see the module documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The de-duplication key (never empty).
    pub key: String,
    /// Whose events are ordered, when the event names a user.
    pub subject: Option<String>,
    /// The event's position among its subject's events, when it has a time.
    pub position: Option<String>,
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    // By hand rather than with `format!`: no formatting machinery in the size-tuned browser builds.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digit = |n: u8| char::from(HEX.get(usize::from(n & 15)).copied().unwrap_or(b'0'));
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(digest.len() * 2);
    for b in digest {
        out.push(digit(b >> 4));
        out.push(digit(b));
    }
    out
}

/// Appends the decimal digits of `n`, zero-padded to `width` (no formatting machinery, as above).
fn push_decimal(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    while len < digits.len() && (n > 0 || len < width.max(1)) {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        len += 1;
    }
    for d in digits.iter().take(len).rev() {
        out.push(char::from(*d));
    }
}

/// A whole number from 0 to 10^16 - 1 (a number, or a string of at most 15 digits).
fn whole(value: Option<&Value>) -> Option<u64> {
    let n = match value? {
        Value::Number(n) => *n,
        Value::String(s)
            if !s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit()) =>
        {
            return Some(s.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')));
        }
        _ => return None,
    };
    (n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n < 1e16).then_some(n as u64)
}

/// Appends a string field, or a whole-number field in decimal (`parseOstEvent` makes numbers of ids).
fn push_text(out: &mut String, value: Option<&Value>) -> bool {
    match value {
        Some(Value::String(s)) if !s.is_empty() => out.push_str(s),
        Some(Value::Number(n)) if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e16 => {
            if *n < 0.0 {
                out.push('-');
            }
            push_decimal(out, n.abs() as u64, 1);
        }
        _ => return false,
    }
    true
}

/// The OST user an event is about: `data.user.id`, else `data.user_kyc.user_id`.
fn ost_user(event: &Value) -> Option<&Value> {
    let data = event.get("data")?;
    let user = data.get("user").and_then(|u| u.get("id"));
    let kyc = data.get("user_kyc").and_then(|k| k.get("user_id"));
    user.filter(|v| matches!(v, Value::String(_) | Value::Number(_)))
        .or(kyc)
}

/// `prefix` then the text of `value`, or `None` when the value is not a usable string or number.
fn subject(prefix: String, value: Option<&Value>) -> Option<String> {
    let mut out = prefix;
    push_text(&mut out, value).then_some(out)
}

/// The delivery facts of a typed event (`parseOstEvent`/`parseTotEvent` output) and its signed raw body.
pub fn delivery(provider: Provider, event: &Value, body: &[u8]) -> Delivery {
    let id = whole(event.get("id"));
    let mut key = String::new();
    let mut position = None;
    let subject = match provider {
        Provider::Ost => {
            match id {
                Some(id) => {
                    key.push_str("ost:id:");
                    push_decimal(&mut key, id, WIDTH);
                }
                None => {
                    key.push_str("ost:sha256:");
                    key.push_str(&sha256_hex(body));
                }
            }
            if let Some(time) = whole(event.get("createdAt")) {
                let mut p = String::new();
                push_decimal(&mut p, time, WIDTH);
                if let Some(id) = id {
                    p.push('.');
                    push_decimal(&mut p, id, WIDTH);
                }
                position = Some(p);
            }
            // The type's length first, so that no type and user pair writes the same text as another.
            let kind = event.get("type").and_then(Value::as_str).unwrap_or("");
            let mut prefix = String::from("ost:");
            push_decimal(&mut prefix, kind.len() as u64, 1);
            prefix.push(':');
            prefix.push_str(kind);
            prefix.push(':');
            subject(prefix, ost_user(event))
        }
        Provider::Tot => {
            key.push_str("tot:sha256:");
            key.push_str(&sha256_hex(body));
            if let Some(time) = whole(event.get("timestamp")) {
                let mut p = String::new();
                push_decimal(&mut p, time, WIDTH);
                position = Some(p);
            }
            subject(String::from("tot:"), event.get("appUserId"))
        }
    };
    Delivery {
        key,
        subject,
        position,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn sha256_known_answers() {
        // FIPS 180-2 examples.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn ost_keys_by_id_and_orders_by_time_then_id() {
        let event = |id: u64, at: u64| {
            j(&format!(
                r#"{{"provider":"ost","id":{id},"type":"user_kyc","createdAt":{at},"data":{{"user_kyc":{{"user_id":11483}}}}}}"#
            ))
        };
        let a = delivery(Provider::Ost, &event(901, 1_541_753_766), b"one body");
        let b = delivery(Provider::Ost, &event(902, 1_541_753_766), b"another body");
        let retry = delivery(Provider::Ost, &event(901, 1_541_753_766), b"re-signed body");
        assert_eq!(a.key, "ost:id:0000000000000901");
        assert_eq!(a.key, retry.key, "a retry (re-signed) has the same key");
        assert_ne!(a.key, b.key);
        assert_eq!(a.subject.as_deref(), Some("ost:8:user_kyc:11483"));
        assert_eq!(a.subject, b.subject);
        // Same second: the id breaks the tie, so 902 is newer than 901, not a duplicate of it.
        assert!(b.position > a.position);
        assert_eq!(
            a.position.as_deref(),
            Some("0000001541753766.0000000000000901")
        );
        let later = delivery(Provider::Ost, &event(5, 1_541_753_767), b"");
        assert!(later.position > b.position, "time first, then id");
        let user = j(r#"{"id":7,"type":"user","createdAt":1,"data":{"user":{"id":"42"}}}"#);
        assert_eq!(
            delivery(Provider::Ost, &user, b"").subject.as_deref(),
            Some("ost:4:user:42")
        );
    }

    #[test]
    fn ost_without_id_or_time() {
        let event = j(r#"{"id":null,"createdAt":null,"data":{}}"#);
        let d = delivery(Provider::Ost, &event, b"abc");
        assert_eq!(
            d.key,
            "ost:sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(d.subject, None);
        assert_eq!(d.position, None);
        let negative = j(r#"{"id":-1,"createdAt":-5}"#);
        let d = delivery(Provider::Ost, &negative, b"abc");
        assert!(d.key.starts_with("ost:sha256:"));
        assert_eq!(d.position, None);
    }

    #[test]
    fn tot_keys_by_body_digest_and_orders_by_timestamp() {
        let event = j(r#"{"provider":"tot","appUserId":"u-1","timestamp":1658149434}"#);
        let a = delivery(Provider::Tot, &event, b"abc");
        let b = delivery(Provider::Tot, &event, b"abd");
        assert_eq!(
            a.key,
            "tot:sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(
            a.key, b.key,
            "a different body with the same timestamp is another event"
        );
        assert_eq!(a.position, b.position, "and it is not older");
        assert_eq!(a.subject.as_deref(), Some("tot:u-1"));
        let older = delivery(
            Provider::Tot,
            &j(r#"{"appUserId":"u-1","timestamp":1658149433}"#),
            b"abc",
        );
        assert!(older.position < a.position);
        let none = delivery(Provider::Tot, &j(r#"{"appUserId":null}"#), b"");
        assert_eq!((none.subject, none.position), (None, None));
    }

    #[test]
    fn subjects_do_not_collide_across_types() {
        // "a:b" + "c" and "a" + "b:c" must not give one subject.
        let one = j(r#"{"type":"a:b","createdAt":1,"data":{"user":{"id":"c"}}}"#);
        let two = j(r#"{"type":"a","createdAt":1,"data":{"user":{"id":"b:c"}}}"#);
        assert_ne!(
            delivery(Provider::Ost, &one, b"").subject,
            delivery(Provider::Ost, &two, b"").subject
        );
    }
}
