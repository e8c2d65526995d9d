//! The JavaScript API: every `#[wasm_bindgen]` export, each a thin call into the core.
//!
//! Arguments are converted in [`interop`] (strings and bytes in [`bytes`]); a [`KycError`] becomes a JavaScript
//! `KycError` there too (`From<KycError> for JsValue`), so every export returns `Result<_, KycError>` and uses
//! `?`. The only clock read in the crate is [`clock`]: `now` defaults to `Date.now()` when the caller does not
//! pass one. Exports that take a server secret are compiled only with the `server` feature (Node and edge
//! builds).
#![cfg_attr(not(feature = "server"), allow(unused_imports))]

pub mod bytes;
#[cfg(all(feature = "full", feature = "client"))]
pub mod client;
pub mod clock;
#[cfg(feature = "server")]
pub mod delivery;
// parseOstEvent, parseTotEvent, isNewerEvent: their input is a verified webhook, so they serve the webhook
// endpoint (Node, edge), not pages (issue 16: -4.6 KB gzip in the page build).
#[cfg(feature = "server")]
pub mod events;
#[cfg(any(feature = "node", all(feature = "full", feature = "server")))]
pub mod hmac;
pub mod interop;
#[cfg(feature = "full")]
pub mod ost_api;
#[cfg(feature = "server")]
pub mod ost_plain;
pub mod tot;
#[cfg(feature = "full")]
pub mod upload;

use js_sys::Object;
use wasm_bindgen::prelude::*;

use crate::calendar::seconds_from_f64;
use crate::error::KycError;
use crate::gates;
use crate::query;
use crate::secret::Secret;
use crate::signing::{self, Credentials};
use crate::value::{Limits, Value};
use crate::webhook::ost::{self, OstBody, VerifyOptions, DEFAULT_TOLERANCE_SECONDS};
use crate::webhook::tot as tot_webhook;
use bytes::{body_arg, Body};
use interop::{
    from_value, get, limits_opt, number_opt, parse_json, secrets_arg, set_property, string_arg,
    to_value, type_name,
};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("wasm/types.d.ts");

#[cfg(feature = "server")]
#[wasm_bindgen(typescript_custom_section)]
const SERVER_TYPES: &'static str = include_str!("wasm/types.server.d.ts");

#[cfg(feature = "panic-hook")]
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[cfg(feature = "server")]
fn timestamp_opt(options: &JsValue) -> Result<Option<i64>, KycError> {
    number_opt(&get(options, "timestamp", "options")?, "options.timestamp")?
        .map(|n| seconds_from_f64(n, "options.timestamp"))
        .transpose()
}

fn params_arg(params: &JsValue, limits: &Limits, path: &str) -> Result<Value, KycError> {
    if !params.is_object() || interop::type_name(params) == "an array" {
        return Err(KycError::invalid_argument(format!(
            "{path} must be an object, such as {{email: \"kyc@ost.com\"}}, got {}",
            type_name(params)
        )));
    }
    to_value(params, limits, path)
}

fn text_or_bytes(
    body: &JsValue,
    limits: &Limits,
    path: &str,
) -> Result<(Vec<u8>, Option<JsValue>), KycError> {
    match body_arg(body, limits, path)? {
        Body::Bytes(bytes) => Ok((bytes, None)),
        Body::Text(text, js) => Ok((text.into_bytes(), Some(js))),
        Body::Object => Err(KycError::invalid_argument(format!(
            "{path} must be the raw body (string, Uint8Array or Buffer), not a parsed object: the signature covers \
             the exact bytes, and re-serialised JSON differs from them"
        ))),
    }
}

/// `toQuery(params)`: the canonical Rails query string of `params`.
#[wasm_bindgen(js_name = toQuery, skip_typescript)]
pub fn to_query(params: JsValue) -> Result<String, KycError> {
    let limits = Limits::default();
    query::to_query_with(&params_arg(&params, &limits, "params")?, &limits)
}

/// `parseQuery(query)`: Rack-style nested parameters of a query string or form body.
#[wasm_bindgen(js_name = parseQuery, skip_typescript)]
pub fn parse_query(body: JsValue, options: JsValue) -> Result<JsValue, KycError> {
    let limits = limits_opt(&options)?;
    let (bytes, _) = text_or_bytes(&body, &limits, "query")?;
    let text = bytes.strip_prefix(b"?").unwrap_or(&bytes);
    interop::try_from_value(&query::parse_query(text, &limits)?)
}

#[cfg(feature = "server")]
/// `signOstRequest(endpoint, params, credentials, options?)`.
#[wasm_bindgen(js_name = signOstRequest, skip_typescript)]
pub fn sign_ost_request(
    endpoint: JsValue,
    params: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    let endpoint = string_arg(&endpoint, "endpoint")?;
    let limits = Limits::default();
    let params = if params.is_undefined() || params.is_null() {
        Value::Object(Vec::new())
    } else {
        params_arg(&params, &limits, "params")?
    };
    if !credentials.is_object() {
        return Err(KycError::invalid_argument(
            "credentials must be {apiKey, apiSecret}",
        ));
    }
    let api_key = string_arg(
        &get(&credentials, "apiKey", "credentials")?,
        "credentials.apiKey",
    )?;
    let api_secret = string_arg(
        &get(&credentials, "apiSecret", "credentials")?,
        "credentials.apiSecret",
    )?;
    let credentials = Credentials::new(api_key, api_secret)?;
    let timestamp = match timestamp_opt(&options)? {
        Some(t) => t,
        None => clock::unix_seconds(),
    };
    let signed = signing::sign_ost_request(&endpoint, &params, &credentials, timestamp, &limits)?;
    let out = Object::new();
    set_property(&out, "stringToSign", &signed.string_to_sign.into());
    set_property(&out, "signature", &signed.signature.into());
    set_property(&out, "query", &signed.query.into());
    set_property(&out, "params", &from_value(&signed.params));
    Ok(out.into())
}

/// The options of `verifyOstWebhook`, read in one place for both of its entries (the general one and the
/// glue's `__verifyOstWebhookPlain` fast path): same order, same errors.
#[cfg(feature = "server")]
pub(crate) struct OstVerifyOptions {
    pub(crate) limits: Limits,
    url: String,
    secrets: Vec<Secret>,
    tolerance_seconds: Option<u64>,
    now: i64,
    /// `contentType` names JSON.
    pub(crate) json: bool,
}

#[cfg(feature = "server")]
impl OstVerifyOptions {
    pub(crate) fn read(options: &JsValue) -> Result<Self, KycError> {
        if !options.is_object() {
            return Err(KycError::invalid_argument(
                "options must be {url, secret, toleranceSeconds?, now?}",
            ));
        }
        let limits = limits_opt(options)?;
        let url = string_arg(&get(options, "url", "options")?, "options.url")?;
        let secrets = secrets_arg(&get(options, "secret", "options")?, "options.secret")?;
        let tolerance_seconds = ost_tolerance(number_opt(
            &get(options, "toleranceSeconds", "options")?,
            "options.toleranceSeconds",
        )?)?;
        let now = clock::now_option(options)?;
        let content_type = get(options, "contentType", "options")?;
        let json = if content_type.is_undefined() || content_type.is_null() {
            false
        } else {
            ost::is_json_media_type(&string_arg(&content_type, "options.contentType")?)
        };
        Ok(Self {
            limits,
            url,
            secrets,
            tolerance_seconds,
            now,
            json,
        })
    }

    #[cfg(feature = "node-fast")]
    /// The options as the glue read them (scripts/ost-plain-body.cjs, issue 16): the limits left at their
    /// defaults, `url` a string, `toleranceSeconds` and `now` numbers or absent, `contentType` a string or
    /// absent; `secret` as given. The same checks as [`Self::read`] after its type checks, in its order.
    pub(crate) fn from_parts(
        url: String,
        secret: &JsValue,
        tolerance_seconds: Option<f64>,
        now: Option<f64>,
        content_type: Option<String>,
    ) -> Result<Self, KycError> {
        let secrets = secrets_arg(secret, "options.secret")?;
        let tolerance_seconds = ost_tolerance(tolerance_seconds)?;
        let now = clock::now_seconds(now)?;
        let json = content_type.is_some_and(|t| ost::is_json_media_type(&t));
        Ok(Self {
            limits: Limits::default(),
            url,
            secrets,
            tolerance_seconds,
            now,
            json,
        })
    }

    /// Reads `body` (raw or already parsed, as `verifyOstWebhook` takes it) and verifies it with these options:
    /// the general path of `verifyOstWebhook` and of the glue's `__verifyOstWebhookParts`.
    pub(crate) fn verify_body(&self, body: &JsValue) -> Result<JsValue, KycError> {
        let verify = self.verify();
        let params = match interop::ost_body_as(body, &self.limits, self.json)? {
            interop::OstInput::Raw(bytes) => {
                ost::verify_ost_webhook(OstBody::Raw(&bytes), &verify)?
            }
            interop::OstInput::Params(parsed) => {
                ost::verify_ost_webhook(OstBody::Params(&parsed), &verify)?
            }
        };
        interop::try_from_value(&params)
    }

    pub(crate) fn verify(&self) -> VerifyOptions<'_> {
        VerifyOptions {
            url: &self.url,
            secrets: &self.secrets,
            tolerance_seconds: self.tolerance_seconds,
            now: self.now,
            limits: self.limits,
        }
    }
}

/// `options.toleranceSeconds` of `verifyOstWebhook`, read: absent is the default, `Infinity` no check.
#[cfg(feature = "server")]
fn ost_tolerance(value: Option<f64>) -> Result<Option<u64>, KycError> {
    match value {
        None => Ok(Some(DEFAULT_TOLERANCE_SECONDS)),
        Some(t) if t == f64::INFINITY => Ok(None),
        Some(t) if t.is_finite() && t >= 0.0 => Ok(Some(t.floor() as u64)),
        Some(_) => Err(KycError::invalid_argument(
            "options.toleranceSeconds must be a number of seconds >= 0 (Infinity disables the check)",
        )),
    }
}

#[cfg(feature = "server")]
/// `verifyOstWebhook(body, {url, secret, toleranceSeconds?, now?, contentType?})`: the event parameters, or a
/// throw. `contentType` is the request's `Content-Type` header: JSON types make a string or bytes body JSON;
/// anything else, or none, makes it a form body.
#[wasm_bindgen(js_name = verifyOstWebhook, skip_typescript)]
pub fn verify_ost_webhook(body: JsValue, options: JsValue) -> Result<JsValue, KycError> {
    OstVerifyOptions::read(&options)?.verify_body(&body)
}

#[cfg(feature = "server")]
/// `signOstWebhook(params, {url, secret, timestamp?})`: a signed form-urlencoded body.
#[wasm_bindgen(js_name = signOstWebhook, skip_typescript)]
pub fn sign_ost_webhook(params: JsValue, options: JsValue) -> Result<String, KycError> {
    if !options.is_object() {
        return Err(KycError::invalid_argument(
            "options must be {url, secret, timestamp?}",
        ));
    }
    let limits = Limits::default();
    let params = params_arg(&params, &limits, "params")?;
    let url = string_arg(&get(&options, "url", "options")?, "options.url")?;
    let secret = Secret::new(
        string_arg(&get(&options, "secret", "options")?, "options.secret")?,
        "options.secret",
    )?;
    // An explicit option wins, then a request_timestamp already in the params, then the clock.
    let from_params = match params.get("request_timestamp") {
        // Whole seconds only: parsing as an integer keeps float parsing out of the wasm.
        Some(Value::String(s)) => Some(s.parse::<i64>().map(|n| n as f64).map_err(|_| {
            KycError::invalid_argument("params.request_timestamp must be whole Unix seconds")
        })?),
        Some(Value::Number(n)) => Some(*n),
        _ => None,
    };
    let timestamp = match (timestamp_opt(&options)?, from_params) {
        (Some(t), _) => t,
        (None, Some(t)) => seconds_from_f64(t, "params.request_timestamp")?,
        (None, None) => clock::unix_seconds(),
    };
    Ok(ost::sign_ost_webhook(&params, &url, &secret, timestamp, &limits)?.body)
}

#[cfg(feature = "server")]
/// `totWebhookSignature(body, secret)`: base64 HMAC-SHA1 of the raw body.
#[wasm_bindgen(js_name = totWebhookSignature, skip_typescript)]
pub fn tot_webhook_signature(body: JsValue, secret: JsValue) -> Result<String, KycError> {
    // No size limit when only signing. The Node build streams the body into the HMAC, or hands a large one
    // to node:crypto (see `hmac`); the browser build copies it in (less code in the module pages download).
    #[cfg(feature = "node")]
    return hmac::tot_signature(&body, &secret);
    #[cfg(not(feature = "node"))]
    {
        let limits = Limits {
            max_body_bytes: usize::MAX,
            ..Limits::default()
        };
        let (bytes, _) = text_or_bytes(&body, &limits, "body")?;
        let secret = Secret::new(string_arg(&secret, "secret")?, "secret")?;
        tot_webhook::tot_webhook_signature(&bytes, &secret)
    }
}

#[cfg(feature = "server")]
/// `toleranceSeconds` for TOT: absent is the default, `null` or `Infinity` turns the check off.
fn tot_tolerance(options: &JsValue) -> Result<Option<u64>, KycError> {
    let value = get(options, "toleranceSeconds", "options")?;
    if value.is_undefined() {
        return Ok(Some(tot_webhook::DEFAULT_TOLERANCE_SECONDS));
    }
    if value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(t) if t == f64::INFINITY => Ok(None),
        Some(t) if t.is_finite() && t >= 0.0 => Ok(Some(t.floor() as u64)),
        _ => Err(KycError::invalid_argument(
            "options.toleranceSeconds must be a number of seconds >= 0, or null to turn the check off",
        )),
    }
}

#[cfg(feature = "server")]
/// Where `verifyTotWebhook` takes `toleranceSeconds` and `now` from: the options object (read after the
/// signature checks, as always), or, from the glue's fast path (scripts/tot-options.cjs, issue 16), the
/// default tolerance and a `now` the glue already read (`None`: the clock).
enum TotTiming<'a> {
    Options(&'a JsValue),
    Now(Option<f64>),
}

#[cfg(feature = "server")]
/// The parsed body's `timestamp` against `options.now` (or the clock) and `options.toleranceSeconds`.
fn check_tot_timestamp(parsed: &JsValue, timing: TotTiming) -> Result<(), KycError> {
    let tolerance = match timing {
        TotTiming::Options(options) => tot_tolerance(options)?,
        TotTiming::Now(_) => Some(tot_webhook::DEFAULT_TOLERANCE_SECONDS),
    };
    if tolerance.is_none() {
        return Ok(());
    }
    let timestamp = get(parsed, "timestamp", "body")?;
    let timestamp = if let Some(s) = timestamp.as_string() {
        Some(Value::String(s))
    } else if let Some(n) = timestamp.as_f64() {
        Some(Value::Number(n))
    } else if timestamp.is_undefined() || timestamp.is_null() {
        None
    } else {
        Some(Value::Bool(false))
    };
    let now = match timing {
        TotTiming::Options(options) => clock::now_option(options)?,
        TotTiming::Now(now) => clock::now_seconds(now)?,
    };
    tot_webhook::check_tot_timestamp(timestamp.as_ref(), now, tolerance)
}

#[cfg(feature = "server")]
/// `verifyTotWebhook(body, authorization, secret, options?)`: the parsed JSON body, or a throw. `options` holds
/// the limits, `toleranceSeconds` (default 300; `null` turns the check off) and `now` (Unix seconds; default
/// the clock) for the signed `timestamp`.
#[wasm_bindgen(js_name = verifyTotWebhook, skip_typescript)]
pub fn verify_tot_webhook(
    body: JsValue,
    authorization: JsValue,
    secret: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    // No options object: the defaults, without reading four absent properties.
    let limits = if options.is_undefined() || options.is_null() {
        Limits::default()
    } else {
        limits_opt(&options)?
    };
    verify_tot(
        body,
        authorization,
        secret,
        limits,
        TotTiming::Options(&options),
    )
}

#[cfg(feature = "server")]
/// `verifyTotWebhook` for options the glue found to hold only a number `now` (or `undefined`): the default
/// limits and tolerance, `now` passed as a number, so no property is read from wasm (issue 16: those six
/// reads were ~0.5 µs a call). Called by the glue's `verifyTotWebhook` only (scripts/tot-options.cjs).
#[wasm_bindgen(js_name = __verifyTotWebhookNow, skip_typescript)]
pub fn verify_tot_webhook_now(
    body: JsValue,
    authorization: JsValue,
    secret: JsValue,
    now: Option<f64>,
) -> Result<JsValue, KycError> {
    verify_tot(
        body,
        authorization,
        secret,
        Limits::default(),
        TotTiming::Now(now),
    )
}

#[cfg(feature = "node-fast")]
/// The signature of `verifyTotWebhook` for a small binary body the glue copied in (scripts/tot-options.cjs,
/// issue 16), with `authorization` and `secret` strings and options holding only `now`: the checks of
/// `verifyTotWebhook` on those bytes, in its order, without a property read from wasm. The glue then decodes
/// and parses the body and calls [`check_tot_timestamp_now`]; anything it cannot do goes to
/// `__verifyTotWebhookNow`, which answers as before.
#[wasm_bindgen(js_name = __verifyTotWebhookBytes, skip_typescript)]
pub fn verify_tot_webhook_bytes(
    body: &[u8],
    authorization: String,
    secret: String,
) -> Result<(), KycError> {
    let secrets = [Secret::new(secret, "secret")?];
    tot_webhook::verify_tot_webhook(body, Some(&authorization), &secrets, &Limits::default())
}

#[cfg(feature = "node-fast")]
/// [`verify_tot_webhook_bytes`] for a string body under 1,280 UTF-16 units (copied in as UTF-8, a lone
/// surrogate as U+FFFD, as the core reads a string body); the glue then parses the caller's string.
#[wasm_bindgen(js_name = __verifyTotWebhookText, skip_typescript)]
pub fn verify_tot_webhook_text(
    body: &str,
    authorization: String,
    secret: String,
) -> Result<(), KycError> {
    verify_tot_webhook_bytes(body.as_bytes(), authorization, secret)
}

#[cfg(feature = "node-fast")]
/// [`check_tot_timestamp_now`] for a body whose `timestamp` the glue read and found to be a string (the value
/// `check_tot_timestamp` would read from the parsed body): the same checks, without reading it back from wasm.
#[wasm_bindgen(js_name = __checkTotTimestampText, skip_typescript)]
pub fn check_tot_timestamp_text(timestamp: String, now: Option<f64>) -> Result<(), KycError> {
    let now = clock::now_seconds(now)?;
    tot_webhook::check_tot_timestamp(
        Some(&Value::String(timestamp)),
        now,
        Some(tot_webhook::DEFAULT_TOLERANCE_SECONDS),
    )
}

#[cfg(feature = "node-fast")]
/// The signature of `verifyTotWebhook` for a larger body in the Node build, which node:crypto hashes (as
/// `verifyTotWebhook` does from 1,536 bytes or 1,280 UTF-16 units): the glue computes the HMAC-SHA1 of the bytes with
/// `createHmac` and passes the digest; the checks and the constant-time comparison are the core's, in its
/// order (scripts/tot-options.cjs, issue 16). A digest that is not 20 bytes matches nothing.
#[wasm_bindgen(js_name = __verifyTotWebhookDigest, skip_typescript)]
pub fn verify_tot_webhook_digest(
    len: f64,
    authorization: String,
    secret: String,
    digest: &[u8],
) -> Result<(), KycError> {
    let secrets = [Secret::new(secret, "secret")?];
    let digest = <[u8; tot_webhook::DIGEST_LEN]>::try_from(digest);
    tot_webhook::verify_tot_digests(
        len as usize,
        Some(&authorization),
        &secrets,
        &Limits::default(),
        || {
            digest
                .map(|d| vec![d])
                .map_err(|_| KycError::InvalidSignature)
        },
    )
}

#[cfg(feature = "node-fast")]
/// The last step of `verifyTotWebhook` with options holding only `now`, for the glue's fast path above: the
/// parsed body's `timestamp` against `now` (or the clock) and the default tolerance.
#[wasm_bindgen(js_name = __checkTotTimestampNow, skip_typescript)]
pub fn check_tot_timestamp_now(parsed: JsValue, now: Option<f64>) -> Result<(), KycError> {
    check_tot_timestamp(&parsed, TotTiming::Now(now))
}

#[cfg(feature = "server")]
fn verify_tot(
    body: JsValue,
    authorization: JsValue,
    secret: JsValue,
    limits: Limits,
    timing: TotTiming,
) -> Result<JsValue, KycError> {
    let secrets = secrets_arg(&secret, "secret")?;
    // A string first: one call for the usual case.
    let header = match authorization.as_string() {
        Some(header) => Some(header),
        None if authorization.is_undefined() || authorization.is_null() => None,
        None => Some(string_arg(&authorization, "authorization")?),
    };
    // Node build: the core's checks in the core's order; the body is streamed into the HMACs (or hashed by
    // node:crypto when large) only once they pass, and each digest is compared in constant time in Rust.
    // Then the caller's string, or the bytes decoded as strict UTF-8, without a leading byte-order mark.
    #[cfg(feature = "node")]
    {
        let body = bytes::body_data(&body, "body", Some(&limits))?;
        let len = body.check_body(&limits)?;
        tot_webhook::verify_tot_digests(len, header.as_deref(), &secrets, &limits, || {
            hmac::sha1_digests(&body, &secrets)
        })?;
        let parsed = parse_json(&bytes::json_text(&body)?)?;
        check_tot_timestamp(&parsed, timing)?;
        Ok(parsed)
    }
    // Browser build: the body copied in, then the core.
    #[cfg(not(feature = "node"))]
    {
        let (bytes, js) = text_or_bytes(&body, &limits, "body")?;
        tot_webhook::verify_tot_webhook(&bytes, header.as_deref(), &secrets, &limits)?;
        // The signature covers a byte-order mark; JSON.parse does not accept one.
        let text = match (js, bytes.strip_prefix("\u{feff}".as_bytes())) {
            (Some(js), None) => js,
            (_, rest) => bytes::js_text(
                std::str::from_utf8(rest.unwrap_or(&bytes))
                    .map_err(|_| KycError::malformed("the body is not valid UTF-8"))?,
            )?,
        };
        let parsed = parse_json(&text)?;
        check_tot_timestamp(&parsed, timing)?;
        Ok(parsed)
    }
}

fn reason_arg(reason: &JsValue) -> Result<Option<Value>, KycError> {
    if reason.is_undefined() {
        return Ok(None);
    }
    to_value(reason, &Limits::default(), "reason").map(Some)
}

/// `reasonValue(reason)`: the provider's own `reasonValue`. It returns the caller's own value (not a copy),
/// so strings come back exactly as given, lone surrogates included.
#[wasm_bindgen(js_name = reasonValue, skip_typescript)]
pub fn reason_value(reason: JsValue) -> Result<JsValue, KycError> {
    let converted = reason_arg(&reason)?;
    let field = |name: &'static str| get(&reason, name, "reason");
    Ok(match gates::reason_source(converted.as_ref()) {
        gates::ReasonSource::Undefined => JsValue::UNDEFINED,
        gates::ReasonSource::Itself => reason.clone(),
        gates::ReasonSource::Value => field("value")?,
        gates::ReasonSource::Status => field("status")?,
    })
}

/// `reasonIsPositive(reason)`: the provider's own `reasonIsPositive`.
#[wasm_bindgen(js_name = reasonIsPositive, skip_typescript)]
pub fn reason_is_positive(reason: JsValue) -> Result<bool, KycError> {
    let reason = reason_arg(&reason)?;
    Ok(gates::reason_is_positive(reason.as_ref()))
}

/// `isKycError(e)`: whether `e` is an error thrown by this package.
#[wasm_bindgen(js_name = isKycError, skip_typescript)]
pub fn is_kyc_error(error: JsValue) -> bool {
    get(&error, "name", "error")
        .ok()
        .and_then(|n| n.as_string())
        .is_some_and(|n| n == "KycError")
        && get(&error, "code", "error")
            .ok()
            .is_some_and(|c| c.is_string())
}
