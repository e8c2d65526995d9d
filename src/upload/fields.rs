//! The KYC submission fields of uploaded files ([`kyc_file_paths`]).

use crate::error::KycError;
use crate::value::Value;

/// The order of the single-file KYC fields, by file key.
const SINGLE_FILE_FIELDS: &[(&str, &str)] = &[
    ("document_id", "document_id_file_path"),
    ("selfie", "selfie_file_path"),
    ("residence_proof", "residence_proof_file_path"),
];
const INVESTOR_PROOF_PREFIX: &str = "investor_proof_file";
const INVESTOR_PROOF_FIELD: &str = "investor_proof_files_path";

/// Compares strings with digit runs as numbers, so `file2` sorts before `file10`.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (n, m) = (run(x), run(y));
                let (dx, rx) = x.split_at(n);
                let (dy, ry) = y.split_at(m);
                let strip = |d: &[u8]| -> usize { d.iter().take_while(|&&c| c == b'0').count() };
                let (sx, sy) = (
                    dx.get(strip(dx)..).unwrap_or(&[]),
                    dy.get(strip(dy)..).unwrap_or(&[]),
                );
                let order = sx.len().cmp(&sy.len()).then_with(|| sx.cmp(sy));
                if order != Ordering::Equal {
                    return order;
                }
                x = rx;
                y = ry;
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = x.get(1..).unwrap_or(&[]);
                y = y.get(1..).unwrap_or(&[]);
            }
        }
    }
}

/// Stable insertion sort; `after(a, b)`: whether `a` goes after `b`.
fn insertion_sort<T>(items: &mut [T], after: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 {
            let ordered = match (items.get(j - 1), items.get(j)) {
                (Some(a), Some(b)) => !after(a, b),
                _ => true,
            };
            if ordered {
                break;
            }
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Maps uploaded targets, as `(file key, S3 object key)` pairs, to the KYC submission fields:
/// `document_id_file_path`, `selfie_file_path`, `residence_proof_file_path`, and every
/// `investor_proof_file*` key into `investor_proof_files_path` in natural key order. Fields without a file
/// are left out. A file key with no KYC field, or one given twice, is `INVALID_ARGUMENT`.
pub fn kyc_file_paths(uploaded: &[(String, String)]) -> Result<Value, KycError> {
    let mut singles: Vec<(usize, String)> = Vec::new();
    let mut investor: Vec<(&str, String)> = Vec::new();
    for (i, (key, path)) in uploaded.iter().enumerate() {
        if uploaded.iter().take(i).any(|(k, _)| k == key) {
            return Err(KycError::invalid_argument(format!(
                "uploaded has the file key {key} twice: each KYC field takes one file"
            )));
        }
        if path.is_empty() {
            return Err(KycError::invalid_argument(format!(
                "uploaded {key} has an empty fields.key (file path)"
            )));
        }
        if let Some(slot) = SINGLE_FILE_FIELDS.iter().position(|(k, _)| k == key) {
            singles.push((slot, path.clone()));
        } else if key.starts_with(INVESTOR_PROOF_PREFIX) {
            investor.push((key.as_str(), path.clone()));
        } else {
            return Err(KycError::invalid_argument(format!(
                "uploaded {key} maps to no KYC field: file keys are document_id, selfie, residence_proof and \
                 investor_proof_file1, investor_proof_file2, …"
            )));
        }
    }
    // A handful of items: insertion sorts keep the generic slice sorts out of the wasm.
    insertion_sort(&mut singles, |a, b| a.0 > b.0);
    insertion_sort(&mut investor, |a, b| natural_cmp(a.0, b.0).is_gt());
    let mut out: Vec<(String, Value)> = singles
        .into_iter()
        .filter_map(|(slot, path)| {
            SINGLE_FILE_FIELDS
                .get(slot)
                .map(|(_, field)| ((*field).to_owned(), Value::String(path)))
        })
        .collect();
    if !investor.is_empty() {
        out.push((
            INVESTOR_PROOF_FIELD.into(),
            Value::Array(
                investor
                    .into_iter()
                    .map(|(_, p)| Value::String(p))
                    .collect(),
            ),
        ));
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::fixtures::*;

    #[test]
    fn file_paths_map_to_submission_fields_in_natural_order() {
        let uploaded = files(&[
            ("investor_proof_file10", "p10"),
            ("selfie", "s"),
            ("investor_proof_file2", "p2"),
            ("document_id", "d"),
            ("investor_proof_file1", "p1"),
            ("residence_proof", "r"),
        ]);
        let out = kyc_file_paths(&uploaded).unwrap();
        assert_eq!(
            out,
            json(
                r#"{"document_id_file_path": "d", "selfie_file_path": "s", "residence_proof_file_path": "r",
                    "investor_proof_files_path": ["p1", "p2", "p10"]}"#
            )
        );
        assert_eq!(
            kyc_file_paths(&files(&[("selfie", "s")])).unwrap(),
            json(r#"{"selfie_file_path": "s"}"#)
        );
        assert_eq!(kyc_file_paths(&[]).unwrap(), json("{}"));
        for bad in [
            files(&[("passport", "x")]),
            files(&[("selfie", "a"), ("selfie", "b")]),
            files(&[("selfie", "")]),
        ] {
            assert_eq!(kyc_file_paths(&bad).unwrap_err().code(), "INVALID_ARGUMENT");
        }
    }

    #[test]
    fn natural_order() {
        use std::cmp::Ordering::*;
        assert_eq!(natural_cmp("file2", "file10"), Less);
        assert_eq!(natural_cmp("file10", "file9"), Greater);
        assert_eq!(natural_cmp("file02", "file2"), Less, "ties broken bytewise");
        assert_eq!(natural_cmp("file", "file1"), Less);
        assert_eq!(natural_cmp("file1a", "file1b"), Less);
        assert_eq!(natural_cmp("a", "a"), Equal);
    }
}
