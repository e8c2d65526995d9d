//! Typed webhook events (both builds): `parseOstEvent`, `parseTotEvent`, `isNewerEvent`.

use wasm_bindgen::prelude::*;

use super::interop::{from_value, parse_json, to_value_redacted as to_value};
use crate::error::KycError;
use crate::events;
use crate::value::{Limits, Value};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("events.d.ts");

/// A body: an object, or JSON text (a leading byte-order mark dropped, as `verifyTotWebhook` does).
fn value_arg(value: &JsValue, path: &str) -> Result<Value, KycError> {
    if let Some(text) = value.as_string() {
        let parsed = match text.strip_prefix('\u{feff}') {
            Some(rest) => parse_json(&JsValue::from_str(rest))?,
            None => parse_json(value)?,
        };
        return to_value(&parsed, &Limits::default(), path);
    }
    to_value(value, &Limits::default(), path)
}

/// `parseOstEvent(params)`: a typed OST event from verified webhook parameters.
#[wasm_bindgen(js_name = parseOstEvent, skip_typescript)]
pub fn parse_ost_event(params: JsValue) -> Result<JsValue, KycError> {
    let params = to_value(&params, &Limits::default(), "params")?;
    Ok(from_value(&events::parse_ost_event(&params)?))
}

/// `parseTotEvent(body)`: a typed Token of Trust event from a verified webhook body (object or JSON text).
#[wasm_bindgen(js_name = parseTotEvent, skip_typescript)]
pub fn parse_tot_event(body: JsValue) -> Result<JsValue, KycError> {
    Ok(from_value(&events::parse_tot_event(&value_arg(
        &body, "body",
    )?)?))
}

/// `isNewerEvent(stored, incoming)`: the seed's rule for out-of-order and repeated deliveries.
#[wasm_bindgen(js_name = isNewerEvent, skip_typescript)]
pub fn is_newer_event(stored: JsValue, incoming: JsValue) -> Result<bool, KycError> {
    let stored = if stored.is_undefined() || stored.is_null() {
        None
    } else {
        Some(value_arg_plain(&stored)?)
    };
    events::is_newer_event(stored.as_ref(), &value_arg_plain(&incoming)?)
}

/// Like `value_arg`, but a string stays a string (an RFC 1123 date is a valid `stored`).
fn value_arg_plain(value: &JsValue) -> Result<Value, KycError> {
    to_value(value, &Limits::default(), "event")
}
