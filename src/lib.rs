#![doc = include_str!("../README.md")]
//!
//! # Layout
//! - [`query`]: the Rails canonical query string (`toQuery`) and Rack's nested-query parser.
//! - [`signing`]: OST API request signing.
//! - [`ost_api`]: OST KYC API request builders, KYC submission validation and response parsing.
//! - [`webhook`]: OST and Token of Trust webhook signatures.
//! - [`gates`]: Token of Trust `reasonValue` / `reasonIsPositive`.
//! - [`continuation`]: Token of Trust verifyPerson decisions (`evaluateVerification`, `processPersonResponse`).
//! - [`person`]: the verifyPerson request body and `appUserIdFromEmail`.
//! - [`events`]: typed webhook events (`parseOstEvent`, `parseTotEvent`) and `isNewerEvent`.
//! - [`upload`]: pre-signed S3 upload targets, KYC file paths, checks before sending (type, size, POST policy).
//! - [`envelope`]: the `success` / `err` envelope of every OST API answer.
//! - [`value`]: the ordered value tree and the [`Limits`] on untrusted input.
//! - [`calendar`]: UTC calendar arithmetic and every date parser (RFC 1123, ISO 8601, `X-Amz-Date`).
//! - [`secret`]: redacted secrets and HMAC helpers.
//! - [`codec`]: hex, base64 and the constant-time comparison.
//! - [`decimal`]: decimal text to `f64` (what `str::parse::<f64>` gives, without its tables).
//! - [`error`]: [`KycError`] and its stable codes.
//!
//! The `wasm` module (only on `wasm32`) is the one binding layer to JavaScript.

pub mod calendar;
pub mod codec;
pub mod continuation;
pub mod decimal;
pub mod delivery;
pub mod envelope;
pub mod error;
pub mod events;
pub mod gates;
#[cfg(feature = "full")]
pub mod ost_api;
pub mod person;
pub mod plain_json;
pub mod query;
pub mod secret;
pub mod signing;
pub mod upload;
pub mod value;
pub mod webhook;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::KycError;
pub use value::{Limits, Value};
