//! The Token of Trust verifyPerson request (seed step 3): the body for `POST https://{host}/api/person`,
//! validated field by field against the seed's tables, and the seed's `appUserid` derivation.
//!
//! Server-side only: the body carries `totSecretKey`.

use sha3::{Digest, Sha3_256};

use crate::calendar::days_in_month;
use crate::codec::to_hex;
use crate::error::KycError;
use crate::value::Value;

/// Fields a caller may ask the user to share (`appDataConsentRequested`), from the seed's lists.
pub const CONSENT_FIELDS: &[&str] = &[
    "govtId.givenName",
    "govtId.familyName",
    "govtId.dateOfBirth",
    "govtId.expirationTimestamp",
    "govtId.countryCode",
    "govtId.documentType",
    "tot.givenName",
    "tot.familyName",
    "tot.location",
    "tot.location.line1",
    "tot.location.line2",
    "tot.location.locality",
    "tot.location.region",
    "tot.location.countryCode",
    "tot.location.postalCode",
    "tot.shippingLocation",
    "tot.shippingLocation.line1",
    "tot.shippingLocation.line2",
    "tot.shippingLocation.locality",
    "tot.shippingLocation.region",
    "tot.shippingLocation.countryCode",
    "tot.shippingLocation.postalCode",
    "tot.billingLocation",
    "tot.billingLocation.line1",
    "tot.billingLocation.line2",
    "tot.billingLocation.locality",
    "tot.billingLocation.region",
    "tot.billingLocation.countryCode",
    "tot.billingLocation.postalCode",
    "tot.dateOfBirth",
];

const LOCATION_KEYS: &[&str] = &[
    "line1",
    "line2",
    "locality",
    "region",
    "regionCode",
    "countryName",
    "countryCode",
    "postalCode",
];

fn bad(path: &str, what: &str) -> KycError {
    KycError::invalid_argument(format!("{path} {what}"))
}

fn string(v: &Value, path: &str) -> Result<(), KycError> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Ok(()),
        Value::String(_) => Err(bad(path, "must not be empty")),
        other => Err(bad(
            path,
            &format!("must be a string, got {}", other.kind_name()),
        )),
    }
}

fn boolean(v: &Value, path: &str) -> Result<(), KycError> {
    match v {
        Value::Bool(_) => Ok(()),
        other => Err(bad(
            path,
            &format!("must be a boolean, got {}", other.kind_name()),
        )),
    }
}

/// An object whose keys are all in `allowed` and whose values are all non-empty strings.
fn string_object(v: &Value, path: &str, allowed: &[&str]) -> Result<(), KycError> {
    let Value::Object(entries) = v else {
        return Err(bad(
            path,
            &format!("must be a string or an object, got {}", v.kind_name()),
        ));
    };
    for (key, item) in entries {
        if !allowed.contains(&key.as_str()) {
            return Err(bad(
                &format!("{path}.{key}"),
                &format!(
                    "is not a known field (expected one of {})",
                    allowed.join(", ")
                ),
            ));
        }
        string(item, &format!("{path}.{key}"))?;
    }
    Ok(())
}

fn string_or_object(v: &Value, path: &str, allowed: &[&str]) -> Result<(), KycError> {
    match v {
        Value::String(_) => string(v, path),
        _ => string_object(v, path, allowed),
    }
}

fn date_of_birth(v: &Value, path: &str) -> Result<(), KycError> {
    let Value::Object(entries) = v else {
        return string(v, path).map_err(|_| bad(path, "must be a string or {day, month, year}"));
    };
    let mut parts = [None; 3];
    for (key, item) in entries {
        let slot = match key.as_str() {
            "day" => 0,
            "month" => 1,
            "year" => 2,
            _ => {
                return Err(bad(
                    &format!("{path}.{key}"),
                    "is not a known field (expected day, month, year)",
                ))
            }
        };
        match item {
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e6 => {
                if let Some(p) = parts.get_mut(slot) {
                    *p = Some(*n as i64);
                }
            }
            other => {
                return Err(bad(
                    &format!("{path}.{key}"),
                    &format!("must be a whole number, got {}", other.kind_name()),
                ))
            }
        }
    }
    let [Some(day), Some(month), Some(year)] = parts else {
        return Err(bad(path, "must have day, month and year"));
    };
    if !(1000..=9999).contains(&year) {
        return Err(bad(&format!("{path}.year"), "must be a four-digit year"));
    }
    let Some(days) = days_in_month(year, month) else {
        return Err(bad(&format!("{path}.month"), "must be from 1 to 12"));
    };
    if !(1..=days).contains(&day) {
        return Err(bad(
            &format!("{path}.day"),
            &format!("must be from 1 to {days} for {year}-{month:02}"),
        ));
    }
    Ok(())
}

fn email(v: &Value, path: &str) -> Result<(), KycError> {
    string(v, path)?;
    let text = v.as_str().unwrap_or_default();
    match text.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !text.contains(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(bad(path, "must be an email address")),
    }
}

fn person(v: &Value, path: &str) -> Result<(), KycError> {
    let Value::Object(entries) = v else {
        return Err(bad(
            path,
            &format!("must be an object, got {}", v.kind_name()),
        ));
    };
    for (key, item) in entries {
        let p = format!("{path}.{key}");
        match key.as_str() {
            "dateOfBirth" => date_of_birth(item, &p)?,
            "location" | "shippingLocation" | "billingLocation" => {
                string_or_object(item, &p, LOCATION_KEYS)?
            }
            "givenName" => string_or_object(item, &p, &["current", "previous"])?,
            "familyName" => {
                string_or_object(item, &p, &["current", "previous", "maternal", "paternal"])?
            }
            // `primaryEmail` and `orderNumber` appear in the seed's own examples.
            "email" | "primaryEmail" => email(item, &p)?,
            "middleName" | "fullName" | "phoneNumber" | "orderNumber" => string(item, &p)?,
            _ => return Err(bad(&p, "is not a known person field")),
        }
    }
    Ok(())
}

/// Validates `input` and returns the JSON body for `POST https://{host}/api/person`.
///
/// Required: `appDomain`, `totApiKey`, `totSecretKey`, `appUserid`, `person`. Optional: `appTransactionId`,
/// `traceId`, `guest`, `reservation`, `appReservationToken`, `appDataConsentRequested` (and
/// `browserFingerprint`, from the seed's example). Unknown keys and wrong types are `INVALID_ARGUMENT`
/// naming the field path.
pub fn build_verify_person_body(input: &Value) -> Result<Value, KycError> {
    let Value::Object(entries) = input else {
        return Err(bad(
            "input",
            &format!("must be an object, got {}", input.kind_name()),
        ));
    };
    for required in [
        "appDomain",
        "totApiKey",
        "totSecretKey",
        "appUserid",
        "person",
    ] {
        if input.get(required).is_none() {
            return Err(bad(required, "is required"));
        }
    }
    for (key, item) in entries {
        match key.as_str() {
            "appDomain"
            | "totApiKey"
            | "totSecretKey"
            | "appUserid"
            | "appTransactionId"
            | "traceId"
            | "appReservationToken"
            | "browserFingerprint" => string(item, key)?,
            "guest" | "reservation" => boolean(item, key)?,
            "person" => person(item, "person")?,
            "appDataConsentRequested" => {
                let Value::Array(fields) = item else {
                    return Err(bad(
                        key,
                        &format!("must be an array of field names, got {}", item.kind_name()),
                    ));
                };
                for (i, field) in fields.iter().enumerate() {
                    let p = format!("appDataConsentRequested[{i}]");
                    match field {
                        Value::String(f) if CONSENT_FIELDS.contains(&f.as_str()) => {}
                        Value::String(f) => {
                            return Err(bad(
                                &p,
                                &format!(
                                "names an unsupported field {} (expected govtId.* or tot.* fields)",
                                crate::error::quoted(f)
                            ),
                            ))
                        }
                        other => {
                            return Err(bad(
                                &p,
                                &format!("must be a string, got {}", other.kind_name()),
                            ))
                        }
                    }
                }
            }
            _ => return Err(bad(key, "is not a known verifyPerson field")),
        }
    }
    Ok(Value::Object(entries.clone()))
}

/// The seed's `appUserid`: lowercase hex SHA3-256 of `lowercase(email) + "-" + appId`.
pub fn app_user_id_from_email(email: &str, app_id: &str) -> Result<String, KycError> {
    app_user_id_from_lowercase_email(&email.to_lowercase(), app_id)
}

/// [`app_user_id_from_email`] for an email already lowercased (the wasm binding uses JavaScript's own
/// `toLowerCase`, which is both exact for JavaScript callers and keeps Unicode tables out of the wasm).
pub fn app_user_id_from_lowercase_email(email: &str, app_id: &str) -> Result<String, KycError> {
    if email.trim().is_empty() {
        return Err(KycError::invalid_argument("email must not be empty"));
    }
    if app_id.is_empty() {
        return Err(KycError::invalid_argument("appId must not be empty"));
    }
    let mut hasher = Sha3_256::new();
    hasher.update(email.as_bytes());
    hasher.update(b"-");
    hasher.update(app_id.as_bytes());
    Ok(to_hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    fn input(person: &str, extra: &str) -> Value {
        j(&format!(
            r#"{{"appDomain":"example.com","totApiKey":"k","totSecretKey":"s","appUserid":"u1","person":{person}{extra}}}"#
        ))
    }

    fn err(v: &Value) -> String {
        let e = build_verify_person_body(v).unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT");
        e.to_string()
    }

    #[test]
    fn accepts_every_documented_field() {
        let v = input(
            r#"{"givenName":{"current":"Ann","previous":"Anne"},"familyName":{"current":"Lee","maternal":"Kim","paternal":"Lee"},
               "middleName":"B","fullName":"Ann B Lee","email":"ann@example.com","phoneNumber":"+1 555 0100",
               "dateOfBirth":{"day":29,"month":2,"year":2000},"location":{"line1":"1 Main St","locality":"Springfield","regionCode":"IL","countryCode":"US","postalCode":"62701"},
               "shippingLocation":"1 Main St, Springfield","billingLocation":{"countryName":"United States","region":"Illinois"},"primaryEmail":"ann@example.com"}"#,
            r#","appTransactionId":"t1","traceId":"c1","guest":true,"reservation":false,"appReservationToken":"r","appDataConsentRequested":["govtId.givenName","tot.location.postalCode"]"#,
        );
        assert_eq!(build_verify_person_body(&v).unwrap(), v);
        assert!(build_verify_person_body(&input(r#"{"dateOfBirth":"2000-01-01"}"#, "")).is_ok());
    }

    #[test]
    fn rejects_with_the_field_path() {
        assert!(err(&input(
            r#"{"dateOfBirth":{"day":29,"month":2,"year":2001}}"#,
            ""
        ))
        .contains("person.dateOfBirth.day"));
        assert!(err(&input(
            r#"{"dateOfBirth":{"day":1,"month":13,"year":2001}}"#,
            ""
        ))
        .contains("person.dateOfBirth.month"));
        assert!(
            err(&input(r#"{"location":{"street":"x"}}"#, "")).contains("person.location.street")
        );
        assert!(
            err(&input(r#"{"givenName":{"current":3}}"#, "")).contains("person.givenName.current")
        );
        assert!(
            err(&input(r#"{"familyName":{"nick":"x"}}"#, "")).contains("person.familyName.nick")
        );
        assert!(err(&input(r#"{"nickname":"x"}"#, "")).contains("person.nickname"));
        assert!(err(&input("{}", r#","guest":"yes""#)).contains("guest"));
        assert!(
            err(&input("{}", r#","appDataConsentRequested":["govtId.ssn"]"#))
                .contains("appDataConsentRequested[0]")
        );
        assert!(err(&input("{}", r#","extra":1"#)).contains("extra"));
        assert!(err(&j(r#"{"appDomain":"x"}"#)).contains("is required"));
        assert!(err(&input(r#"{"email":"not-an-email"}"#, "")).contains("person.email"));
    }

    #[test]
    fn secret_never_in_errors() {
        let v = j(
            r#"{"appDomain":"x","totApiKey":"k","totSecretKey":"TOPSECRET","appUserid":"u","person":{"x":1}}"#,
        );
        assert!(!err(&v).contains("TOPSECRET"));
    }

    #[test]
    fn app_user_id_is_sha3_of_lowercase_email_and_app_id() {
        // Known answers from node:crypto: createHash("sha3-256").update(email.toLowerCase() + "-" + appId).
        let id = app_user_id_from_email("Ann@Example.COM", "app-1").unwrap();
        assert_eq!(
            id,
            "a77b914e6b710b6eb5adeaf137ce1b271b703ebff38a8726f816daf093ba0bbf"
        );
        let unicode = app_user_id_from_email("ǅ@ß.COM", "42").unwrap();
        assert_eq!(
            unicode,
            "282862abf469dec266ef0a42b59ce7b58e2f27b32cb7d26c2bcafe74522038ab"
        );
        assert_eq!(
            app_user_id_from_email("", "x").unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
    }
}
