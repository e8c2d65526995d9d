//! The Token of Trust embed's decisions (browser build only). The embed itself, `loadTotEmbed`,
//! `openContinuation`, `onModalClose`, `onModalFormSubmitted` and `verifyPerson`, is JavaScript
//! (`pkg-template/lib/tot-embed.js`, issue 16): the DOM, `window.tot`, the events and the fetch are there;
//! what to load, what to open, what a verifyPerson answer means and the errors are here, through the
//! `__tot…` exports below. No function here accepts or needs `totSecretKey`.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::decision_to_js;
use crate::continuation::{self, Decision};
use crate::error::KycError;
use crate::value::{Limits, Value};
use crate::wasm::interop::{get, number_opt, set_property, string_arg, to_value};

fn embed_src(host: &str) -> Result<String, KycError> {
    let host = host.trim().trim_end_matches('/');
    let bad = host.is_empty() || host.chars().any(char::is_whitespace);
    if bad {
        return Err(KycError::invalid_argument(
            "host must be a host name such as app.tokenoftrust.com",
        ));
    }
    // A full origin is accepted for local sandboxes (http://127.0.0.1:8080); a bare host means https.
    if host.starts_with("https://") || host.starts_with("http://") {
        Ok(format!("{host}/embed/embed.js"))
    } else if host.contains('/') {
        Err(KycError::invalid_argument(
            "host must be a host name (no path), such as app.tokenoftrust.com",
        ))
    } else {
        Ok(format!("https://{host}/embed/embed.js"))
    }
}

/// `__totEmbedOptions({host, apiKey})`: `loadTotEmbed`'s options checked, as `{src, apiKey}`: the URL of
/// `embed.js` on that host and the public key.
#[wasm_bindgen(js_name = __totEmbedOptions, skip_typescript)]
pub fn tot_embed_options(options: JsValue) -> Result<JsValue, KycError> {
    let src = embed_src(&string_arg(
        &get(&options, "host", "options")?,
        "options.host",
    )?)?;
    let api_key = string_arg(&get(&options, "apiKey", "options")?, "options.apiKey")?;
    if api_key.is_empty() {
        return Err(KycError::invalid_argument(
            "options.apiKey is empty: pass your Token of Trust public key",
        ));
    }
    let out = Object::new();
    set_property(&out, "src", &src.into());
    set_property(&out, "apiKey", &api_key.into());
    Ok(out.into())
}

/// `__totOpenParams(continuation, {disableClose})`: the params of `tot("modalOpen", "continue", params)` for
/// a continuation (the normalised params from `evaluateVerification`, or a raw `{params: {...}}`).
#[wasm_bindgen(js_name = __totOpenParams, skip_typescript)]
pub fn tot_open_params(continuation: JsValue, options: JsValue) -> Result<JsValue, KycError> {
    let continuation = to_value(&continuation, &Limits::default(), "continuation")?;
    let disable_close = get(&options, "disableClose", "options")?.as_bool();
    let params = match continuation.get("params") {
        Some(p @ Value::Object(_)) => p,
        _ => &continuation,
    };
    if !matches!(params.get("url"), Some(Value::String(u)) if !u.is_empty()) {
        return Err(KycError::invalid_argument(
            "continuation has no params.url to open",
        ));
    }
    let mut params = continuation::normalize_continuation(params);
    if let (Some(flag), Value::Object(entries)) = (disable_close, &mut params) {
        entries.retain(|(k, _)| k != "disableClose");
        entries.push(("disableClose".into(), Value::Bool(flag)));
    }
    Ok(crate::wasm::interop::from_value(&params))
}

/// `__totVerifyOptions({url, body, autoOpen, timeoutMs})`: `verifyPerson`'s options checked, as `{url,
/// body, autoOpen, timeoutMs}` with `body` the JSON text to POST (`{}` when absent).
#[wasm_bindgen(js_name = __totVerifyOptions, skip_typescript)]
pub fn tot_verify_options(options: JsValue) -> Result<JsValue, KycError> {
    let url = string_arg(&get(&options, "url", "options")?, "options.url")?;
    let body = get(&options, "body", "options")?;
    let body = if body.is_undefined() {
        Object::new().into()
    } else {
        body
    };
    let text = js_sys::JSON::stringify(&body)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| KycError::invalid_argument("options.body must be JSON-serialisable"))?;
    let auto_open = get(&options, "autoOpen", "options")?.is_truthy();
    let timeout = number_opt(&get(&options, "timeoutMs", "options")?, "options.timeoutMs")?
        .unwrap_or(10_000.0);
    if !(timeout.is_finite() && timeout > 0.0) {
        return Err(KycError::invalid_argument(
            "options.timeoutMs must be a positive number of milliseconds",
        ));
    }
    let out = Object::new();
    set_property(&out, "url", &url.into());
    set_property(&out, "body", &text.into());
    set_property(&out, "autoOpen", &auto_open.into());
    set_property(&out, "timeoutMs", &timeout.into());
    Ok(out.into())
}

/// `__totVerifyDecision(status, ok, content, failure)`: the decision for the app server's answer (`content`:
/// its JSON, `undefined` when it had none), or, when `failure` is a string, for a request that failed. Fails
/// closed on any HTTP error, keeping a structured error the app server sent, with its status.
#[wasm_bindgen(js_name = __totVerifyDecision, skip_typescript)]
pub fn tot_verify_decision(
    status: f64,
    ok: bool,
    content: JsValue,
    failure: Option<String>,
) -> JsValue {
    if let Some(message) = failure {
        return decision_to_js(&Decision::failed("NETWORK_ERROR", message, None));
    }
    let content = if content.is_undefined() {
        None
    } else {
        to_value(&content, &Limits::default(), "response").ok()
    };
    let decision = continuation::evaluate_verification(content.as_ref());
    if ok {
        return decision_to_js(&decision);
    }
    decision_to_js(&match decision.error {
        Some(e) if content.is_some() && e.code != "NO_CONTENT" => {
            Decision::failed(e.code, e.message, e.status.or(Some(status)))
        }
        _ => Decision::failed(
            "HTTP_ERROR",
            format!("the verifyPerson endpoint answered HTTP {}", status as u32),
            Some(status),
        ),
    })
}

/// `__totError(kind, text, ms)`: the embed's errors, made here so that they are the core's. `kind`: 0
/// `INVALID_ARGUMENT` with `text`, 1 `BUSY` (a verifyPerson in flight), 2 `TIMEOUT` after `ms`.
#[wasm_bindgen(js_name = __totError, skip_typescript)]
pub fn tot_error(kind: u32, text: &str, ms: f64) -> JsValue {
    match kind {
        1 => KycError::Busy("verifyPerson is already in flight".into()),
        2 => KycError::Timeout(format!("verifyPerson took over {} ms", ms as u64)),
        _ => KycError::invalid_argument(text.to_owned()),
    }
    .into()
}
