//! Hidden exports for the JavaScript webhook handlers (`pkg-template/lib/webhook.js`): the de-duplication
//! key, ordering subject and position of a verified event, decided by [`crate::delivery`].
//! Names start with `__`: they are not part of the public API and have no TypeScript types.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::bytes::{body_arg, Body};
use super::interop::{set_property, string_arg, to_value, HARD_MAX_DEPTH};
use crate::delivery::{delivery, Provider};
use crate::error::KycError;
use crate::value::Limits;

/// Bounds for values the handler already verified and parsed: generous, only there to keep walks finite.
/// Field by field from the defaults, so that a limit added later keeps its default here.
#[allow(clippy::field_reassign_with_default)]
fn verified() -> Limits {
    let mut limits = Limits::default();
    limits.max_body_bytes = 1 << 30;
    limits.max_depth = HARD_MAX_DEPTH;
    limits.max_params = 1 << 24;
    limits.max_key_bytes = 1 << 20;
    limits
}

/// `__webhookDelivery(provider, event, body)`: `{key, subject, position}` of a verified event (the output of
/// `parseOstEvent`/`parseTotEvent`) and its raw body bytes; `subject` and `position` may be `null`.
#[wasm_bindgen(js_name = __webhookDelivery, skip_typescript)]
pub fn webhook_delivery(
    provider: JsValue,
    event: JsValue,
    body: JsValue,
) -> Result<JsValue, KycError> {
    let provider = Provider::parse(&string_arg(&provider, "provider")?)
        .ok_or_else(|| KycError::invalid_argument("provider must be \"ost\" or \"tot\""))?;
    let limits = verified();
    let event = to_value(&event, &limits, "event")?;
    let bytes = match body_arg(&body, &limits, "body")? {
        Body::Bytes(bytes) => bytes,
        Body::Text(text, _) => text.into_bytes(),
        Body::Object => {
            return Err(KycError::invalid_argument(
                "body must be the raw body bytes (a Uint8Array)",
            ))
        }
    };
    let d = delivery(provider, &event, &bytes);
    let out = Object::new();
    set_property(&out, "key", &d.key.into());
    let text = |s: Option<String>| s.map_or(JsValue::NULL, JsValue::from);
    set_property(&out, "subject", &text(d.subject));
    set_property(&out, "position", &text(d.position));
    Ok(out.into())
}
