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
