//! The Token of Trust embed in the page (browser build only): loading `embed.js`, opening a continuation,
//! modal-close and form-submitted events, and the verifyPerson round trip to the app's own server. No
//! function here accepts or needs `totSecretKey`.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::decision_to_js;
use crate::continuation::{self, Action, Decision};
use crate::error::KycError;
use crate::value::{Limits, Value};
use crate::wasm::interop::{from_value, get, number_opt, set_property, string_arg, to_value};

// The seed's command queue, verbatim in behaviour: calls made before embed.js loads are kept in `tot.q` as
// `arguments` objects, which embed.js replays. A few lines of JS because `arguments` has no Rust spelling.
#[wasm_bindgen(inline_js = "export function install_tot_queue(w) {
  w.tot = w.tot || function () { (w.tot.q = w.tot.q || []).push(arguments); };
  return w.tot;
}")]
extern "C" {
    fn install_tot_queue(window: &JsValue) -> Function;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn fetch_with_init(url: &str, init: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

thread_local! {
    static LOADED: Cell<bool> = const { Cell::new(false) };
    static IN_FLIGHT: Cell<bool> = const { Cell::new(false) };
    static WARNED_BAD_JSON: Cell<bool> = const { Cell::new(false) };
    static WARNED_BAD_JSON_SUBMITTED: Cell<bool> = const { Cell::new(false) };
}

fn window() -> Result<web_sys::Window, KycError> {
    web_sys::window().ok_or_else(|| {
        KycError::invalid_argument("the Token of Trust embed needs a browser window")
    })
}

fn tot() -> Result<Function, KycError> {
    Ok(install_tot_queue(&window()?.into()))
}

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

/// `loadTotEmbed({host, apiKey})`: installs `window.tot`, injects `embed.js` once (id `tot-embed`) and sets
/// the public key. Calling it again is a no-op.
#[wasm_bindgen(js_name = loadTotEmbed, skip_typescript)]
pub fn load_tot_embed(options: JsValue) -> Result<(), KycError> {
    if LOADED.with(Cell::get) {
        return Ok(());
    }
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
    let tot = tot()?;
    let document = window()?
        .document()
        .ok_or_else(|| KycError::invalid_argument("no document"))?;
    if document.get_element_by_id("tot-embed").is_none() {
        let fail = |_| KycError::invalid_argument("could not insert the embed script");
        let script: web_sys::HtmlScriptElement = document
            .create_element("script")
            .map_err(fail)?
            .unchecked_into();
        script.set_id("tot-embed");
        script.set_async(true);
        script.set_src(&src);
        let first = document.get_elements_by_tag_name("script").item(0);
        match first.as_ref().and_then(|s| s.parent_node().map(|p| (s, p))) {
            Some((first, parent)) => {
                parent.insert_before(&script, Some(first)).map_err(fail)?;
            }
            None => {
                let root = document
                    .head()
                    .map(web_sys::Element::from)
                    .or_else(|| document.document_element());
                root.ok_or_else(|| KycError::invalid_argument("the document has no root"))?
                    .append_child(&script)
                    .map_err(fail)?;
            }
        }
    }
    tot.call2(&JsValue::NULL, &"setPublicKey".into(), &api_key.into())
        .map_err(|_| KycError::invalid_argument("tot(\"setPublicKey\") threw"))?;
    LOADED.with(|l| l.set(true));
    Ok(())
}

fn open(continuation: &Value, disable_close: Option<bool>) -> Result<(), KycError> {
    // Accept the normalised params (from evaluateVerification) or a raw `{params: {...}}` continuation.
    let params = match continuation.get("params") {
        Some(p @ Value::Object(_)) => p,
        _ => continuation,
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
    tot()?
        .call3(
            &JsValue::NULL,
            &"modalOpen".into(),
            &"continue".into(),
            &from_value(&params),
        )
        .map_err(|_| KycError::invalid_argument("tot(\"modalOpen\") threw"))?;
    Ok(())
}

/// `openContinuation(continuation, {disableClose})`: `tot("modalOpen", "continue", params)`.
#[wasm_bindgen(js_name = openContinuation, skip_typescript)]
pub fn open_continuation(continuation: JsValue, options: JsValue) -> Result<(), KycError> {
    let continuation = to_value(&continuation, &Limits::default(), "continuation")?;
    let disable_close = get(&options, "disableClose", "options")?.as_bool();
    open(&continuation, disable_close)
}

fn warn_once(flag: &'static std::thread::LocalKey<Cell<bool>>, message: &str) {
    if !flag.with(|w| w.replace(true)) {
        web_sys::console::warn_1(&message.into());
    }
}

/// One embed event the page can listen to: its name, the export that binds it, and whether the callback's
/// object carries `continue`.
struct EmbedEvent {
    name: &'static str,
    api: &'static str,
    with_continue: bool,
    warned: &'static std::thread::LocalKey<Cell<bool>>,
}

/// `onModalClose(callback)`: binds `modalClose`; the callback gets `{continue, data}` once per event.
/// Returns a function that unbinds it.
#[wasm_bindgen(js_name = onModalClose, skip_typescript)]
pub fn on_modal_close(callback: JsValue) -> Result<Function, KycError> {
    bind_embed_event(
        &EmbedEvent {
            name: "modalClose",
            api: "onModalClose",
            with_continue: true,
            warned: &WARNED_BAD_JSON,
        },
        callback,
    )
}

/// `onModalFormSubmitted(callback)`: binds `modalFormSubmitted` (the user submitted the modal's form); the
/// callback gets `{data}` once per event. Returns a function that unbinds it.
#[wasm_bindgen(js_name = onModalFormSubmitted, skip_typescript)]
pub fn on_modal_form_submitted(callback: JsValue) -> Result<Function, KycError> {
    bind_embed_event(
        &EmbedEvent {
            name: "modalFormSubmitted",
            api: "onModalFormSubmitted",
            with_continue: false,
            warned: &WARNED_BAD_JSON_SUBMITTED,
        },
        callback,
    )
}

/// Binds `callback` to an embed event with `tot("bind", name, handler)`: the handler (called by the embed as
/// `(eventData, evt)`) reads `evt.data` (the JSON text the iframe posted), ignores a repeat of the same
/// `evt.timeStamp` and bad JSON (warned once), and calls `callback` with `{continue?, data}`.
fn bind_embed_event(event: &EmbedEvent, callback: JsValue) -> Result<Function, KycError> {
    let callback: Function = callback.dyn_into().map_err(|_| {
        KycError::invalid_argument(format!("{} needs a callback function", event.api))
    })?;
    let active = Rc::new(Cell::new(true));
    let last_timestamp: Rc<Cell<Option<f64>>> = Rc::new(Cell::new(None));
    let handler_active = Rc::clone(&active);
    let (name, api, with_continue, warned) =
        (event.name, event.api, event.with_continue, event.warned);
    let handler = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
        move |_event_data: JsValue, evt: JsValue| {
            if !handler_active.get() {
                return JsValue::FALSE;
            }
            let timestamp = get(&evt, "timeStamp", "evt").ok().and_then(|t| t.as_f64());
            if timestamp.is_some() && timestamp == last_timestamp.get() {
                return JsValue::FALSE; // the same event twice
            }
            let raw = get(&evt, "data", "evt").unwrap_or(JsValue::UNDEFINED);
            let parsed = if let Some(text) = raw.as_string() {
                match js_sys::JSON::parse(&text) {
                    Ok(v) => v,
                    Err(_) => {
                        warn_once(
                            warned,
                            &format!("kyc-wasm: ignored a {name} event whose data is not JSON"),
                        );
                        return JsValue::FALSE;
                    }
                }
            } else {
                raw
            };
            last_timestamp.set(timestamp);
            let inner = match get(&parsed, "data", "data") {
                Ok(d) if d.is_truthy() => d,
                _ => parsed,
            };
            let out = Object::new();
            if with_continue {
                let proceed = get(&inner, "continue", "data")
                    .map(|c| c.is_truthy())
                    .unwrap_or(false);
                set_property(&out, "continue", &proceed.into());
            }
            set_property(
                &out,
                "data",
                &if inner.is_undefined() {
                    JsValue::NULL
                } else {
                    inner
                },
            );
            if let Err(e) = callback.call1(&JsValue::NULL, &out) {
                web_sys::console::error_2(
                    &format!("kyc-wasm: the {api} callback threw").into(),
                    &e,
                );
            }
            JsValue::FALSE
        },
    )
    .into_js_value();
    tot()?
        .call3(&JsValue::NULL, &"bind".into(), &name.into(), &handler)
        .map_err(|_| KycError::invalid_argument("tot(\"bind\") threw"))?;
    let unbind = Closure::<dyn FnMut()>::new(move || active.set(false)).into_js_value();
    Ok(unbind.unchecked_into::<Function>())
}

struct InFlight;

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.with(|f| f.set(false));
    }
}

/// `verifyPerson({url, body, autoOpen, timeoutMs})`: POSTs `body` as JSON to the app's own endpoint, decides
/// with `evaluateVerification`, opens the modal when `autoOpen` is set and the decision is `continue`.
/// Rejects with `BUSY` while a call is in flight and `TIMEOUT` after `timeoutMs` (default 10 000).
#[wasm_bindgen(js_name = verifyPerson, skip_typescript)]
pub fn verify_person(options: JsValue) -> Promise {
    let prepare = || -> Result<(String, String, bool, f64), KycError> {
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
        Ok((url, text, auto_open, timeout))
    };
    let (url, text, auto_open, timeout) = match prepare() {
        Ok(p) => p,
        Err(e) => return Promise::reject(&e.into()),
    };
    if IN_FLIGHT.with(|f| f.replace(true)) {
        return Promise::reject(&JsValue::from(KycError::Busy(
            "verifyPerson is already in flight".into(),
        )));
    }
    wasm_bindgen_futures::future_to_promise(async move {
        let _guard = InFlight;
        let decision = round_trip(&url, &text, timeout).await?;
        if auto_open && decision.action == Action::Continue {
            if let Some(c) = &decision.continuation {
                open(c, None)?;
            }
        }
        Ok(decision_to_js(&decision))
    })
}

async fn round_trip(url: &str, body: &str, timeout_ms: f64) -> Result<Decision, KycError> {
    let controller = web_sys::AbortController::new()
        .map_err(|_| KycError::invalid_argument("AbortController is unavailable"))?;
    let signal = controller.signal();
    let abort = Closure::once_into_js(move || controller.abort());
    let timer = set_timeout(abort.unchecked_ref(), timeout_ms);
    let result = fetch_json(url, body, &signal).await;
    clear_timeout(&timer);
    match result {
        Ok((status, ok, content)) => {
            let decision = continuation::evaluate_verification(content.as_ref());
            if ok {
                return Ok(decision);
            }
            // Fail closed on any HTTP error; keep a structured error the app server sent, with its status.
            match decision.error {
                Some(e) if content.is_some() && e.code != "NO_CONTENT" => Ok(Decision::failed(
                    e.code,
                    e.message,
                    e.status.or(Some(status)),
                )),
                _ => Ok(Decision::failed(
                    "HTTP_ERROR",
                    format!("the verifyPerson endpoint answered HTTP {}", status as u32),
                    Some(status),
                )),
            }
        }
        Err(_) if signal.aborted() => Err(KycError::Timeout(format!(
            "verifyPerson took over {} ms",
            timeout_ms as u64
        ))),
        Err(message) => Ok(Decision::failed("NETWORK_ERROR", message, None)),
    }
}

/// POSTs and reads the JSON answer: `(status, ok, content)`, where content is `None` for a non-JSON body.
async fn fetch_json(
    url: &str,
    body: &str,
    signal: &web_sys::AbortSignal,
) -> Result<(f64, bool, Option<Value>), String> {
    let init = Object::new();
    let headers = Object::new();
    set_property(&headers, "content-type", &"application/json".into());
    set_property(&headers, "accept", &"application/json".into());
    set_property(&init, "method", &"POST".into());
    set_property(&init, "headers", &headers);
    set_property(&init, "body", &body.into());
    set_property(&init, "signal", signal);
    let promise = fetch_with_init(url, &init).map_err(|_| "fetch threw".to_owned())?;
    let response = JsFuture::from(promise)
        .await
        .map_err(|_| format!("the request to {url} failed"))?;
    let status = Reflect::get(&response, &"status".into())
        .ok()
        .and_then(|s| s.as_f64())
        .unwrap_or(0.0);
    let ok = Reflect::get(&response, &"ok".into())
        .map(|o| o.is_truthy())
        .unwrap_or(false);
    let json = Reflect::get(&response, &"json".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call0(&response).ok())
        .and_then(|p| p.dyn_into::<Promise>().ok());
    let content = match json {
        Some(p) => match JsFuture::from(p).await {
            Ok(v) => to_value(&v, &Limits::default(), "response").ok(),
            Err(_) if signal.aborted() => return Err("aborted".into()),
            Err(_) => None,
        },
        None => None,
    };
    Ok((status, ok, content))
}
