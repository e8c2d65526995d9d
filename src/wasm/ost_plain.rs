//! `__verifyOstWebhookPlain(json, options)`: the fast path of `verifyOstWebhook` for a body that middleware
//! already parsed (issue 16). The glue's `verifyOstWebhook` (patched by `scripts/ost-plain-body.cjs`) checks in
//! JavaScript that the body is plain, serialises it once with `JSON.stringify` and hands the UTF-8 bytes here:
//! one crossing instead of several per property. Options are read exactly as `verifyOstWebhook` reads them (same
//! order, same errors). When [`crate::plain_json`] does not take the text (other JSON, or a limit reached) this
//! returns `undefined` and the glue calls the general `verifyOstWebhook`, which then gives the answer or the
//! typed error exactly as before. A verified body comes back as JSON text (a string) where the core could write
//! it directly (see [`ost::verify_ost_webhook_params_json`]), which the glue turns into the object with
//! `JSON.parse`; otherwise as the object.

use wasm_bindgen::prelude::*;

use super::interop;
use super::OstVerifyOptions;
use crate::error::KycError;
use crate::plain_json::read_plain_json;
use crate::webhook::ost::{self, ParamsAnswer};

/// Internal (the glue's `verifyOstWebhook` calls it); not part of the API.
#[wasm_bindgen(js_name = __verifyOstWebhookPlain, skip_typescript)]
pub fn verify_ost_webhook_plain(json: &[u8], options: JsValue) -> Result<JsValue, KycError> {
    let read = OstVerifyOptions::read(&options)?;
    let Ok(parsed) = read_plain_json(json, &read.limits) else {
        return Ok(JsValue::UNDEFINED);
    };
    // Where the core could answer with JSON text, the glue's `JSON.parse` makes the object: one crossing.
    match ost::verify_ost_webhook_params_json(&parsed, &read.verify())? {
        ParamsAnswer::Json(text) => Ok(JsValue::from_str(&text)),
        ParamsAnswer::Value(params) => interop::try_from_value(&params),
    }
}

/// Internal (the glue's `verifyOstWebhook` calls it, scripts/ost-plain-body.cjs); not part of the API.
///
/// `verifyOstWebhook(body, options)` for options the glue read itself (issue 16, third pass): the limits
/// absent, `url` a string, `toleranceSeconds` and `now` numbers or absent, `contentType` a string or absent,
/// `secret` as given. No property is read from wasm; the answer and errors are `verifyOstWebhook`'s.
#[cfg(feature = "node-fast")]
#[wasm_bindgen(js_name = __verifyOstWebhookParts, skip_typescript)]
pub fn verify_ost_webhook_parts(
    body: JsValue,
    url: String,
    secret: JsValue,
    tolerance_seconds: Option<f64>,
    now: Option<f64>,
    content_type: Option<String>,
) -> Result<JsValue, KycError> {
    OstVerifyOptions::from_parts(url, &secret, tolerance_seconds, now, content_type)?
        .verify_body(&body)
}

/// Internal (the glue's `verifyOstWebhook` calls it, scripts/ost-plain-body.cjs); not part of the API.
///
/// The parsed-body path with options read by the glue (as [`verify_ost_webhook_parts`]): `json` is
/// `JSON.stringify` of the glue's own copy of the body without its top-level `signature`, whose value is
/// `signature`. `true`: verified, and the answer is that copy (see [`ost::verify_ost_webhook_direct`]);
/// `undefined`: not of that form, the glue takes the general way. Errors are `verifyOstWebhook`'s.
#[cfg(feature = "node-fast")]
#[wasm_bindgen(js_name = __verifyOstWebhookDirect, skip_typescript)]
pub fn verify_ost_webhook_direct(
    json: &str,
    signature: &str,
    url: String,
    secret: JsValue,
    tolerance_seconds: Option<f64>,
    now: Option<f64>,
    content_type: Option<String>,
) -> Result<JsValue, KycError> {
    let read = OstVerifyOptions::from_parts(url, &secret, tolerance_seconds, now, content_type)?;
    Ok(
        if ost::verify_ost_webhook_direct(json.as_bytes(), signature, &read.verify())? {
            JsValue::TRUE
        } else {
            JsValue::UNDEFINED
        },
    )
}
