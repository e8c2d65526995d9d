//! S3's answers: its XML error documents and the retry rule.

use super::MAX_RETRIES;
use crate::codec::find;
use crate::error::KycError;

fn unescape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let tail = rest.get(at..).unwrap_or_default();
        let Some(end) = tail.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = tail.get(1..).unwrap_or_default();
            continue;
        };
        let entity = tail.get(1..end).unwrap_or_default();
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = tail.get(end + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = find(xml, &open)? + open.len();
    let len = find(xml.get(start..)?, &close)?;
    xml.get(start..start + len)
}

/// S3's error document, `<Error><Code>…</Code><Message>…</Message></Error>`: its code and message.
pub fn parse_s3_error(body: &str) -> Option<(String, String)> {
    let error = element(body, "Error")?;
    let code = unescape_xml(element(error, "Code")?.trim());
    let message = element(error, "Message")
        .map(|m| unescape_xml(m.trim()))
        .unwrap_or_default();
    Some((code, message))
}

/// The error for a non-2xx answer of the storage server: `UPLOAD_FAILED` with S3's `Code` and `Message`
/// when the body is an S3 error document.
pub fn upload_failed(status: u16, body: &str) -> KycError {
    match parse_s3_error(body) {
        Some((s3_code, s3_message)) => KycError::UploadFailed {
            s3_code,
            s3_message,
            status: Some(status),
        },
        None => KycError::UploadFailed {
            s3_code: String::new(),
            s3_message: format!("HTTP {status} without an S3 error document"),
            status: Some(status),
        },
    }
}

/// Whether an attempt that ended with `status` (`None`: a network failure) should be retried, given that
/// `retries` retries were made already: network failures and 5xx, at most [`MAX_RETRIES`] times. Never 4xx.
pub fn should_retry(status: Option<u16>, retries: u32) -> bool {
    retries < MAX_RETRIES && status.map_or(true, |s| (500..600).contains(&s))
}

/// The wait before retry number `retry` (1 for the first): 500 ms, then 1500 ms.
pub fn retry_delay_ms(retry: u32) -> u32 {
    500u32.saturating_mul(3u32.saturating_pow(retry.saturating_sub(1).min(10)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_finds_a_tag_after_non_ascii_text() {
        assert_eq!(
            element("<Error>é<Code>Bad</Code></Error>", "Code"),
            Some("Bad")
        );
        assert_eq!(element("é<C", "Code"), None);
    }

    #[test]
    fn s3_error_documents() {
        let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match &amp; &#x41;&#66; &lt;x&gt;</Message><StringToSign>…</StringToSign></Error>"#;
        assert_eq!(
            parse_s3_error(body),
            Some((
                "SignatureDoesNotMatch".into(),
                "The request signature we calculated does not match & AB <x>".into()
            ))
        );
        let e = upload_failed(403, body);
        assert_eq!(e.code(), "UPLOAD_FAILED");
        assert_eq!(e.status(), Some(403));
        assert_eq!(e.details()[0], ("s3Code", "SignatureDoesNotMatch".into()));
        let e = upload_failed(502, "<html>bad gateway</html>");
        assert_eq!(e.details()[0], ("s3Code", String::new()));
        assert!(e.to_string().contains("HTTP 502"), "{e}");
        assert_eq!(parse_s3_error("<Error><Message>m</Message></Error>"), None);
        assert_eq!(unescape_xml("a &bogus; & b &#xZZ;"), "a &bogus; & b &#xZZ;");
    }

    #[test]
    fn retries() {
        assert!(should_retry(None, 0));
        assert!(should_retry(Some(503), 1));
        assert!(!should_retry(Some(503), 2), "at most twice");
        assert!(!should_retry(Some(403), 0), "never 4xx");
        assert!(!should_retry(Some(200), 0));
        assert_eq!(retry_delay_ms(1), 500);
        assert_eq!(retry_delay_ms(2), 1500);
    }
}
