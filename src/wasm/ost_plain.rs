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

use super::interop::{self, get, limits_opt, number_opt, secrets_arg, string_arg, to_js_error};
use super::{now_seconds, JsResult};
use crate::error::KycError;
use crate::plain_json::read_plain_json;
use crate::webhook::ost::{self, ParamsAnswer, VerifyOptions, DEFAULT_TOLERANCE_SECONDS};

/// Internal (the glue's `verifyOstWebhook` calls it); not part of the API.
#[wasm_bindgen(js_name = __verifyOstWebhookPlain, skip_typescript)]
pub fn verify_ost_webhook_plain(json: &[u8], options: JsValue) -> JsResult<JsValue> {
    let run = || {
        if !options.is_object() {
            return Err(KycError::invalid_argument(
                "options must be {url, secret, toleranceSeconds?, now?}",
            ));
        }
        let limits = limits_opt(&options)?;
        let url = string_arg(&get(&options, "url", "options")?, "options.url")?;
        let secrets = secrets_arg(&get(&options, "secret", "options")?, "options.secret")?;
        let tolerance_seconds = match number_opt(
            &get(&options, "toleranceSeconds", "options")?,
            "options.toleranceSeconds",
        )? {
            None => Some(DEFAULT_TOLERANCE_SECONDS),
            Some(t) if t == f64::INFINITY => None,
            Some(t) if t.is_finite() && t >= 0.0 => Some(t.floor() as u64),
            Some(_) => {
                return Err(KycError::invalid_argument(
                    "options.toleranceSeconds must be a number of seconds >= 0 (Infinity disables the check)",
                ))
            }
        };
        let now = now_seconds(&options)?;
        let verify = VerifyOptions {
            url: &url,
            secrets: &secrets,
            tolerance_seconds,
            now,
            limits,
        };
        // Read (and checked) as `verifyOstWebhook` does, though an object body ignores it.
        let content_type = get(&options, "contentType", "options")?;
        if !content_type.is_undefined() && !content_type.is_null() {
            string_arg(&content_type, "options.contentType")?;
        }
        let Ok(parsed) = read_plain_json(json, &limits) else {
            return Ok(JsValue::UNDEFINED);
        };
        // Where the core could answer with JSON text, the glue's `JSON.parse` makes the object: one crossing.
        match ost::verify_ost_webhook_params_json(&parsed, &verify)? {
            ParamsAnswer::Json(text) => Ok(JsValue::from_str(&text)),
            ParamsAnswer::Value(params) => interop::try_from_value(&params),
        }
    };
    run().map_err(to_js_error)
}
