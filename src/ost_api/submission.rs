//! `validateKycSubmission`: the rules of `POST /api/v2/users-kyc/{user_id}`, checked before any network call.
//!
//! Every problem is reported at once, in the order of the seed's field table, then unknown fields in the
//! order given. Each has a stable `code`:
//!
//! | code | when |
//! |---|---|
//! | `REQUIRED` | a required field is missing, `null`, blank, or an empty array |
//! | `EMPTY` | an optional field is present but blank (omit it instead), or an array item is blank |
//! | `NOT_A_STRING` | a text field, date, address, file path or array item is not a string |
//! | `NOT_AN_ARRAY` | `investor_proof_files_path` is not an array |
//! | `INVALID_DATE` | `birthdate` is not `dd/mm/yyyy`, or not a real calendar date |
//! | `DATE_NOT_IN_PAST` | `birthdate` is today or later (UTC, against `now`) |
//! | `INVALID_ADDRESS` | `ethereum_address` is not `0x` and 40 hex digits |
//! | `BAD_CHECKSUM` | `ethereum_address` is mixed-case and its EIP-55 checksum does not hold |
//! | `NOT_A_NUMBER` | `estimated_participation_amount` is neither a number nor a numeric string |
//! | `NOT_POSITIVE` | `estimated_participation_amount` is zero or negative |
//! | `UNKNOWN_FIELD` | a field the endpoint does not accept |
//!
//! Messages name the field and the rule; they never repeat the value, which is personal data.

use sha3::{Digest, Keccak256};

use crate::calendar::check_timestamp;
use crate::calendar::{days_from_civil, days_in_month};
use crate::error::KycError;
use crate::value::Value;

/// How a field is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldRule {
    /// A non-blank string.
    Text,
    /// `dd/mm/yyyy`, a real date in the past.
    Birthdate,
    /// `0x` + 40 hex digits, EIP-55 checksummed when mixed-case.
    EthereumAddress,
    /// A positive number, or a string holding one.
    Amount,
    /// A non-blank file path from the pre-signed URL response.
    FilePath,
    /// An array of non-blank file paths.
    FilePaths,
}

/// Every field the endpoint accepts, in the seed's order, with its rule and whether the seed marks it
/// mandatory.
pub const KYC_FIELDS: &[(&str, FieldRule, bool)] = &[
    ("first_name", FieldRule::Text, true),
    ("last_name", FieldRule::Text, true),
    ("birthdate", FieldRule::Birthdate, true),
    ("country", FieldRule::Text, true),
    ("nationality", FieldRule::Text, true),
    ("document_id_number", FieldRule::Text, true),
    ("document_id_file_path", FieldRule::FilePath, true),
    ("selfie_file_path", FieldRule::FilePath, true),
    ("residence_proof_file_path", FieldRule::FilePath, false),
    ("investor_proof_files_path", FieldRule::FilePaths, false),
    ("ethereum_address", FieldRule::EthereumAddress, true),
    ("estimated_participation_amount", FieldRule::Amount, true),
    ("street_address", FieldRule::Text, true),
    ("city", FieldRule::Text, true),
    ("state", FieldRule::Text, true),
    ("postal_code", FieldRule::Text, true),
];

/// The stable code of a [`Problem`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemCode {
    /// `REQUIRED`
    Required,
    /// `EMPTY`
    Empty,
    /// `NOT_A_STRING`
    NotAString,
    /// `NOT_AN_ARRAY`
    NotAnArray,
    /// `INVALID_DATE`
    InvalidDate,
    /// `DATE_NOT_IN_PAST`
    DateNotInPast,
    /// `INVALID_ADDRESS`
    InvalidAddress,
    /// `BAD_CHECKSUM`
    BadChecksum,
    /// `NOT_A_NUMBER`
    NotANumber,
    /// `NOT_POSITIVE`
    NotPositive,
    /// `UNKNOWN_FIELD`
    UnknownField,
}

impl ProblemCode {
    /// The code as JavaScript sees it, e.g. `"INVALID_DATE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::Required => "REQUIRED",
            ProblemCode::Empty => "EMPTY",
            ProblemCode::NotAString => "NOT_A_STRING",
            ProblemCode::NotAnArray => "NOT_AN_ARRAY",
            ProblemCode::InvalidDate => "INVALID_DATE",
            ProblemCode::DateNotInPast => "DATE_NOT_IN_PAST",
            ProblemCode::InvalidAddress => "INVALID_ADDRESS",
            ProblemCode::BadChecksum => "BAD_CHECKSUM",
            ProblemCode::NotANumber => "NOT_A_NUMBER",
            ProblemCode::NotPositive => "NOT_POSITIVE",
            ProblemCode::UnknownField => "UNKNOWN_FIELD",
        }
    }
}

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The field, e.g. `birthdate`, or `investor_proof_files_path[1]` for an array item.
    pub field: String,
    /// The stable code.
    pub code: ProblemCode,
    /// What is wrong and what to do, without the value.
    pub message: String,
}

impl Problem {
    fn new(field: impl Into<String>, code: ProblemCode, message: impl Into<String>) -> Problem {
        Problem {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    /// `{field, code, message}`, as JavaScript receives it.
    pub fn to_value(&self) -> Value {
        Value::Object(vec![
            ("field".into(), Value::string(self.field.clone())),
            ("code".into(), Value::string(self.code.as_str())),
            ("message".into(), Value::string(self.message.clone())),
        ])
    }
}

/// The names of the fields the seed marks mandatory.
pub fn default_required() -> Vec<&'static str> {
    KYC_FIELDS
        .iter()
        .filter(|(_, _, required)| *required)
        .map(|(name, _, _)| *name)
        .collect()
}

/// Checks a KYC submission and returns every problem (an empty list when it is fine).
///
/// `required` replaces the seed's mandatory set (clients choose which fields their users fill in); each name
/// must be a known field. `now` is the current time in Unix seconds, for "in the past". Only a caller mistake
/// (fields not an object, an unknown name in `required`, a bad `now`) is an error.
pub fn validate_kyc_submission(
    fields: &Value,
    required: Option<&[String]>,
    now: i64,
) -> Result<Vec<Problem>, KycError> {
    check_timestamp(now, "now")?;
    let Value::Object(entries) = fields else {
        return Err(KycError::invalid_argument(
            "fields must be an object of KYC fields, such as {first_name: \"Yogesh\", …}",
        ));
    };
    let required: Vec<&str> = match required {
        None => default_required(),
        Some(names) => {
            for name in names {
                if !KYC_FIELDS.iter().any(|(known, _, _)| known == name) {
                    return Err(KycError::invalid_argument(format!(
                        "options.required names \"{name}\", which is not a KYC field; the fields are {}",
                        KYC_FIELDS.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join(", ")
                    )));
                }
            }
            names.iter().map(String::as_str).collect()
        }
    };
    let today = now.div_euclid(86_400);
    let mut problems = Vec::new();
    for (name, rule, _) in KYC_FIELDS {
        let is_required = required.contains(name);
        let value = fields.get(name).filter(|v| !matches!(v, Value::Null));
        check_field(name, *rule, value, is_required, today, &mut problems);
    }
    for (name, _) in entries {
        if !KYC_FIELDS.iter().any(|(known, _, _)| known == name) {
            problems.push(Problem::new(
                name.clone(),
                ProblemCode::UnknownField,
                format!("{name} is not a field of the KYC submission; remove it"),
            ));
        }
    }
    Ok(problems)
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn check_field(
    name: &str,
    rule: FieldRule,
    value: Option<&Value>,
    required: bool,
    today: i64,
    problems: &mut Vec<Problem>,
) {
    let missing = || Problem::new(name, ProblemCode::Required, format!("{name} is required"));
    let Some(value) = value else {
        if required {
            problems.push(missing());
        }
        return;
    };
    if rule == FieldRule::FilePaths {
        let Value::Array(items) = value else {
            problems.push(Problem::new(
                name,
                ProblemCode::NotAnArray,
                format!("{name} must be an array of file paths, even for one file"),
            ));
            return;
        };
        if items.is_empty() && required {
            problems.push(missing());
        }
        for (i, item) in items.iter().enumerate() {
            let field = format!("{name}[{i}]");
            match item {
                Value::String(s) if is_blank(s) => problems.push(Problem::new(
                    field.clone(),
                    ProblemCode::Empty,
                    format!("{field} is empty: pass the key of an uploaded file"),
                )),
                Value::String(_) => {}
                _ => problems.push(Problem::new(
                    field.clone(),
                    ProblemCode::NotAString,
                    format!("{field} must be a file path string"),
                )),
            }
        }
        return;
    }
    if rule == FieldRule::Amount {
        check_amount(name, value, problems);
        return;
    }
    let Value::String(text) = value else {
        problems.push(Problem::new(
            name,
            ProblemCode::NotAString,
            format!("{name} must be a string"),
        ));
        return;
    };
    if is_blank(text) {
        problems.push(if required {
            missing()
        } else {
            Problem::new(
                name,
                ProblemCode::Empty,
                format!("{name} is blank: fill it in or leave it out"),
            )
        });
        return;
    }
    match rule {
        FieldRule::Birthdate => check_birthdate(name, text, today, problems),
        FieldRule::EthereumAddress => {
            if let Some(code) = ethereum_address_problem(text) {
                let message = match code {
                    ProblemCode::BadChecksum => format!(
                        "{name} mixes upper and lower case but its EIP-55 checksum does not match: check it for \
                         a typo"
                    ),
                    _ => format!("{name} must be 0x followed by 40 hexadecimal digits"),
                };
                problems.push(Problem::new(name, code, message));
            }
        }
        _ => {}
    }
}

fn check_amount(name: &str, value: &Value, problems: &mut Vec<Problem>) {
    let class = match value {
        Value::Number(n) if n.is_finite() && *n > 0.0 => Some(Amount::Positive),
        Value::Number(n) if n.is_finite() => Some(Amount::NotPositive),
        Value::String(s) => classify_decimal(s),
        _ => None,
    };
    match class {
        Some(Amount::Positive) => {}
        Some(Amount::NotPositive) => problems.push(Problem::new(
            name,
            ProblemCode::NotPositive,
            format!("{name} must be greater than zero"),
        )),
        None => problems.push(Problem::new(
            name,
            ProblemCode::NotANumber,
            format!("{name} must be a number, such as 1.2"),
        )),
    }
}

/// Where an amount falls once read as an `f64`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Amount {
    /// Finite and greater than zero.
    Positive,
    /// Finite and zero or less (including positive values so small they round to zero).
    NotPositive,
}

/// Significant digits (trailing zeros removed) of 2^-1075, half the smallest subnormal: a positive decimal
/// at or below it reads as `0.0` (ties go to the even neighbour, zero). Its leading digit is at 10^-324.
const UNDERFLOW_DIGITS: &[u8] = b"247032822920623272088284396434110686182529901307162382212792841250337753635104375932649918180817\
    996189898282347722858865463328355177969898199387398005390939063150356595155702263922908583924491\
    051844359318028499365361525003193704576782492193656236698636584807570015857692699037063119282795\
    585513329278343384093519780155312465972635795746227664652728272200563740064854999770965994704540\
    208281662262378573934507363390079677619305775067401763246736009689513405355374585166611342237666\
    786041621596804619144672918403005300575308490487653917113865916462395249126236538818796362393732\
    804238910186723484976682350898633885879256283027559956575244555072551893136908362547791869486679\
    94968324049705821028513185451396213837722826145437693412532098591327667236328125";
const UNDERFLOW_EXP10: i64 = -324;

/// Significant digits of 2^1024 - 2^970, half-way between `f64::MAX` and 2^1024: a decimal at or above it
/// reads as infinity (ties go to the even neighbour, 2^1024). Its leading digit is at 10^308.
const OVERFLOW_DIGITS: &[u8] = b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587\
    207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711\
    531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093\
    042880177904174497792";
const OVERFLOW_EXP10: i64 = 308;

/// Reads a plain decimal number (optional sign, digits with at most one `.`, optional exponent; no spaces,
/// no `Infinity`, no hex) and says whether it would be a finite `f64` greater than zero, a finite one that
/// is not, or (`None`) not a number at all: malformed, or too large for an `f64`. Exactly what
/// `text.parse::<f64>()` followed by `is_finite()` and `> 0.0` says, without linking the float parser
/// (~10 KB of wasm) into the module.
fn classify_decimal(text: &str) -> Option<Amount> {
    let bytes = text.as_bytes();
    let (negative, body) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    };
    let (mantissa, exponent) = match body.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (body.get(..at)?, Some(body.get(at + 1..)?)),
        None => (body, None),
    };
    let digits = mantissa.iter().filter(|b| b.is_ascii_digit()).count();
    let dots = mantissa.iter().filter(|&&b| b == b'.').count();
    if digits == 0 || dots > 1 || digits + dots != mantissa.len() {
        return None;
    }
    // The exponent, saturated far beyond any f64 range (the digit count is bounded by the input length).
    let mut exp10: i64 = 0;
    if let Some(exponent) = exponent {
        let (exp_negative, exp_digits) = match exponent.split_first() {
            Some((b'-', rest)) => (true, rest),
            Some((b'+', rest)) => (false, rest),
            _ => (false, exponent),
        };
        if exp_digits.is_empty() || !exp_digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        for &d in exp_digits {
            exp10 = (exp10 * 10 + i64::from(d - b'0')).min(1 << 40);
        }
        if exp_negative {
            exp10 = -exp10;
        }
    }
    let int_len = mantissa
        .iter()
        .position(|&b| b == b'.')
        .unwrap_or(mantissa.len());
    let all: Vec<u8> = mantissa
        .iter()
        .copied()
        .filter(u8::is_ascii_digit)
        .collect();
    let Some(first) = all.iter().position(|&d| d != b'0') else {
        return Some(Amount::NotPositive); // zero, or minus zero
    };
    let last = all.iter().rposition(|&d| d != b'0').unwrap_or(first);
    let significant = all.get(first..=last)?;
    // Power of ten of the leading significant digit. Both terms are bounded (input length, 2^40).
    let lead10 = exp10 + int_len as i64 - 1 - first as i64;
    // `significant` compared with a threshold's digits, both read as 0.d1d2d3... (missing digits are 0).
    let at_least = |threshold: &[u8]| significant >= threshold;
    let overflows =
        lead10 > OVERFLOW_EXP10 || (lead10 == OVERFLOW_EXP10 && at_least(OVERFLOW_DIGITS));
    if overflows {
        return None;
    }
    if negative {
        return Some(Amount::NotPositive);
    }
    let underflows =
        lead10 < UNDERFLOW_EXP10 || (lead10 == UNDERFLOW_EXP10 && significant <= UNDERFLOW_DIGITS);
    Some(if underflows {
        Amount::NotPositive
    } else {
        Amount::Positive
    })
}

fn check_birthdate(name: &str, text: &str, today: i64, problems: &mut Vec<Problem>) {
    match parse_ddmmyyyy(text) {
        None => problems.push(Problem::new(
            name,
            ProblemCode::InvalidDate,
            format!("{name} must be a real date written dd/mm/yyyy, such as 29/07/1992"),
        )),
        Some(day) if day >= today => problems.push(Problem::new(
            name,
            ProblemCode::DateNotInPast,
            format!("{name} must be in the past"),
        )),
        Some(_) => {}
    }
}

/// `dd/mm/yyyy` as a day number (days since 1970-01-01), when it is a real date of year 1 or later.
pub fn parse_ddmmyyyy(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b.get(2) != Some(&b'/') || b.get(5) != Some(&b'/') {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let (day, month, year) = (number(0..2)?, number(3..5)?, number(6..10)?);
    if year < 1
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month).unwrap_or(0)
    {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// What is wrong with an Ethereum address, if anything: `INVALID_ADDRESS` unless it is `0x` and 40 hex
/// digits; `BAD_CHECKSUM` when it mixes cases and the EIP-55 checksum does not hold. All-lowercase and
/// all-uppercase addresses carry no checksum and pass.
pub fn ethereum_address_problem(address: &str) -> Option<ProblemCode> {
    let Some(hex) = address.strip_prefix("0x") else {
        return Some(ProblemCode::InvalidAddress);
    };
    if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(ProblemCode::InvalidAddress);
    }
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    if has_lower && has_upper && to_checksum_address(hex) != hex {
        return Some(ProblemCode::BadChecksum);
    }
    None
}

/// The EIP-55 form of 40 hex digits (without `0x`): each letter is uppercase when the matching nibble of
/// Keccak-256(lowercase hex, as ASCII) is 8 or more.
pub fn to_checksum_address(hex: &str) -> String {
    let lower = hex.to_ascii_lowercase();
    let hash = Keccak256::digest(lower.as_bytes());
    lower
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let byte = hash.get(i / 2).copied().unwrap_or(0);
            let nibble = if i % 2 == 0 { byte >> 4 } else { byte & 0x0f };
            if nibble >= 8 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ost_api::fixtures::{obj, s, seed_fields};

    // 2024-06-15T12:00:00Z.
    const NOW: i64 = 1_718_452_800;

    fn with(changes: &[(&str, Option<Value>)]) -> Value {
        let mut fields = seed_fields();
        for (name, value) in changes {
            fields.retain(|(k, _)| k != name);
            if let Some(v) = value {
                fields.push((name, v.clone()));
            }
        }
        obj(&fields)
    }

    fn codes(fields: &Value) -> Vec<(String, &'static str)> {
        validate_kyc_submission(fields, None, NOW)
            .unwrap()
            .into_iter()
            .map(|p| (p.field, p.code.as_str()))
            .collect()
    }

    fn one(field: &str, code: &'static str) -> Vec<(String, &'static str)> {
        vec![(field.to_string(), code)]
    }

    #[test]
    fn the_seed_example_passes() {
        assert_eq!(codes(&with(&[])), vec![]);
        // Only the mandatory fields.
        let fields = with(&[
            ("residence_proof_file_path", None),
            ("investor_proof_files_path", None),
        ]);
        assert_eq!(codes(&fields), vec![]);
    }

    #[test]
    fn every_problem_is_reported_at_once_in_table_order() {
        let fields = obj(&[
            ("nickname", s("yo")),
            ("birthdate", s("31/02/1990")),
            ("ethereum_address", s("0x123")),
            ("estimated_participation_amount", Value::Number(0.0)),
            ("investor_proof_files_path", s("10/i/x")),
        ]);
        let got = codes(&fields);
        let want: Vec<(String, &str)> = [
            ("first_name", "REQUIRED"),
            ("last_name", "REQUIRED"),
            ("birthdate", "INVALID_DATE"),
            ("country", "REQUIRED"),
            ("nationality", "REQUIRED"),
            ("document_id_number", "REQUIRED"),
            ("document_id_file_path", "REQUIRED"),
            ("selfie_file_path", "REQUIRED"),
            ("investor_proof_files_path", "NOT_AN_ARRAY"),
            ("ethereum_address", "INVALID_ADDRESS"),
            ("estimated_participation_amount", "NOT_POSITIVE"),
            ("street_address", "REQUIRED"),
            ("city", "REQUIRED"),
            ("state", "REQUIRED"),
            ("postal_code", "REQUIRED"),
            ("nickname", "UNKNOWN_FIELD"),
        ]
        .iter()
        .map(|(f, c)| (f.to_string(), *c))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn required_can_be_narrowed_or_chosen() {
        let only = vec![
            "first_name".to_string(),
            "residence_proof_file_path".to_string(),
        ];
        let problems =
            validate_kyc_submission(&obj(&[("first_name", s("A"))]), Some(&only), NOW).unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "residence_proof_file_path");
        assert_eq!(problems[0].code, ProblemCode::Required);
        // Nothing required: an empty submission is fine, but rules still apply to what is there.
        assert!(validate_kyc_submission(&obj(&[]), Some(&[]), NOW)
            .unwrap()
            .is_empty());
        let problems =
            validate_kyc_submission(&obj(&[("birthdate", s("1992-07-29"))]), Some(&[]), NOW)
                .unwrap();
        assert_eq!(problems[0].code, ProblemCode::InvalidDate);
        // A name that is not a field is the caller's mistake.
        let e = validate_kyc_submission(&obj(&[]), Some(&["email".to_string()]), NOW).unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT");
        assert!(e.to_string().contains("email"));
        assert_eq!(
            validate_kyc_submission(&s("x"), None, NOW)
                .unwrap_err()
                .code(),
            "INVALID_ARGUMENT"
        );
        assert!(validate_kyc_submission(&obj(&[]), None, NOW * 1000).is_err());
        assert_eq!(default_required().len(), 14);
    }

    #[test]
    fn missing_null_blank_and_wrong_types() {
        assert_eq!(codes(&with(&[("city", None)])), one("city", "REQUIRED"));
        assert_eq!(
            codes(&with(&[("city", Some(Value::Null))])),
            one("city", "REQUIRED")
        );
        assert_eq!(
            codes(&with(&[("city", Some(s("  ")))])),
            one("city", "REQUIRED")
        );
        assert_eq!(
            codes(&with(&[("city", Some(Value::Number(5.0)))])),
            one("city", "NOT_A_STRING")
        );
        assert_eq!(
            codes(&with(&[("postal_code", Some(Value::Bool(true)))])),
            one("postal_code", "NOT_A_STRING")
        );
        // Optional fields: blank is EMPTY (leave it out instead), null is absent.
        assert_eq!(
            codes(&with(&[("residence_proof_file_path", Some(s("")))])),
            one("residence_proof_file_path", "EMPTY")
        );
        assert_eq!(
            codes(&with(&[("residence_proof_file_path", Some(Value::Null))])),
            vec![]
        );
        // Required file paths.
        assert_eq!(
            codes(&with(&[("selfie_file_path", Some(s("")))])),
            one("selfie_file_path", "REQUIRED")
        );
        assert_eq!(
            codes(&with(&[(
                "document_id_file_path",
                Some(Value::Array(vec![]))
            )])),
            one("document_id_file_path", "NOT_A_STRING")
        );
    }

    #[test]
    fn investor_proof_files_path_is_an_array_of_paths() {
        let arr = |items: Vec<Value>| Some(Value::Array(items));
        assert_eq!(
            codes(&with(&[("investor_proof_files_path", arr(vec![]))])),
            vec![]
        );
        assert_eq!(
            codes(&with(&[("investor_proof_files_path", Some(s("10/i/a")))])),
            one("investor_proof_files_path", "NOT_AN_ARRAY")
        );
        assert_eq!(
            codes(&with(&[(
                "investor_proof_files_path",
                arr(vec![s("a"), s(""), Value::Number(1.0)])
            )])),
            vec![
                ("investor_proof_files_path[1]".to_string(), "EMPTY"),
                ("investor_proof_files_path[2]".to_string(), "NOT_A_STRING"),
            ]
        );
        let required = vec!["investor_proof_files_path".to_string()];
        let problems = validate_kyc_submission(
            &obj(&[("investor_proof_files_path", Value::Array(vec![]))]),
            Some(&required),
            NOW,
        )
        .unwrap();
        assert_eq!(problems[0].code, ProblemCode::Required);
    }

    #[test]
    fn birthdate_is_a_real_past_date() {
        for ok in [
            "29/02/2000",
            "29/02/1996",
            "31/12/1999",
            "01/01/0001",
            "14/06/2024",
            "31/01/2024",
        ] {
            assert_eq!(codes(&with(&[("birthdate", Some(s(ok)))])), vec![], "{ok}");
        }
        for bad in [
            "29/02/1900",
            "29/02/2023",
            "31/04/1990",
            "00/01/1990",
            "01/00/1990",
            "01/13/1990",
            "32/01/1990",
            "1/1/1990",
            "1992-07-29",
            "29/07/92",
            "29-07-1992",
            "29/07/1992 ",
            "aa/bb/cccc",
            "01/01/0000",
            "+1/01/1990",
            "２９/07/1992",
        ] {
            assert_eq!(
                codes(&with(&[("birthdate", Some(s(bad)))])),
                one("birthdate", "INVALID_DATE"),
                "{bad}"
            );
        }
        // NOW is 2024-06-15 (UTC): today and later are not in the past.
        for future in ["15/06/2024", "16/06/2024", "01/01/2100"] {
            assert_eq!(
                codes(&with(&[("birthdate", Some(s(future)))])),
                one("birthdate", "DATE_NOT_IN_PAST"),
                "{future}"
            );
        }
        assert_eq!(parse_ddmmyyyy("01/01/1970"), Some(0));
        assert_eq!(parse_ddmmyyyy("15/06/2024"), Some(NOW / 86_400));
        assert_eq!(parse_ddmmyyyy("31/12/1969"), Some(-1));
    }

    // EIP-55 test vectors, from the EIP itself: https://eips.ethereum.org/EIPS/eip-55 ("Test Cases").
    const EIP55_VECTORS: &[&str] = &[
        // All caps
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        // All lower
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        // Normal
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];

    #[test]
    fn eip55_known_answers() {
        for address in EIP55_VECTORS {
            assert_eq!(ethereum_address_problem(address), None, "{address}");
            let hex = address.strip_prefix("0x").unwrap();
            if hex.bytes().any(|b| b.is_ascii_lowercase())
                && hex.bytes().any(|b| b.is_ascii_uppercase())
            {
                assert_eq!(
                    to_checksum_address(&hex.to_ascii_lowercase()),
                    hex,
                    "{address}"
                );
                assert_eq!(
                    to_checksum_address(&hex.to_ascii_uppercase()),
                    hex,
                    "{address}"
                );
            }
        }
        // One letter's case flipped breaks the checksum.
        for address in &EIP55_VECTORS[4..] {
            let pos = address
                .char_indices()
                .skip(2)
                .find(|(_, c)| c.is_ascii_alphabetic())
                .unwrap()
                .0;
            let mut flipped = address.to_string();
            let c = address.as_bytes()[pos] as char;
            let swapped = if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            };
            flipped.replace_range(pos..=pos, &swapped.to_string());
            assert_eq!(
                ethereum_address_problem(&flipped),
                Some(ProblemCode::BadChecksum),
                "{flipped}"
            );
            assert_eq!(
                codes(&with(&[("ethereum_address", Some(s(&flipped)))])),
                one("ethereum_address", "BAD_CHECKSUM")
            );
        }
        // The seed's own addresses: lowercase ones pass; the detail example's mixed-case one is checked too.
        assert_eq!(
            ethereum_address_problem("0x81b7e08f65bdf5648606c89998a9cc8164397647"),
            None
        );
        // (Its checksum was also checked independently with @noble/hashes' keccak_256.)
        assert_eq!(
            ethereum_address_problem("0xEC305b4c269dEd899b6fBA12776fbbDBdC564793"),
            None
        );
        for bad in [
            "",
            "0x",
            "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",
            " 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAé",
        ] {
            assert_eq!(
                ethereum_address_problem(bad),
                Some(ProblemCode::InvalidAddress),
                "{bad:?}"
            );
        }
        assert_eq!(
            codes(&with(&[("ethereum_address", Some(Value::Number(1.0)))])),
            one("ethereum_address", "NOT_A_STRING")
        );
    }

    #[test]
    fn estimated_participation_amount_is_positive() {
        for ok in [
            Value::Number(1.1),
            Value::Number(1e-9),
            s("1.2"),
            s("10"),
            s(".5"),
            s("5."),
            s("+3"),
            s("1e3"),
            s("2E-2"),
        ] {
            assert_eq!(
                codes(&with(&[(
                    "estimated_participation_amount",
                    Some(ok.clone())
                )])),
                vec![],
                "{ok:?}"
            );
        }
        for zero in [
            Value::Number(0.0),
            Value::Number(-0.0),
            Value::Number(-1.5),
            s("0"),
            s("-2"),
            s("0.000"),
            s("-0"),
        ] {
            assert_eq!(
                codes(&with(&[(
                    "estimated_participation_amount",
                    Some(zero.clone())
                )])),
                one("estimated_participation_amount", "NOT_POSITIVE"),
                "{zero:?}"
            );
        }
        for nan in [
            Value::Number(f64::NAN),
            Value::Number(f64::INFINITY),
            s("abc"),
            s("1,5"),
            s(" 1"),
            s("1.2.3"),
            s("Infinity"),
            s("NaN"),
            s("0x10"),
            s("."),
            s("1e"),
            s("1e+"),
            s("1e400"),
            s(""),
            Value::Bool(true),
            Value::Array(vec![]),
        ] {
            assert_eq!(
                codes(&with(&[(
                    "estimated_participation_amount",
                    Some(nan.clone())
                )])),
                one("estimated_participation_amount", "NOT_A_NUMBER"),
                "{nan:?}"
            );
        }
    }

    /// The reference `classify_decimal` replaces: the syntax check, then `str::parse::<f64>`.
    fn reference(text: &str) -> Option<Amount> {
        let bytes = text.as_bytes();
        let body = bytes
            .strip_prefix(b"-")
            .or_else(|| bytes.strip_prefix(b"+"))
            .unwrap_or(bytes);
        let (mantissa, exponent) = match body.iter().position(|&b| b == b'e' || b == b'E') {
            Some(at) => (&body[..at], Some(&body[at + 1..])),
            None => (body, None),
        };
        let digits = mantissa.iter().filter(|b| b.is_ascii_digit()).count();
        let dots = mantissa.iter().filter(|&&b| b == b'.').count();
        if digits == 0 || dots > 1 || digits + dots != mantissa.len() {
            return None;
        }
        if let Some(exponent) = exponent {
            let exponent = exponent
                .strip_prefix(b"-")
                .or_else(|| exponent.strip_prefix(b"+"))
                .unwrap_or(exponent);
            if exponent.is_empty() || !exponent.iter().all(u8::is_ascii_digit) {
                return None;
            }
        }
        match text.parse::<f64>().ok()? {
            n if n.is_finite() && n > 0.0 => Some(Amount::Positive),
            n if n.is_finite() => Some(Amount::NotPositive),
            _ => None,
        }
    }

    #[test]
    fn classify_decimal_matches_the_float_parser() {
        let lo = std::str::from_utf8(UNDERFLOW_DIGITS).unwrap();
        let hi = std::str::from_utf8(OVERFLOW_DIGITS).unwrap();
        let (lo_head, lo_tail) = lo.split_at(1);
        let (hi_head, hi_tail) = hi.split_at(1);
        let mut cases: Vec<String> = vec![];
        // Around the two thresholds: exactly on them, one unit in the last place either side, truncated.
        for (head, tail, exp) in [(lo_head, lo_tail, -324), (hi_head, hi_tail, 308)] {
            let exact = format!("{head}.{tail}");
            let less = format!("{head}.{}", &tail[..tail.len() - 1])
                + &((tail.as_bytes()[tail.len() - 1] - b'1') as char).to_string();
            for m in [
                exact.clone(),
                format!("{exact}0000"),
                format!("{exact}0001"),
                less,
                format!("{head}.{}", &tail[..20]),
                format!("{head}.{}9", &tail[..20]),
                format!("{head}.{}", &tail[..tail.len() - 1]),
                head.to_string(),
                "9.99".into(),
                "1".into(),
            ] {
                for e in [exp - 1, exp, exp + 1] {
                    cases.push(format!("{m}e{e}"));
                    cases.push(format!("-{m}e{e}"));
                    // The same value written with the point elsewhere.
                    let digits: String = m.chars().filter(|c| *c != '.').collect();
                    cases.push(format!("0.{digits}e{}", e + 1));
                    cases.push(format!("{digits}e{}", e - (digits.len() as i64 - 1)));
                    cases.push(format!("000{digits}.000e{}", e - (digits.len() as i64 - 1)));
                }
            }
        }
        for text in [
            "0",
            "-0",
            "+0",
            "0.0",
            ".0",
            "0.",
            "00.00e5",
            "1",
            "1.",
            ".1",
            "1.e5",
            "1e0",
            "1e-0",
            "1e+0",
            "5e-324",
            "4e-324",
            "2e-324",
            "3e-324",
            "2.4703282292062328e-324",
            "1.8e308",
            "1.7e308",
            "-1.8e308",
            "1e308",
            "1e309",
            "1e-400",
            "-1e-400",
            "1e99999999999999999999999",
            "1e-99999999999999999999999",
            "0e99999999999999999999999",
            "123456789012345678901234567890",
            "0.000000000000000000000000000000000000001",
            "+.5",
            "-.5",
            "1E3",
            "2E-2",
            "1.5e+10",
        ] {
            cases.push(text.to_string());
        }
        // Malformed ones must agree too.
        for text in [
            "", ".", "-", "+", "e5", "1e", "1e+", "1e-", "--1", "+-1", "1..2", "1.2.3", "1e1.5",
            "1e--1", " 1", "1 ", "inf", "NaN", "0x1", "1_0",
        ] {
            cases.push(text.to_string());
        }
        // Leading zeros and long digit strings in the ordinary range.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = format!("{}{}", x % 1000, x);
            let point = (x % 23) as usize % (digits.len() + 1);
            let exp = (x % 700) as i64 - 350;
            let sign = ["", "-", "+"][(x % 3) as usize];
            cases.push(format!(
                "{sign}{}.{}e{exp}",
                &digits[..point],
                &digits[point..]
            ));
        }
        for text in &cases {
            assert_eq!(classify_decimal(text), reference(text), "{text}");
        }
    }

    #[test]
    fn messages_never_repeat_the_value() {
        let secret_looking = "SENSITIVE-ID-1234";
        let fields = obj(&[
            ("birthdate", s(secret_looking)),
            ("ethereum_address", s(secret_looking)),
            ("estimated_participation_amount", s(secret_looking)),
            ("city", Value::Number(1.0)),
        ]);
        for p in validate_kyc_submission(&fields, None, NOW).unwrap() {
            assert!(!p.message.contains(secret_looking), "{}", p.message);
            assert!(
                p.message.contains(p.field.split('[').next().unwrap()),
                "{}",
                p.message
            );
        }
        let p = Problem::new("city", ProblemCode::Required, "city is required");
        assert_eq!(
            p.to_value(),
            obj(&[
                ("field", s("city")),
                ("code", s("REQUIRED")),
                ("message", s("city is required"))
            ])
        );
    }
}
