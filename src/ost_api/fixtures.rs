//! Test fixtures shared by the OST API modules' tests.

use crate::value::Value;

/// An object of `entries`, in order.
pub(crate) fn obj(entries: &[(&str, Value)]) -> Value {
    Value::Object(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

/// A string value.
pub(crate) fn s(text: &str) -> Value {
    Value::string(text)
}

/// The seed's own submit_kyc example (with a checksummed address of the EIP-55 spec).
pub(crate) fn seed_fields() -> Vec<(&'static str, Value)> {
    vec![
        ("first_name", s("YOGESH")),
        ("last_name", s("SAWANT")),
        ("birthdate", s("29/07/1992")),
        ("country", s("INDIA")),
        ("nationality", s("INDIAN")),
        ("document_id_number", s("DMDPS9634C")),
        (
            "document_id_file_path",
            s("10/i/4ae058629d4b384edcda8decdfbf0dd1"),
        ),
        (
            "selfie_file_path",
            s("10/i/4ae058629d4b384edcda8decdfbf0dd2"),
        ),
        (
            "ethereum_address",
            s("0x04d39e0b112c20917868ffd5c42372ecc5df577b"),
        ),
        ("estimated_participation_amount", s("1.2")),
        (
            "residence_proof_file_path",
            s("10/i/4ae058629d4b384edcda8decdfbf0dd3"),
        ),
        (
            "investor_proof_files_path",
            Value::Array(vec![
                s("10/i/4ae058629d4b384edcda8decdfbf0da1"),
                s("10/i/4ae058629d4b384edcda8decdfbf0da2"),
            ]),
        ),
        ("city", s("pune")),
        ("street_address", s("hadapsar")),
        ("postal_code", s("411028")),
        ("state", s("maharashtra")),
    ]
}
