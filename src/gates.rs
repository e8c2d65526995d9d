//! Token of Trust gates and reasons, judged exactly as the provider's own `reasonValue`/`reasonIsPositive`.
//!
//! A reason is `None` when it is missing (JavaScript `undefined`).

use crate::value::Value;

/// Values that count as negative even though they are non-empty strings.
const NEGATIVE: [&str; 5] = [
    "false",
    "noMatch",
    "no match",
    "insufficientData",
    "notApplicable",
];

/// Where a reason's value comes from, so that a binding can hand back the caller's own value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReasonSource {
    /// `undefined`: a missing reason, or a `notApplicable` value.
    Undefined,
    /// The reason itself (a boolean, scalar or array).
    Itself,
    /// `reason.value`.
    Value,
    /// `reason.status` (when `value` is absent).
    Status,
}

/// Which part of `reason` the provider's `reasonValue` returns.
pub fn reason_source(reason: Option<&Value>) -> ReasonSource {
    let (source, picked) = match reason {
        None => return ReasonSource::Undefined,
        Some(r @ Value::Object(_)) => match (r.get("value"), r.get("status")) {
            (Some(v), _) => (ReasonSource::Value, Some(v)),
            (None, Some(s)) => (ReasonSource::Status, Some(s)),
            (None, None) => (ReasonSource::Undefined, None),
        },
        Some(other) => (ReasonSource::Itself, Some(other)),
    };
    match picked {
        Some(Value::String(s)) if s == "notApplicable" => ReasonSource::Undefined,
        _ => source,
    }
}

/// The provider's `reasonValue`: a boolean or scalar is itself, an object gives its `value` (when present)
/// or else its `status`, and `"notApplicable"` becomes `undefined` (`None`).
pub fn reason_value(reason: Option<&Value>) -> Option<&Value> {
    match reason_source(reason) {
        ReasonSource::Undefined => None,
        ReasonSource::Itself => reason,
        ReasonSource::Value => reason?.get("value"),
        ReasonSource::Status => reason?.get("status"),
    }
}

/// The provider's `reasonIsPositive`: the reason's value is truthy and is none of `"false"`, `"noMatch"`,
/// `"no match"`, `"insufficientData"` or `"notApplicable"`.
pub fn reason_is_positive(reason: Option<&Value>) -> bool {
    match reason_value(reason) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => *n != 0.0 && !n.is_nan(),
        Some(Value::String(s)) => !s.is_empty() && !NEGATIVE.contains(&s.as_str()),
        Some(Value::Array(_) | Value::Object(_)) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn judges_like_the_seed() {
        for (input, positive) in [
            ("true", true),
            ("false", false),
            ("\"fullMatch\"", true),
            ("\"partialMatch\"", true),
            ("\"noMatch\"", false),
            ("\"no match\"", false),
            ("\"notApplicable\"", false),
            ("\"insufficientData\"", false),
            ("\"false\"", false),
            ("\"0\"", true),
            ("0", false),
            ("1", true),
            ("\"\"", false),
            ("null", false),
            ("[]", true),
            ("{}", false),
            (r#"{"value":"fullMatch","status":"noMatch"}"#, true),
            (r#"{"status":"fullMatch"}"#, true),
            (r#"{"value":null,"status":"fullMatch"}"#, false),
            (r#"{"value":{"value":false}}"#, true),
            (r#"{"value":"notApplicable"}"#, false),
        ] {
            assert_eq!(reason_is_positive(Some(&j(input))), positive, "{input}");
        }
        assert!(!reason_is_positive(None));
    }

    #[test]
    fn value_of_not_applicable_is_undefined() {
        assert_eq!(
            reason_value(Some(&j(r#"{"status":"notApplicable"}"#))),
            None
        );
        assert_eq!(reason_value(Some(&j("7"))), Some(&j("7")));
        assert_eq!(reason_value(Some(&j(r#"{"value":[1]}"#))), Some(&j("[1]")));
    }
}
