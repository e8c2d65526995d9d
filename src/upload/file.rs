//! File kinds: the declared type against the magic bytes, and the size bounds.

use crate::error::KycError;

/// A document format recognised by its magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `FF D8 FF`.
    Jpeg,
    /// `89 50 4E 47 0D 0A 1A 0A`.
    Png,
    /// `%PDF-`.
    Pdf,
}

impl FileKind {
    /// A name for messages.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Jpeg => "JPEG",
            FileKind::Png => "PNG",
            FileKind::Pdf => "PDF",
        }
    }

    /// The kind a content type declares, when it is one OST accepts (case-insensitive; `image/jpg` is JPEG).
    pub fn from_content_type(content_type: &str) -> Option<FileKind> {
        // Parameters such as `; charset=…` never belong on these types, so they are not stripped.
        match content_type.to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" => Some(FileKind::Jpeg),
            "image/png" => Some(FileKind::Png),
            "application/pdf" => Some(FileKind::Pdf),
            _ => None,
        }
    }
}

/// Recognises a file by its first bytes ([`SNIFF_BYTES`](super::SNIFF_BYTES) are enough).
pub fn sniff(head: &[u8]) -> Option<FileKind> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileKind::Png)
    } else if head.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else {
        None
    }
}

/// Checks that `content_type` is allowed and that the file's magic bytes agree with it.
pub fn check_file_type(content_type: &str, head: &[u8]) -> Result<FileKind, KycError> {
    let Some(declared) = FileKind::from_content_type(content_type) else {
        return Err(KycError::InvalidFile(format!(
            "content type {} is not accepted: use image/jpeg, image/png, image/jpg or application/pdf",
            crate::error::quoted(content_type)
        )));
    };
    match sniff(head) {
        Some(actual) if actual == declared => Ok(declared),
        Some(actual) => Err(KycError::InvalidFile(format!(
            "the file is declared {content_type} but its magic bytes say {}: pass the right contentType, or the right file",
            actual.name()
        ))),
        None => Err(KycError::InvalidFile(format!(
            "the file is declared {content_type} but does not start with the {} magic bytes (it is no JPEG, PNG or PDF)",
            declared.name()
        ))),
    }
}

/// Checks a file size against `[min_bytes, max_bytes]`.
pub fn check_size(size: u64, min_bytes: u64, max_bytes: u64) -> Result<(), KycError> {
    if size < min_bytes {
        return Err(KycError::InvalidFile(format!(
            "the file is {size} bytes, under the {min_bytes}-byte minimum (minBytes)"
        )));
    }
    if size > max_bytes {
        return Err(KycError::InvalidFile(format!(
            "the file is {size} bytes, over the {max_bytes}-byte maximum (maxBytes)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::fixtures::*;
    use crate::upload::{DEFAULT_MAX_BYTES, DEFAULT_MIN_BYTES};

    #[test]
    fn magic_bytes() {
        assert_eq!(sniff(JPEG), Some(FileKind::Jpeg));
        assert_eq!(sniff(PNG), Some(FileKind::Png));
        assert_eq!(sniff(PDF), Some(FileKind::Pdf));
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(
            sniff(&PNG[..7]),
            None,
            "a truncated PNG signature is not PNG"
        );
        assert_eq!(sniff(&[]), None);
        assert_eq!(check_file_type("image/jpeg", JPEG), Ok(FileKind::Jpeg));
        assert_eq!(check_file_type("IMAGE/JPG", JPEG), Ok(FileKind::Jpeg));
        assert_eq!(check_file_type("Application/PDF", PDF), Ok(FileKind::Pdf));
        let e = check_file_type("image/png", JPEG).unwrap_err();
        assert_eq!(e.code(), "INVALID_FILE");
        assert!(e.to_string().contains("magic bytes say JPEG"), "{e}");
        let e = check_file_type("application/pdf", b"hello world").unwrap_err();
        assert!(e.to_string().contains("no JPEG, PNG or PDF"), "{e}");
        let e = check_file_type("image/gif", b"GIF89a").unwrap_err();
        assert!(e.to_string().contains("not accepted"), "{e}");
    }

    #[test]
    fn size_bounds() {
        assert!(check_size(DEFAULT_MIN_BYTES, DEFAULT_MIN_BYTES, DEFAULT_MAX_BYTES).is_ok());
        assert!(check_size(DEFAULT_MAX_BYTES, DEFAULT_MIN_BYTES, DEFAULT_MAX_BYTES).is_ok());
        let e =
            check_size(DEFAULT_MIN_BYTES - 1, DEFAULT_MIN_BYTES, DEFAULT_MAX_BYTES).unwrap_err();
        assert!(e.to_string().contains("minimum (minBytes)"), "{e}");
        let e =
            check_size(DEFAULT_MAX_BYTES + 1, DEFAULT_MIN_BYTES, DEFAULT_MAX_BYTES).unwrap_err();
        assert!(e.to_string().contains("maximum (maxBytes)"), "{e}");
    }
}
