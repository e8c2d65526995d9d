//! The POST policy of a form upload: decoded, parsed and checked against a file.

use super::file::FileKind;
use super::target::field_text;
use super::target::UploadTarget;
use crate::calendar::parse_iso8601;
use crate::error::{quoted, KycError};
use crate::value::Value;

/// Decodes the base64 `policy` field of a POST target into its JSON text. `Ok(None)` when the target has
/// no policy field; `MALFORMED_BODY` when it is not base64 of UTF-8.
pub fn decode_policy(target: &UploadTarget) -> Result<Option<String>, KycError> {
    let Some(encoded) = target.field("policy") else {
        return Ok(None);
    };
    let compact: String = encoded
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = crate::codec::from_base64(&compact).ok_or_else(|| {
        KycError::malformed(format!("fields.policy of {} is not base64", target.key))
    })?;
    String::from_utf8(bytes).map(Some).map_err(|_| {
        KycError::malformed(format!("fields.policy of {} is not UTF-8 JSON", target.key))
    })
}

/// One condition of a POST policy, as far as the checks here need it.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// `{"name": "value"}` or `["eq", "$name", "value"]`. The name is stored without `$`.
    Eq(String, String),
    /// `["starts-with", "$name", "prefix"]`.
    StartsWith(String, String),
    /// `["content-length-range", min, max]`.
    ContentLengthRange(u64, u64),
}

fn condition_number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) if n.is_finite() && *n >= 0.0 && n.fract() == 0.0 => Some(*n as u64),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn condition_name(value: &Value) -> Option<String> {
    let name = value.as_str()?;
    Some(name.strip_prefix('$').unwrap_or(name).to_owned())
}

/// A parsed POST policy: its expiration (Unix seconds) and conditions.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The policy's `expiration`, in Unix seconds.
    pub expiration: i64,
    /// Every condition, in order.
    pub conditions: Vec<Condition>,
}

/// Reads a decoded POST policy document. A document that is not the documented shape is
/// `MALFORMED_BODY`: S3 itself would refuse it.
pub fn parse_policy(policy: &Value) -> Result<Policy, KycError> {
    let bad = |what: &str| KycError::malformed(format!("the POST policy {what}"));
    let expiration = match policy.get("expiration") {
        Some(Value::String(s)) => parse_iso8601(s).ok_or_else(|| {
            bad("expiration is not an ISO-8601 time such as 2026-01-23T09:14:05Z")
        })?,
        Some(_) => return Err(bad("expiration is not a string")),
        None => return Err(bad("has no expiration")),
    };
    let items = match policy.get("conditions") {
        Some(Value::Array(items)) => items,
        Some(_) => return Err(bad("conditions is not an array")),
        None => return Err(bad("has no conditions")),
    };
    let mut conditions = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::Object(entries) => {
                for (name, value) in entries {
                    let value = field_text(value, &format!("POST policy conditions[{i}].{name}"))?;
                    conditions.push(Condition::Eq(
                        name.strip_prefix('$').unwrap_or(name).to_owned(),
                        value,
                    ));
                }
            }
            Value::Array(parts) => {
                let op = parts.first().and_then(Value::as_str).unwrap_or_default();
                let condition = if op.eq_ignore_ascii_case("content-length-range") {
                    match (
                        parts.get(1).and_then(condition_number),
                        parts.get(2).and_then(condition_number),
                    ) {
                        (Some(min), Some(max)) if parts.len() == 3 && min <= max => {
                            Condition::ContentLengthRange(min, max)
                        }
                        _ => {
                            return Err(bad(&format!(
                                "conditions[{i}] is not [\"content-length-range\", min, max]"
                            )))
                        }
                    }
                } else {
                    let (Some(name), Some(value), 3) = (
                        parts.get(1).and_then(condition_name),
                        parts.get(2),
                        parts.len(),
                    ) else {
                        return Err(bad(&format!(
                            "conditions[{i}] is not [operator, \"$field\", value]"
                        )));
                    };
                    let value = field_text(value, &format!("POST policy conditions[{i}][2]"))?;
                    if op.eq_ignore_ascii_case("eq") {
                        Condition::Eq(name, value)
                    } else if op.eq_ignore_ascii_case("starts-with") {
                        Condition::StartsWith(name, value)
                    } else {
                        return Err(bad(&format!("conditions[{i}] has an unknown operator")));
                    }
                };
                conditions.push(condition);
            }
            _ => {
                return Err(bad(&format!(
                    "conditions[{i}] is neither an object nor an array"
                )))
            }
        }
    }
    Ok(Policy {
        expiration,
        conditions,
    })
}

/// Whether two content types name the same format (case-insensitive, `image/jpg` = `image/jpeg`).
pub(super) fn same_type(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || matches!((FileKind::from_content_type(a), FileKind::from_content_type(b)), (Some(x), Some(y)) if x == y)
}

fn condition_text(condition: &Condition) -> String {
    match condition {
        Condition::Eq(name, value) => format!("[\"eq\", \"${name}\", {}]", quoted(value)),
        Condition::StartsWith(name, value) => {
            format!("[\"starts-with\", \"${name}\", {}]", quoted(value))
        }
        Condition::ContentLengthRange(min, max) => {
            format!("[\"content-length-range\", {min}, {max}]")
        }
    }
}

/// Checks a file against a POST policy before sending it, as S3 would after: the expiration, the
/// `content-length-range`, and the `Content-Type` and `key` conditions (`eq` and `starts-with`) against
/// `content_type` (the Content-Type form field that will be sent) and the target's `fields.key`.
/// `URL_EXPIRED` or `INVALID_FILE` naming the condition that fails.
pub fn check_policy(
    policy: &Policy,
    target: &UploadTarget,
    content_type: &str,
    size: u64,
    now: i64,
) -> Result<(), KycError> {
    if now >= policy.expiration {
        return Err(KycError::UrlExpired(format!(
            "the POST policy for {} expired {} s ago (its expiration condition): request new URLs",
            target.key,
            now - policy.expiration
        )));
    }
    let key = target.object_key().unwrap_or_default();
    for condition in &policy.conditions {
        let (name, actual) = match condition {
            Condition::ContentLengthRange(min, max) => {
                if size < *min || size > *max {
                    return Err(KycError::InvalidFile(format!(
                        "the file is {size} bytes, outside the POST policy's {}",
                        condition_text(condition)
                    )));
                }
                continue;
            }
            Condition::Eq(name, _) | Condition::StartsWith(name, _) => {
                if name.eq_ignore_ascii_case("Content-Type") {
                    (name, content_type)
                } else if name.eq_ignore_ascii_case("key") {
                    (name, key)
                } else {
                    continue;
                }
            }
        };
        let ok = match condition {
            Condition::Eq(_, expected) => actual == expected,
            Condition::StartsWith(_, prefix) => actual.starts_with(prefix.as_str()),
            Condition::ContentLengthRange(..) => true,
        };
        if !ok {
            let what = if name.eq_ignore_ascii_case("key") {
                format!("the object key {}", quoted(actual))
            } else {
                format!("Content-Type {}", quoted(actual))
            };
            return Err(KycError::InvalidFile(format!(
                "{what} fails the POST policy condition {}",
                condition_text(condition)
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::fixtures::*;
    use crate::upload::{plan_upload, UploadOptions};

    #[test]
    fn post_policy_conditions_are_enforced_and_named() {
        let target = post_target(&[]);
        let check = |conditions: &str, size: u64, now: i64, content_type: Option<&str>| {
            let options = UploadOptions {
                content_type: content_type.map(str::to_owned),
                min_bytes: 0,
                ..UploadOptions::at(now)
            };
            let head = match content_type {
                Some("image/png") => PNG,
                Some("application/pdf") => PDF,
                _ => JPEG,
            };
            plan_upload(
                &target,
                &file(head, size),
                &options,
                Some(&policy(conditions)),
            )
        };
        let e = check("[]", 1000, NOW + 600, None).unwrap_err();
        assert_eq!(e.code(), "URL_EXPIRED");
        assert!(e.to_string().contains("expiration"), "{e}");
        let range = r#"[["content-length-range", 204800, 20971520]]"#;
        assert!(check(range, 204_800, NOW, None).is_ok());
        let e = check(range, 204_799, NOW, None).unwrap_err();
        assert_eq!(e.code(), "INVALID_FILE");
        assert!(e.to_string().contains("content-length-range"), "{e}");
        assert!(check(range, 20_971_521, NOW, None).is_err());
        // Numbers as strings, as some SDKs write them.
        assert!(check(r#"[["content-length-range", "10", "20"]]"#, 30, NOW, None).is_err());
        // Content-Type: eq in both spellings, any case of the name, and starts-with.
        for c in [
            r#"[["eq", "$Content-Type", "image/png"]]"#,
            r#"[["EQ", "$content-type", "image/png"]]"#,
            r#"[{"Content-Type": "image/png"}]"#,
            r#"[{"content-type": "image/png"}]"#,
            r#"[["starts-with", "$Content-Type", "application/"]]"#,
        ] {
            let e = check(c, 1000, NOW, None).unwrap_err();
            assert_eq!(e.code(), "INVALID_FILE", "{c}");
            assert!(
                e.to_string()
                    .contains("Content-Type \"image/jpeg\" fails the POST policy condition"),
                "{c}: {e}"
            );
        }
        assert!(check(
            r#"[["starts-with", "$Content-Type", "image/"]]"#,
            1000,
            NOW,
            None
        )
        .is_ok());
        assert!(check(r#"[["starts-with", "$Content-Type", ""]]"#, 1000, NOW, None).is_ok());
        assert!(check(
            r#"[{"Content-Type": "image/png"}]"#,
            1000,
            NOW,
            Some("image/png")
        )
        .is_ok());
        // key: eq and starts-with.
        assert!(check(r#"[["eq", "$key", "3/i/doc"]]"#, 1000, NOW, None).is_ok());
        assert!(check(r#"[{"key": "3/i/doc"}]"#, 1000, NOW, None).is_ok());
        let e = check(r#"[["starts-with", "$key", "4/"]]"#, 1000, NOW, None).unwrap_err();
        assert!(e.to_string().contains("object key \"3/i/doc\""), "{e}");
        assert!(check(r#"[{"key": "3/i/other"}]"#, 1000, NOW, None).is_err());
        // Other fields' conditions are S3's business.
        assert!(check(
            r#"[{"bucket": "elsewhere"}, ["eq", "$x-amz-meta-a", "b"]]"#,
            1000,
            NOW,
            None
        )
        .is_ok());
    }

    #[test]
    fn malformed_policies() {
        let target = post_target(&[]);
        for p in [
            r#"{"conditions": []}"#,
            r#"{"expiration": "tomorrow", "conditions": []}"#,
            r#"{"expiration": "2026-01-23T09:24:05Z"}"#,
            r#"{"expiration": "2026-01-23T09:24:05Z", "conditions": [1]}"#,
            r#"{"expiration": "2026-01-23T09:24:05Z", "conditions": [["content-length-range", 5, 1]]}"#,
            r#"{"expiration": "2026-01-23T09:24:05Z", "conditions": [["in", "$key", "a"]]}"#,
            r#"{"expiration": "2026-01-23T09:24:05Z", "conditions": [["eq", "$key"]]}"#,
        ] {
            let e = plan_upload(
                &target,
                &file(JPEG, 300_000),
                &UploadOptions::at(NOW),
                Some(&json(p)),
            )
            .unwrap_err();
            assert_eq!(e.code(), "MALFORMED_BODY", "{p}");
        }
        assert_eq!(
            plan_upload(&target, &file(JPEG, 300_000), &UploadOptions::at(NOW), None)
                .unwrap_err()
                .code(),
            "MALFORMED_BODY"
        );
    }

    #[test]
    fn policy_field_is_decoded() {
        let mut target = post_target(&[]);
        target.fields[3].1 =
            crate::codec::to_base64(br#"{"expiration":"2026-01-23T09:24:05Z","conditions":[]}"#);
        let text = decode_policy(&target).unwrap().unwrap();
        assert!(parse_policy(&json(&text)).is_ok());
        target.fields[3].1 = "not base64!".into();
        assert_eq!(decode_policy(&target).unwrap_err().code(), "MALFORMED_BODY");
        assert_eq!(
            decode_policy(&put_target("https://h/b", None)).unwrap(),
            None
        );
    }
}
