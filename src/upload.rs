//! KYC document uploads through the pre-signed S3 PUT and POST URLs that OST hands out.
//!
//! Everything here is pure: reading the `file_upload_put` / `file_upload_post` responses into
//! [`UploadTarget`]s, mapping uploaded targets to the KYC submission fields, and deciding, before a single
//! byte is sent, whether a file may be uploaded to a target ([`plan_upload`]): its declared type against its
//! magic bytes, its size against the bounds, the URL's expiry and the POST policy's conditions. The
//! JavaScript binding (`src/wasm/upload.rs`) reads files, sends the requests, reports progress and retries;
//! it passes the clock in.
//!
//! # Layout
//! - `upload/target.rs`: [`Method`], [`UploadTarget`], reading the pre-signed URL response, expiry.
//! - `upload/fields.rs`: [`kyc_file_paths`], the KYC submission fields of uploaded files.
//! - `upload/file.rs`: [`FileKind`], magic bytes, size bounds.
//! - `upload/policy.rs`: the POST policy, decoded and checked.
//! - `upload/plan.rs`: [`UploadOptions`] and [`plan_upload`].
//! - `upload/s3.rs`: S3 error documents and the retry rule.

mod fields;
mod file;
#[cfg(test)]
mod fixtures;
mod plan;
mod policy;
mod s3;
mod target;

pub use fields::*;
pub use file::*;
pub use plan::*;
pub use policy::*;
pub use s3::*;
pub use target::*;

/// Seconds a pre-signed URL stays valid after OST issues it (15 minutes, per the API documentation).
pub const URL_LIFETIME_SECONDS: i64 = 15 * 60;
/// Smallest file OST's POST policy accepts, in bytes (200 KiB): the default `minBytes`.
pub const DEFAULT_MIN_BYTES: u64 = 200 * 1024;
/// Largest file OST's POST policy accepts, in bytes (20 MiB): the default `maxBytes`.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;
/// Content types OST accepts for KYC documents (compared case-insensitively; `image/jpg` is JPEG).
pub const ALLOWED_CONTENT_TYPES: &[&str] =
    &["image/jpeg", "image/jpg", "image/png", "application/pdf"];
/// How many bytes of a file [`sniff`] needs to recognise it.
pub const SNIFF_BYTES: usize = 8;
/// Most retries of one upload after a network failure or a 5xx answer.
pub const MAX_RETRIES: u32 = 2;
