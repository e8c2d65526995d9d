//! Test fixtures shared by the upload modules' tests: the seed's responses, files and targets.

use super::*;
use crate::value::Value;

pub(crate) fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

pub(crate) fn files(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect()
}

pub(crate) const NOW: i64 = 1_769_159_645; // 2026-01-23T09:14:05Z

/// The seed's `file_upload_put` example (its `"success": "true"` is a string there).
pub(crate) const SEED_PUT: &str = r#"{
    "success": "true",
    "data": {
        "result_type": "file_upload_put",
        "file_upload_put": {
            "document_id": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/i/anm15395b85581eab3068cb43ftc0rt1?X-Amz-Algorithm=AWS4..", "fields": {"key": "3/i/anm15395b85581eab3068cb43ftc0rt1"}},
            "selfie": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/i/b3vvte895rt5581eab3068cb43ftc0vg?X-Amz-Algorithm=AWS4..", "fields": {"key": "3/i/b3vvte895rt5581eab3068cb43ftc0vg"}},
            "residence_proof": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/d/276dv5b85581eab3068cb43ftc0rt1?X-Amz-Algorithm=AWS4..", "fields": {"key": "3/d/276dv5b85581eab3068cb43ftc0rt1"}},
            "investor_proof_file1": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/d/anm1539uhu33eab3068cb4c0rt1?X-Amz-Algorithm=AWS4..", "fields": {"key": "3/d/anm1539uhu33eab3068cb4c0rt1"}},
            "investor_proof_file2": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/d/bcbeu8558ksoso68cb43ftc0?X-Amz-Algorithm=AWS4..", "fields": {"key": "3/d/bcbeu8558ksoso68cb43ftc0"}}
        }
    }
}"#;

/// The seed's `file_upload_post` example.
pub(crate) const SEED_POST: &str = r#"{
    "success": true,
    "data": {
        "result_type": "file_upload_post",
        "file_upload_post": {
            "document_id": {
                "url": "https://s3.amazonaws.com/kyc.ost.com",
                "fields": {
                    "key": "3/i/b3vvte895rt5581eab3068cb43ftc0vg1",
                    "x-amz-server-side-encryption": "aws:kms",
                    "x-amz-server-side-encryption-aws-kms-key-id": "5734c3ab-c4ae-4424-a464-2253ui828296",
                    "policy": "abcdefghijklmnopqrstuvwxvz",
                    "x-amz-credential": "akiajudralnurkavs5iq/20180123/us-east-1/s3/aws4_request",
                    "x-amz-algorithm": "aws4-hmac-sha256",
                    "x-amz-date": "20180123t091405z",
                    "x-amz-signature": "34cc2f3925c360ecf0ed2ed5a1074f23537807005ffa21e4bc1ebb5225f9875a"
                }
            }
        }
    }
}"#;

pub(crate) const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F'];
pub(crate) const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
pub(crate) const PDF: &[u8] = b"%PDF-1.4";

pub(crate) fn put_target(url: &str, content_type: Option<&str>) -> UploadTarget {
    UploadTarget {
        key: "document_id".into(),
        method: Method::Put,
        url: url.into(),
        fields: vec![("key".into(), "3/i/doc".into())],
        expires_at: NOW + 900,
        content_type: content_type.map(str::to_owned),
    }
}

pub(crate) fn file(head: &[u8], size: u64) -> FileInfo<'_> {
    FileInfo {
        head,
        size,
        own_type: None,
    }
}

pub(crate) fn post_target(extra: &[(&str, &str)]) -> UploadTarget {
    let mut fields = vec![
        ("bucket".to_string(), "kyc".to_string()),
        ("X-Amz-Algorithm".into(), "AWS4-HMAC-SHA256".into()),
        ("key".into(), "3/i/doc".into()),
        ("Policy".into(), "e30=".into()),
        ("X-Amz-Signature".into(), "ab".into()),
    ];
    fields.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    UploadTarget {
        key: "document_id".into(),
        method: Method::Post,
        url: "https://h/kyc".into(),
        fields,
        expires_at: NOW + 900,
        content_type: Some("image/jpeg".into()),
    }
}

pub(crate) fn policy(conditions: &str) -> Value {
    json(&format!(
        r#"{{"expiration": "2026-01-23T09:24:05.000Z", "conditions": {conditions}}}"#
    ))
}
