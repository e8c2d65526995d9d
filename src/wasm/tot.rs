//! Token of Trust verifyPerson flow: decisions (every build, lite included), the request body (full Node build
//! only: it carries `totSecretKey`) and the browser embed's decisions (full browser build only; the embed
//! itself is `pkg-template/lib/tot-embed.js`, declared in tot.browser.d.ts).

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::interop::{from_value, set_property, string_arg, to_value};
use crate::continuation::{self, Decision};
use crate::error::KycError;
use crate::person;
use crate::value::{Limits, Value};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("tot.d.ts");

#[cfg(all(feature = "client", feature = "full"))]
#[wasm_bindgen(typescript_custom_section)]
const NODE_TYPES: &'static str = include_str!("tot.node.d.ts");

#[cfg(all(feature = "browser", feature = "full"))]
#[wasm_bindgen(typescript_custom_section)]
const BROWSER_TYPES: &'static str = include_str!("tot.browser.d.ts");

fn optional_value(value: &JsValue, path: &str) -> Result<Option<Value>, KycError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    to_value(value, &Limits::default(), path).map(Some)
}

/// The decision as a plain object: `{action, verificationRequired, messageCode, continuation, error}`.
pub(crate) fn decision_to_js(decision: &Decision) -> JsValue {
    let out = Object::new();
    set_property(&out, "action", &decision.action.as_str().into());
    set_property(
        &out,
        "verificationRequired",
        &decision.verification_required.into(),
    );
    set_property(
        &out,
        "messageCode",
        &decision
            .message_code
            .map(JsValue::from_str)
            .unwrap_or(JsValue::NULL),
    );
    set_property(
        &out,
        "continuation",
        &decision
            .continuation
            .as_ref()
            .map(from_value)
            .unwrap_or(JsValue::NULL),
    );
    let error = match &decision.error {
        Some(e) => {
            let o = Object::new();
            set_property(&o, "code", &e.code.into());
            set_property(&o, "message", &e.message.as_str().into());
            if let Some(status) = e.status {
                set_property(&o, "status", &status.into());
            }
            o.into()
        }
        None => JsValue::NULL,
    };
    set_property(&out, "error", &error);
    out.into()
}

/// `evaluateVerification(content)`: what the client does with a verifyPerson response.
#[wasm_bindgen(js_name = evaluateVerification, skip_typescript)]
pub fn evaluate_verification(content: JsValue) -> Result<JsValue, KycError> {
    let content = optional_value(&content, "content")?;
    Ok(decision_to_js(&continuation::evaluate_verification(
        content.as_ref(),
    )))
}

/// `processPersonResponse(response)`: the fail-closed pass-through the app server returns to its client.
#[wasm_bindgen(js_name = processPersonResponse, skip_typescript)]
pub fn process_person_response(response: JsValue) -> Result<JsValue, KycError> {
    let response = optional_value(&response, "response")?;
    Ok(from_value(&continuation::process_person_response(
        response.as_ref(),
    )))
}

/// `appUserIdFromEmail(email, appId)`: the seed's `appUserid`, hex SHA3-256 of `lowercase(email)-appId`.
#[wasm_bindgen(js_name = appUserIdFromEmail, skip_typescript)]
pub fn app_user_id_from_email(email: JsValue, app_id: JsValue) -> Result<String, KycError> {
    if !email.is_string() {
        string_arg(&email, "email")?;
    }
    let email: String = js_sys::JsString::from(email.clone()).to_lower_case().into();
    let app_id = match app_id.as_f64() {
        Some(n) if !n.is_finite() => {
            return Err(KycError::invalid_argument(
                "appId must be a string or a finite number",
            ))
        }
        Some(n) => crate::value::js_number(n),
        None => string_arg(&app_id, "appId")?,
    };
    person::app_user_id_from_lowercase_email(&email, &app_id)
}

/// `buildVerifyPersonBody(input)`: the validated body for `POST https://{host}/api/person`.
#[cfg(all(feature = "client", feature = "full"))]
#[wasm_bindgen(js_name = buildVerifyPersonBody, skip_typescript)]
pub fn build_verify_person_body(input: JsValue) -> Result<JsValue, KycError> {
    let input = optional_value(&input, "input")?.unwrap_or(Value::Null);
    person::build_verify_person_body(&input).map(|v| from_value(&v))
}

#[cfg(all(feature = "browser", feature = "full"))]
pub mod embed;
