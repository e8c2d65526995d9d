//! Node recipes (Node build only): `webhookHandler` for `node:http`, Express (`express.raw`) and Koa, and
//! the same core as a Fetch-API handler, `webhookFetchHandler`, for Next.js route handlers and other Fetch
//! runtimes.
//!
//! Each reads the raw body with a size limit, verifies it, answers at once (`200`, or `401`/`400`/`413`
//! with a JSON error code), and only then calls `onEvent` with the typed event. Nothing throws out of them.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::interop::{
    body_arg, from_value, get, limits_opt, number_opt, ost_body_arg, parse_json, secrets_arg,
    set_property, string_arg, to_value, Body, OstInput,
};
use crate::error::KycError;
use crate::events;
use crate::secret::Secret;
use crate::value::{Limits, Value};
use crate::webhook::ost::{self, OstBody, VerifyOptions, DEFAULT_TOLERANCE_SECONDS};
use crate::webhook::{http_status, tot};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("handler.d.ts");

// Stream plumbing stays in JavaScript: it is Node's API, not logic; everything decided is decided in Rust.
// Built with `Function` rather than `inline_js`, because wasm-bindgen's nodejs target would `require()` an
// inline snippet that it writes as an ES module.
const READ_BODY: &str = "
  const b = req.body;
  if (typeof b === 'string' || ArrayBuffer.isView(b) || (b && typeof b === 'object' && Object.keys(b).length)) {
    return Promise.resolve(b);
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let done = false;
    req.on('data', (c) => {
      if (done) return;
      size += c.length;
      if (size > limit) { done = true; reject({ tooLarge: size }); req.resume(); return; }
      chunks.push(c);
    });
    req.on('end', () => { if (!done) { done = true; resolve(Buffer.concat(chunks)); } });
    req.on('error', (e) => { if (!done) { done = true; reject(e); } });
  });";
const RESPOND: &str = "
  if (res.headersSent || res.writableEnded) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(json);";
const FETCH_RESPONSE: &str =
    "return new Response(json, { status, headers: { 'content-type': 'application/json' } });";

thread_local! {
    static HELPERS: [Function; 3] = [
        Function::new_with_args("req, limit", READ_BODY),
        Function::new_with_args("res, status, json", RESPOND),
        Function::new_with_args("status, json", FETCH_RESPONSE),
    ];
}

fn read_body(req: &JsValue, limit: f64) -> Promise {
    let result = HELPERS.with(|[read, _, _]| read.call2(&JsValue::NULL, req, &limit.into()));
    match result.map(|p| p.dyn_into::<Promise>()) {
        Ok(Ok(promise)) => promise,
        _ => Promise::reject(&JsValue::from_str("could not read the body")),
    }
}

fn respond(res: &JsValue, status: u16, json: &str) {
    let _ = HELPERS.with(|[_, respond, _]| {
        Reflect::apply(
            respond,
            &JsValue::NULL,
            &[res.clone(), status.into(), json.into()]
                .into_iter()
                .collect(),
        )
    });
}

fn fetch_response(status: u16, json: &str) -> JsValue {
    HELPERS
        .with(|[_, _, make]| make.call2(&JsValue::NULL, &status.into(), &json.into()))
        .unwrap_or(JsValue::UNDEFINED)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Provider {
    Ost,
    Tot,
}

/// How many event ids are remembered for de-duplication, and subjects for ordering.
const MEMORY: usize = 4096;

struct Config {
    provider: Provider,
    secrets: Vec<Secret>,
    url: String,
    on_event: Option<Function>,
    limits: Limits,
    tolerance: Option<u64>,
    dedupe: bool,
    in_order: bool,
    seen: RefCell<VecDeque<String>>,
    latest: RefCell<VecDeque<(String, Value)>>,
}

struct Outcome {
    status: u16,
    json: String,
    event: Option<JsValue>,
}

fn json_of(value: &JsValue) -> String {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| "{}".into())
}

fn failure_with(status: u16, code: &str, message: &str) -> Outcome {
    let body = Object::new();
    set_property(&body, "ok", &false.into());
    let e = Object::new();
    set_property(&e, "code", &code.into());
    set_property(&e, "message", &message.into());
    set_property(&body, "error", &e);
    Outcome {
        status,
        json: json_of(&body.into()),
        event: None,
    }
}

fn failure(error: &KycError) -> Outcome {
    failure_with(http_status(error), error.code(), &error.to_string())
}

fn accepted(flag: Option<&str>, event: Option<JsValue>) -> Outcome {
    let body = Object::new();
    set_property(&body, "ok", &true.into());
    if let Some(flag) = flag {
        set_property(&body, flag, &true.into());
    }
    Outcome {
        status: 200,
        json: json_of(&body.into()),
        event,
    }
}

fn config_from(options: &JsValue) -> Result<Config, KycError> {
    if !options.is_object() {
        return Err(KycError::invalid_argument(
            "options must be {provider, secret, url, onEvent}",
        ));
    }
    let provider =
        match string_arg(&get(options, "provider", "options")?, "options.provider")?.as_str() {
            "ost" => Provider::Ost,
            "tot" => Provider::Tot,
            _ => {
                return Err(KycError::invalid_argument(
                    "options.provider must be \"ost\" or \"tot\"",
                ))
            }
        };
    let secrets = secrets_arg(&get(options, "secret", "options")?, "options.secret")?;
    let url = match provider {
        Provider::Ost => {
            let url = string_arg(&get(options, "url", "options")?, "options.url")?;
            ost::signing_url(&url)?;
            url
        }
        Provider::Tot => String::new(),
    };
    let on_event = get(options, "onEvent", "options")?;
    let on_event = if on_event.is_undefined() {
        None
    } else {
        Some(
            on_event
                .dyn_into::<Function>()
                .map_err(|_| KycError::invalid_argument("options.onEvent must be a function"))?,
        )
    };
    let tolerance = match number_opt(
        &get(options, "toleranceSeconds", "options")?,
        "options.toleranceSeconds",
    )? {
        None => Some(DEFAULT_TOLERANCE_SECONDS),
        Some(t) if t == f64::INFINITY => None,
        Some(t) if t.is_finite() && t >= 0.0 => Some(t as u64),
        Some(_) => {
            return Err(KycError::invalid_argument(
                "options.toleranceSeconds must be >= 0",
            ))
        }
    };
    let flag = |key: &'static str| -> Result<bool, KycError> {
        Ok(get(options, key, "options")?.as_bool().unwrap_or(true))
    };
    Ok(Config {
        provider,
        secrets,
        url,
        on_event,
        limits: limits_opt(options)?,
        tolerance,
        dedupe: flag("dedupe")?,
        in_order: flag("ignoreOutOfOrder")?,
        seen: RefCell::new(VecDeque::new()),
        latest: RefCell::new(VecDeque::new()),
    })
}

/// The key whose events must arrive in order: the TOT user, or the OST user.
fn subject(provider: Provider, event: &Value) -> Option<String> {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(crate::value::js_number(*n)),
        _ => None,
    };
    match provider {
        Provider::Tot => event.get("appUserId").and_then(text),
        Provider::Ost => {
            let data = event.get("data")?;
            let user = data
                .get("user")
                .and_then(|u| u.get("id"))
                .or_else(|| data.get("user_kyc")?.get("user_id"))?;
            text(user).map(|u| {
                format!(
                    "{}:{u}",
                    event.get("type").and_then(Value::as_str).unwrap_or("")
                )
            })
        }
    }
}

fn event_id(event: &Value) -> Option<String> {
    match event.get("eventId").or_else(|| event.get("id"))? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(crate::value::js_number(*n)),
        _ => None,
    }
}

impl Config {
    fn verify(&self, body: &JsValue, authorization: Option<String>) -> Result<Value, KycError> {
        let now = (js_sys::Date::now() / 1000.0).floor() as i64;
        match self.provider {
            Provider::Ost => {
                let options = VerifyOptions {
                    url: &self.url,
                    secrets: &self.secrets,
                    tolerance_seconds: self.tolerance,
                    now,
                    limits: self.limits,
                };
                let params = match ost_body_arg(body, &self.limits)? {
                    OstInput::Raw(bytes) => {
                        ost::verify_ost_webhook(OstBody::Raw(&bytes), &options)?
                    }
                    OstInput::Params(parsed) => {
                        ost::verify_ost_webhook(OstBody::Params(&parsed), &options)?
                    }
                };
                events::parse_ost_event(&params)
            }
            Provider::Tot => {
                let bytes = match body_arg(body, &self.limits, "body")? {
                    Body::Bytes(bytes) => bytes,
                    Body::Text(text, _) => text.into_bytes(),
                    Body::Object => return Err(KycError::malformed(
                        "the body was already parsed as JSON; mount this handler with a raw body \
                             (express.raw({type: \"*/*\"})): the signature covers the exact bytes",
                    )),
                };
                tot::verify_tot_webhook(
                    &bytes,
                    authorization.as_deref(),
                    &self.secrets,
                    &self.limits,
                )?;
                let text = std::str::from_utf8(&bytes)
                    .map_err(|_| KycError::malformed("the body is not UTF-8"))?;
                let parsed =
                    to_value(&parse_json(&JsValue::from_str(text))?, &self.limits, "body")?;
                events::parse_tot_event(&parsed)
            }
        }
    }

    fn handle(
        &self,
        method: Option<String>,
        body: &JsValue,
        authorization: Option<String>,
    ) -> Outcome {
        if method
            .as_deref()
            .is_some_and(|m| !m.eq_ignore_ascii_case("POST"))
        {
            return failure_with(
                405,
                "METHOD_NOT_ALLOWED",
                "webhooks are delivered with POST",
            );
        }
        let event = match self.verify(body, authorization) {
            Ok(event) => event,
            Err(e) => return failure(&e),
        };
        if self.dedupe {
            if let Some(id) = event_id(&event) {
                let mut seen = self.seen.borrow_mut();
                if seen.contains(&id) {
                    return accepted(Some("duplicate"), None);
                }
                if seen.len() >= MEMORY {
                    seen.pop_front();
                }
                seen.push_back(id);
            }
        }
        if self.in_order {
            if let Some(key) = subject(self.provider, &event) {
                let mut latest = self.latest.borrow_mut();
                let stored = latest
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone());
                if stored.is_some()
                    && !events::is_newer_event(stored.as_ref(), &event).unwrap_or(true)
                {
                    return accepted(Some("outOfOrder"), None);
                }
                latest.retain(|(k, _)| *k != key);
                if latest.len() >= MEMORY {
                    latest.pop_front();
                }
                latest.push_back((key, event.clone()));
            }
        }
        accepted(None, Some(from_value(&event)))
    }

    /// Calls `onEvent` after the answer has gone out; its errors (thrown or rejected) are logged, not raised.
    fn dispatch(&self, event: JsValue) {
        let Some(on_event) = &self.on_event else {
            return;
        };
        match on_event.call1(&JsValue::NULL, &event) {
            Ok(result) => {
                if let Ok(promise) = result.dyn_into::<Promise>() {
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(e) = JsFuture::from(promise).await {
                            web_sys::console::error_2(&"kyc-wasm: onEvent rejected".into(), &e);
                        }
                    });
                }
            }
            Err(e) => web_sys::console::error_2(&"kyc-wasm: onEvent threw".into(), &e),
        }
    }
}

fn header(headers: &JsValue, name: &'static str) -> Option<String> {
    // node:http lower-cases header names; a Fetch `Headers` object has `get`.
    if let Ok(getter) = get(headers, "get", "headers").and_then(|g| {
        g.dyn_into::<Function>()
            .map_err(|_| KycError::invalid_argument("headers.get is not a function"))
    }) {
        return getter
            .call1(headers, &name.into())
            .ok()
            .and_then(|v| v.as_string());
    }
    get(headers, name, "headers")
        .ok()
        .and_then(|v| v.as_string())
}

fn fetch_form(config: Rc<Config>) -> JsValue {
    Closure::<dyn FnMut(JsValue) -> Promise>::new(move |request: JsValue| {
        let config = Rc::clone(&config);
        wasm_bindgen_futures::future_to_promise(async move {
            let method = get(&request, "method", "request")
                .ok()
                .and_then(|m| m.as_string());
            let headers = get(&request, "headers", "request").unwrap_or(JsValue::UNDEFINED);
            let declared = header(&headers, "content-length").and_then(|l| l.parse::<usize>().ok());
            if let Some(length) = declared.filter(|l| *l > config.limits.max_body_bytes) {
                let out = failure(&KycError::BodyTooLarge {
                    actual: length,
                    limit: config.limits.max_body_bytes,
                });
                return Ok(fetch_response(out.status, &out.json));
            }
            let body = match get(&request, "arrayBuffer", "request")
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .and_then(|f| f.call0(&request).ok())
                .and_then(|p| p.dyn_into::<Promise>().ok())
            {
                Some(p) => match JsFuture::from(p).await {
                    Ok(buffer) => js_sys::Uint8Array::new(&buffer).into(),
                    Err(_) => JsValue::UNDEFINED,
                },
                None => JsValue::UNDEFINED,
            };
            let out = config.handle(method, &body, header(&headers, "authorization"));
            let response = fetch_response(out.status, &out.json);
            if let Some(event) = out.event {
                config.dispatch(event);
            }
            Ok(response)
        })
    })
    .into_js_value()
}

/// `webhookHandler({provider, secret, url, onEvent, ...})`: a `(req, res)` handler for `node:http`, with the
/// Fetch-API form as its `.fetch` property.
#[wasm_bindgen(js_name = webhookHandler, skip_typescript)]
pub fn webhook_handler(options: JsValue) -> Result<JsValue, JsValue> {
    let config = Rc::new(config_from(&options).map_err(super::interop::to_js_error)?);
    let node_config = Rc::clone(&config);
    let handler = Closure::<dyn FnMut(JsValue, JsValue) -> Promise>::new(
        move |req: JsValue, res: JsValue| {
            let config = Rc::clone(&node_config);
            wasm_bindgen_futures::future_to_promise(async move {
                let method = get(&req, "method", "req").ok().and_then(|m| m.as_string());
                let headers = get(&req, "headers", "req").unwrap_or(JsValue::UNDEFINED);
                let limit = config.limits.max_body_bytes as f64;
                let out = match JsFuture::from(read_body(&req, limit)).await {
                    Ok(body) => config.handle(method, &body, header(&headers, "authorization")),
                    Err(e) => match number_opt(
                        &get(&e, "tooLarge", "error").unwrap_or(JsValue::UNDEFINED),
                        "tooLarge",
                    ) {
                        Ok(Some(size)) => failure(&KycError::BodyTooLarge {
                            actual: size as usize,
                            limit: config.limits.max_body_bytes,
                        }),
                        _ => failure(&KycError::malformed("the request body could not be read")),
                    },
                };
                respond(&res, out.status, &out.json);
                if let Some(event) = out.event {
                    config.dispatch(event);
                }
                Ok(JsValue::UNDEFINED)
            })
        },
    )
    .into_js_value();
    let _ = Reflect::set(&handler, &"fetch".into(), &fetch_form(config));
    Ok(handler)
}

/// `webhookFetchHandler(options)`: `(request: Request) => Promise<Response>`, for Fetch runtimes.
#[wasm_bindgen(js_name = webhookFetchHandler, skip_typescript)]
pub fn webhook_fetch_handler(options: JsValue) -> Result<JsValue, JsValue> {
    let config = Rc::new(config_from(&options).map_err(super::interop::to_js_error)?);
    Ok(fetch_form(config))
}
