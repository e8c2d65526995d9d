//! The plan: everything checked before a single byte is sent ([`plan_upload`]).

use super::file::{check_file_type, check_size};
use super::policy::{check_policy, parse_policy, same_type, Condition};
use super::target::{check_expiry, Method, UploadTarget};
use super::{DEFAULT_MAX_BYTES, DEFAULT_MIN_BYTES};
use crate::error::KycError;
use crate::value::Value;

/// What [`plan_upload`] needs to know about a file.
#[derive(Clone, Copy, Debug)]
pub struct FileInfo<'a> {
    /// The first bytes of the file ([`SNIFF_BYTES`](super::SNIFF_BYTES) or all of it if shorter).
    pub head: &'a [u8],
    /// The size in bytes.
    pub size: u64,
    /// The file's own type (`File.type` / `Blob.type`), when it has one.
    pub own_type: Option<&'a str>,
}

/// The caller's options for one upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadOptions {
    /// The current time, in Unix seconds.
    pub now: i64,
    /// Smallest accepted size ([`DEFAULT_MIN_BYTES`] by default).
    pub min_bytes: u64,
    /// Largest accepted size ([`DEFAULT_MAX_BYTES`] by default).
    pub max_bytes: u64,
    /// The declared type, overriding the target's and the file's own.
    pub content_type: Option<String>,
    /// Whether an `http:` target may be used (a local test server); otherwise only `https:`.
    pub allow_insecure: bool,
}

impl UploadOptions {
    /// Default bounds at `now`.
    pub fn at(now: i64) -> UploadOptions {
        UploadOptions {
            now,
            min_bytes: DEFAULT_MIN_BYTES,
            max_bytes: DEFAULT_MAX_BYTES,
            content_type: None,
            allow_insecure: false,
        }
    }
}

/// A checked upload, ready for the transport.
#[derive(Clone, Debug, PartialEq)]
pub struct UploadPlan {
    /// PUT or POST.
    pub method: Method,
    /// Where to send it.
    pub url: String,
    /// The content type: the `content-type` header of a PUT, the `Content-Type` form field of a POST.
    pub content_type: String,
    /// POST only: the form fields, in order, to send before the file (which goes last, as `file`).
    pub form: Vec<(String, String)>,
    /// The file size in bytes.
    pub size: u64,
}

/// The declared content type: the option, else the target's, else the file's own.
pub fn declared_type(
    target: &UploadTarget,
    file: &FileInfo<'_>,
    options: &UploadOptions,
) -> Result<String, KycError> {
    options
        .content_type
        .clone()
        .filter(|t| !t.is_empty())
        .or_else(|| target.content_type.clone().filter(|t| !t.is_empty()))
        .or_else(|| file.own_type.filter(|t| !t.is_empty()).map(str::to_owned))
        .ok_or_else(|| {
            KycError::InvalidFile(format!(
                "no content type for {}: pass options.contentType, or parse the targets with the files map",
                target.key
            ))
        })
}

/// Refuses an `http:` target unless `allow_insecure`: KYC documents must not travel in clear text.
pub fn check_transport(url: &str, allow_insecure: bool) -> Result<(), KycError> {
    let scheme = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if scheme.starts_with("https://") || (allow_insecure && scheme.starts_with("http://")) {
        return Ok(());
    }
    Err(KycError::invalid_argument(
        if scheme.starts_with("http://") {
            "the upload target is http:, which would send the document in clear text: use https, or pass \
         allowInsecure: true for a local test server"
        } else {
            "the upload target's URL must be https:"
        },
    ))
}

/// Checks everything that can be checked before sending `file` to `target` (the transport, the expiry, the declared
/// type against the magic bytes, the size bounds and, for POST, the decoded `policy`), and says what to
/// send. Nothing may be sent when this fails.
pub fn plan_upload(
    target: &UploadTarget,
    file: &FileInfo<'_>,
    options: &UploadOptions,
    policy: Option<&Value>,
) -> Result<UploadPlan, KycError> {
    if options.min_bytes > options.max_bytes {
        return Err(KycError::invalid_argument(format!(
            "options.minBytes ({}) is over options.maxBytes ({})",
            options.min_bytes, options.max_bytes
        )));
    }
    check_transport(&target.url, options.allow_insecure)?;
    check_expiry(target, options.now)?;
    let declared = declared_type(target, file, options)?;
    check_file_type(&declared, file.head)?;
    check_size(file.size, options.min_bytes, options.max_bytes)?;
    match target.method {
        Method::Put => {
            // S3 signed the type the URL was requested for: send exactly that one, whatever the spelling
            // (case, image/jpg for image/jpeg) of an explicit contentType that names the same type.
            let content_type = match &target.content_type {
                Some(signed) if !same_type(signed, &declared) => {
                    return Err(KycError::InvalidFile(format!(
                        "the file is declared {declared} but the URL for {} was signed for {signed}",
                        target.key
                    )))
                }
                Some(signed) => signed.clone(),
                None => declared,
            };
            Ok(UploadPlan {
                method: Method::Put,
                url: target.url.clone(),
                content_type,
                form: Vec::new(),
                size: file.size,
            })
        }
        Method::Post => {
            let policy = match policy {
                Some(p) => parse_policy(p)?,
                None => {
                    return Err(KycError::malformed(format!(
                        "the POST target {} has no policy to check",
                        target.key
                    )))
                }
            };
            let type_condition = policy.conditions.iter().find_map(|c| match c {
                Condition::Eq(n, v) if n.eq_ignore_ascii_case("Content-Type") => Some((true, v)),
                Condition::StartsWith(n, v) if n.eq_ignore_ascii_case("Content-Type") => {
                    Some((false, v))
                }
                _ => None,
            });
            let mut form = target.fields.clone();
            let content_type = match target.field("Content-Type") {
                Some(field) => {
                    if !same_type(field, &declared) {
                        return Err(KycError::InvalidFile(format!(
                            "the file is declared {declared} but the form's Content-Type field is {field}"
                        )));
                    }
                    field.to_owned()
                }
                None => {
                    // Send the policy's own spelling of an equivalent type (image/jpg for image/jpeg…).
                    let sent = match type_condition {
                        Some((true, value)) if same_type(value, &declared) => value.clone(),
                        _ => declared,
                    };
                    if type_condition.is_some() {
                        form.push(("Content-Type".into(), sent.clone()));
                    }
                    sent
                }
            };
            check_policy(&policy, target, &content_type, file.size, options.now)?;
            Ok(UploadPlan {
                method: Method::Post,
                url: target.url.clone(),
                content_type,
                form,
                size: file.size,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::fixtures::*;

    #[test]
    fn put_plan_sends_exactly_the_signed_type() {
        let target = put_target(
            "https://h/b/k?X-Amz-Date=20260123T091405Z&X-Amz-Expires=900",
            Some("image/jpeg"),
        );
        let plan =
            plan_upload(&target, &file(JPEG, 300_000), &UploadOptions::at(NOW), None).unwrap();
        assert_eq!(plan.method, Method::Put);
        assert_eq!(plan.content_type, "image/jpeg");
        assert!(plan.form.is_empty());
        // image/jpg declared by the file itself still sends the signed image/jpeg.
        let mut own = file(JPEG, 300_000);
        own.own_type = Some("image/jpg");
        let plan = plan_upload(
            &put_target("https://h/b/k", None),
            &own,
            &UploadOptions::at(NOW),
            None,
        )
        .unwrap();
        assert_eq!(
            plan.content_type, "image/jpg",
            "no signed type known: the file's own"
        );
        // A declared type that contradicts the signed one is refused before sending.
        let options = UploadOptions {
            content_type: Some("image/png".into()),
            ..UploadOptions::at(NOW)
        };
        let e = plan_upload(&target, &file(PNG, 300_000), &options, None).unwrap_err();
        assert!(e.to_string().contains("signed for image/jpeg"), "{e}");
        // No type anywhere.
        let e = plan_upload(
            &put_target("https://h/b/k", None),
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW),
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("no content type"), "{e}");
    }

    #[test]
    fn an_explicit_content_type_is_compared_case_insensitively_and_the_signed_one_is_sent() {
        let target = put_target("https://h/b/k", Some("image/jpeg"));
        for explicit in ["IMAGE/JPEG", "Image/Jpeg", "image/jpg", "image/jpeg"] {
            let options = UploadOptions {
                content_type: Some(explicit.into()),
                ..UploadOptions::at(NOW)
            };
            let plan = plan_upload(&target, &file(JPEG, 300_000), &options, None).unwrap();
            assert_eq!(plan.content_type, "image/jpeg", "{explicit}");
        }
    }

    #[test]
    fn http_targets_need_allow_insecure() {
        let target = put_target("http://127.0.0.1:9000/b/k", Some("image/jpeg"));
        let e =
            plan_upload(&target, &file(JPEG, 300_000), &UploadOptions::at(NOW), None).unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT");
        assert!(e.to_string().contains("allowInsecure"), "{e}");
        let allowed = UploadOptions {
            allow_insecure: true,
            ..UploadOptions::at(NOW)
        };
        assert!(plan_upload(&target, &file(JPEG, 300_000), &allowed, None).is_ok());
        for url in ["HTTPS://h/b/k", "https://h/b/k"] {
            assert!(check_transport(url, false).is_ok(), "{url}");
        }
        for url in ["ftp://h/b/k", "file:///etc/passwd", "//h/b/k"] {
            assert_eq!(
                check_transport(url, true).unwrap_err().code(),
                "INVALID_ARGUMENT"
            );
        }
    }

    #[test]
    fn put_plan_checks_expiry_type_and_size() {
        let target = put_target(
            "https://h/b/k?X-Amz-Date=20260123T091405Z&X-Amz-Expires=60",
            Some("image/jpeg"),
        );
        let e = plan_upload(
            &target,
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW + 60),
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), "URL_EXPIRED");
        assert!(e.to_string().contains("X-Amz-Expires"), "{e}");
        let e = plan_upload(
            &target,
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW + 900),
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), "URL_EXPIRED");
        let e =
            plan_upload(&target, &file(PNG, 300_000), &UploadOptions::at(NOW), None).unwrap_err();
        assert_eq!(e.code(), "INVALID_FILE");
        let e = plan_upload(&target, &file(JPEG, 1000), &UploadOptions::at(NOW), None).unwrap_err();
        assert_eq!(e.code(), "INVALID_FILE");
        let small = UploadOptions {
            min_bytes: 100,
            ..UploadOptions::at(NOW)
        };
        assert!(plan_upload(&target, &file(JPEG, 1000), &small, None).is_ok());
        let inverted = UploadOptions {
            min_bytes: 10,
            max_bytes: 5,
            ..UploadOptions::at(NOW)
        };
        assert_eq!(
            plan_upload(&target, &file(JPEG, 7), &inverted, None)
                .unwrap_err()
                .code(),
            "INVALID_ARGUMENT"
        );
    }

    #[test]
    fn post_plan_adds_content_type_and_keeps_fields_first() {
        let p = policy(
            r#"[["content-length-range", 1000, 400000], ["eq", "$Content-Type", "image/jpeg"], {"bucket": "kyc"}, ["starts-with", "$key", "3/i/"]]"#,
        );
        let plan = plan_upload(
            &post_target(&[]),
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW),
            Some(&p),
        )
        .unwrap();
        assert_eq!(plan.method, Method::Post);
        assert_eq!(plan.content_type, "image/jpeg");
        let names: Vec<&str> = plan.form.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "bucket",
                "X-Amz-Algorithm",
                "key",
                "Policy",
                "X-Amz-Signature",
                "Content-Type"
            ]
        );
        // A form that already has the field keeps it, and adds nothing.
        let plan = plan_upload(
            &post_target(&[("Content-Type", "image/jpeg")]),
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW),
            Some(&p),
        )
        .unwrap();
        assert_eq!(
            plan.form
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .count(),
            1
        );
        // No Content-Type condition: no field is added (S3 refuses fields the policy does not name).
        let plan = plan_upload(
            &post_target(&[]),
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW),
            Some(&policy("[]")),
        )
        .unwrap();
        assert!(plan.form.iter().all(|(k, _)| k != "Content-Type"));
        // image/jpg declared, policy spells image/jpeg: the policy's spelling is sent.
        let options = UploadOptions {
            content_type: Some("image/jpg".into()),
            ..UploadOptions::at(NOW)
        };
        let plan =
            plan_upload(&post_target(&[]), &file(JPEG, 300_000), &options, Some(&p)).unwrap();
        assert_eq!(plan.content_type, "image/jpeg");
    }
}
