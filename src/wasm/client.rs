//! `OstKycClient` and `presignedUrlRequest` (Node build: they hold or take the API secret).
//!
//! The client sends through the injected `fetch` (or the global one), signs every attempt afresh, retries
//! idempotent GETs on network errors and 5xx with jittered backoff, never retries a POST, and bounds each
//! call, retries included, by `timeoutMs` (an `AbortController` plus a timer race, so that a `fetch` that
//! ignores the signal still times out). The randomness is read here, the clock in [`super::clock`].

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::clock;
use super::ost_api::{
    credentials_arg, email_call, optional_value, presigned_call, problems_to_js, required_names,
    required_value, timestamp_arg,
};
use crate::error::KycError;
use crate::ost_api::builders::{self, Call, EmailKind, Method};
use crate::ost_api::responses::{email_refusal, error_data, parse_response, ApiResponse};
use crate::ost_api::submission::validate_kyc_submission;
use crate::ost_api::{is_retryable_status, retry_delay_ms};
use crate::signing::Credentials;
use crate::upload::UploadTarget;
use crate::value::{Limits, Value};
use crate::wasm::interop::{
    from_value, get, number_opt, parse_json, set_property, string_arg, to_js_error, to_value,
    type_name,
};
use crate::wasm::upload::target_to_js;

type JsResult<T> = Result<T, JsValue>;

const DEFAULT_BASE_URL: &str = builders::PRODUCTION_BASE_URL;
const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
const DEFAULT_RETRIES: u32 = 2;
const DEFAULT_RETRY_DELAY_MS: f64 = 250.0;
const MAX_RETRIES: u32 = 10;

/// Where a page iterator stands: items of the last page not yet handed out, the parameters of the next
/// page, and how it ends once the items run out.
struct Pages {
    items: VecDeque<JsValue>,
    next: Option<JsValue>,
    seen: Vec<String>,
    /// `Some(Ok)`: finished; `Some(Err(e))`: reject with `e` (once), then finished.
    end: Option<Result<(), JsValue>>,
}

/// `{value, done}`.
fn step(value: &JsValue, done: bool) -> JsValue {
    let result = Object::new();
    set_property(&result, "value", value);
    set_property(&result, "done", &done.into());
    result.into()
}

/// One `next()`: the next item, fetching `client[method](params)` when the last page is used up, following
/// `meta.next_page_payload` until it is empty or a page has no items; a payload seen before ends it with
/// `loop_error` (after the page's items).
async fn next_item(
    state: Rc<RefCell<Pages>>,
    client: JsValue,
    method: Function,
    loop_error: JsValue,
) -> JsResult<JsValue> {
    loop {
        let params = {
            let mut pages = state.borrow_mut();
            if let Some(item) = pages.items.pop_front() {
                return Ok(step(&item, false));
            }
            match pages.end.take() {
                Some(Err(e)) => {
                    pages.end = Some(Ok(()));
                    return Err(e);
                }
                Some(Ok(())) => {
                    pages.end = Some(Ok(()));
                    return Ok(step(&JsValue::UNDEFINED, true));
                }
                None => pages.next.take().unwrap_or(JsValue::UNDEFINED),
            }
        };
        let page = match method
            .call1(&client, &params)
            .and_then(|p| p.dyn_into::<Promise>())
        {
            Ok(promise) => JsFuture::from(promise).await,
            Err(e) => Err(e),
        };
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                state.borrow_mut().end = Some(Ok(()));
                return Err(e);
            }
        };
        let items = Reflect::get(&page, &"items".into())
            .ok()
            .and_then(|i| i.dyn_into::<js_sys::Array>().ok())
            .unwrap_or_default();
        let payload = Reflect::get(&page, &"meta".into())
            .ok()
            .filter(|m| m.is_object())
            .and_then(|m| Reflect::get(&m, &"next_page_payload".into()).ok())
            .unwrap_or(JsValue::NULL);
        let mut pages = state.borrow_mut();
        pages.items.extend(items.iter());
        if !payload.is_truthy() || items.length() == 0 {
            pages.end = Some(Ok(()));
            continue;
        }
        let key = js_sys::JSON::stringify(&payload)
            .ok()
            .and_then(|k| k.as_string())
            .unwrap_or_default();
        if pages.seen.contains(&key) {
            pages.end = Some(Err(loop_error.clone()));
        } else {
            pages.seen.push(key);
            pages.next = Some(payload);
        }
    }
}

/// An async iterator over the items of every page of `client[method]`: an object with `next()`,
/// `return()` and `[Symbol.asyncIterator]` (which returns it). Built from closures rather than an async
/// generator compiled with `new Function`, which Cloudflare Workers and edge runtimes refuse.
fn ost_pages(
    client: JsValue,
    method: &str,
    params: JsValue,
    loop_error: JsValue,
) -> JsResult<JsValue> {
    let method: Function = Reflect::get(&client, &method.into())?.dyn_into()?;
    let state = Rc::new(RefCell::new(Pages {
        items: VecDeque::new(),
        next: Some(params),
        seen: Vec::new(),
        end: None,
    }));
    let iterator = Object::new();
    let pages = Rc::clone(&state);
    let next = Closure::<dyn FnMut() -> Promise>::new(move || {
        future_to_promise(next_item(
            Rc::clone(&pages),
            client.clone(),
            method.clone(),
            loop_error.clone(),
        ))
    });
    let finish = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |value: JsValue| {
        let mut pages = state.borrow_mut();
        pages.items.clear();
        pages.next = None;
        pages.end = Some(Ok(()));
        Promise::resolve(&step(&value, true))
    });
    set_property(&iterator, "next", &next.into_js_value());
    set_property(&iterator, "return", &finish.into_js_value());
    // `Object.prototype.valueOf` returns its `this`: the iterator itself, with no reference cycle.
    let this = Reflect::get(&Object::new(), &"valueOf".into())?;
    Reflect::set(&iterator, &js_sys::Symbol::async_iterator(), &this)?;
    Ok(iterator.into())
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout_with(handler: &Function, ms: f64, argument: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

struct Inner {
    credentials: Credentials,
    base_url: String,
    timeout_ms: f64,
    retries: u32,
    retry_delay_ms: f64,
    fetch: Function,
}

/// Limits for reading responses: a page of 100 users is far below these.
fn response_limits() -> Limits {
    Limits {
        max_body_bytes: 16 << 20,
        max_params: 1 << 20,
        ..Limits::default()
    }
}

fn option(options: &JsValue, key: &'static str) -> Result<(JsValue, String), KycError> {
    Ok((get(options, key, "options")?, format!("options.{key}")))
}

fn base_url_arg(options: &JsValue) -> Result<String, KycError> {
    let (value, path) = option(options, "baseUrl")?;
    let (sandbox, sandbox_path) = option(options, "sandbox")?;
    let sandbox = match sandbox.as_bool() {
        Some(flag) => flag,
        None if sandbox.is_undefined() || sandbox.is_null() => false,
        None => {
            return Err(KycError::invalid_argument(format!(
                "{sandbox_path} must be true or false, got {}",
                type_name(&sandbox)
            )))
        }
    };
    if value.is_undefined() || value.is_null() {
        return Ok(if sandbox {
            builders::SANDBOX_BASE_URL
        } else {
            DEFAULT_BASE_URL
        }
        .into());
    }
    if sandbox {
        return Err(KycError::invalid_argument(
            "options.sandbox and options.baseUrl are exclusive: sandbox: true means baseUrl https://kyc.sandboxost.com",
        ));
    }
    let url = string_arg(&value, &path)?;
    let lower = url.to_ascii_lowercase();
    let has_scheme = lower.starts_with("http://") || lower.starts_with("https://");
    if !has_scheme || url.contains(['?', '#']) || url.chars().any(char::is_whitespace) {
        return Err(KycError::invalid_argument(
            "options.baseUrl must be an http(s) origin such as https://kyc.ost.com, without a query string",
        ));
    }
    let trimmed = url.trim_end_matches('/');
    // Accept the API root too: the paths already start with /api/v2.
    let trimmed = trimmed.strip_suffix("/api/v2").unwrap_or(trimmed);
    Ok(trimmed.to_string())
}

fn global(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

impl Inner {
    fn from_options(options: &JsValue) -> Result<Inner, KycError> {
        if !options.is_object() {
            return Err(KycError::invalid_argument(format!(
                "options must be {{apiKey, apiSecret, baseUrl?, timeoutMs?, fetch?}}, got {}",
                type_name(options)
            )));
        }
        let credentials = credentials_arg(options, "options")?;
        let base_url = base_url_arg(options)?;
        let (value, path) = option(options, "timeoutMs")?;
        let timeout_ms = match number_opt(&value, &path)? {
            None => DEFAULT_TIMEOUT_MS,
            Some(ms) if ms.is_finite() && ms > 0.0 => ms,
            Some(_) => {
                return Err(KycError::invalid_argument(
                    "options.timeoutMs must be a positive number of milliseconds",
                ))
            }
        };
        let (value, path) = option(options, "retries")?;
        let retries = match number_opt(&value, &path)? {
            None => DEFAULT_RETRIES,
            Some(n) if n.fract() == 0.0 && (0.0..=f64::from(MAX_RETRIES)).contains(&n) => n as u32,
            Some(_) => {
                return Err(KycError::invalid_argument(format!(
                    "options.retries must be a whole number from 0 to {MAX_RETRIES}"
                )))
            }
        };
        let (value, path) = option(options, "retryDelayMs")?;
        let retry_delay_ms = match number_opt(&value, &path)? {
            None => DEFAULT_RETRY_DELAY_MS,
            Some(ms) if ms.is_finite() && ms >= 0.0 => ms,
            Some(_) => {
                return Err(KycError::invalid_argument(
                    "options.retryDelayMs must be a number of milliseconds >= 0",
                ))
            }
        };
        let (value, _) = option(options, "fetch")?;
        let fetch = if value.is_undefined() || value.is_null() {
            let fetch = global("fetch");
            if !fetch.is_function() {
                return Err(KycError::invalid_argument(
                    "there is no global fetch (Node 18 or later has one): pass options.fetch",
                ));
            }
            fetch
        } else if value.is_function() {
            value
        } else {
            return Err(KycError::invalid_argument(format!(
                "options.fetch must be a function like the global fetch, got {}",
                type_name(&value)
            )));
        };
        Ok(Inner {
            credentials,
            base_url,
            timeout_ms,
            retries,
            retry_delay_ms,
            fetch: fetch.unchecked_into(),
        })
    }
}

/// What one attempt gave.
enum Attempt {
    /// An HTTP answer, its status and body text.
    Answer(u16, String),
    /// Nothing before the deadline.
    TimedOut,
    /// `fetch` rejected (connection refused, reset, DNS…): a description without the URL.
    NetworkError(String),
}

/// A promise settled by a timer, and the timer's id.
fn timer(ms: f64, value: &JsValue) -> (Promise, JsValue) {
    let mut id = JsValue::UNDEFINED;
    let promise = Promise::new(&mut |resolve, _reject| {
        id = set_timeout_with(&resolve, ms.max(0.0), value);
    });
    (promise, id)
}

async fn sleep(ms: f64) {
    let promise = Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, ms.max(0.0));
    });
    let _ = JsFuture::from(promise).await;
}

/// Describes a `fetch` rejection without echoing the URL (its query carries the signature).
fn describe_network_error(error: &JsValue, url: &str, query: Option<&str>) -> String {
    let text =
        |v: &JsValue, key: &'static str| get(v, key, "error").ok().and_then(|s| s.as_string());
    let mut out = text(error, "name").unwrap_or_else(|| "Error".into());
    if let Some(message) = text(error, "message") {
        out.push_str(": ");
        out.push_str(&message);
    }
    if let Ok(cause) = get(error, "cause", "error") {
        if let Some(code) = text(&cause, "code") {
            out.push_str(&format!(" ({code})"));
        } else if let Some(message) = text(&cause, "message") {
            out.push_str(&format!(" ({message})"));
        }
    }
    // codec::replace, not str::replace: no two-way string searcher in the module (issue 16, size).
    let mut out = crate::codec::replace(&out, url, "<url>");
    if let Some(query) = query {
        out = crate::codec::replace(&out, query, "<query>");
    }
    out
}

async fn attempt(inner: &Inner, call: &Call, deadline: f64) -> Result<Attempt, KycError> {
    let request = call.sign(
        &inner.credentials,
        clock::unix_seconds(),
        &Limits::default(),
    )?;
    let url = format!("{}{}", inner.base_url, request.path_and_query());
    let remaining = deadline - clock::now_ms();
    if remaining <= 0.0 {
        return Ok(Attempt::TimedOut);
    }
    let init = Object::new();
    set_property(&init, "method", &request.method.as_str().into());
    let headers = Object::new();
    set_property(&headers, "accept", &"application/json".into());
    if let Some(body) = request.body() {
        set_property(
            &headers,
            "content-type",
            &"application/x-www-form-urlencoded".into(),
        );
        set_property(&init, "body", &body.into());
    }
    set_property(&init, "headers", &headers);
    let abort_controller: Function = global("AbortController").unchecked_into();
    let controller = Reflect::construct(&abort_controller, &js_sys::Array::new())
        .ok()
        .filter(|c| c.is_object());
    if let Some(controller) = &controller {
        if let Ok(signal) = Reflect::get(controller, &"signal".into()) {
            set_property(&init, "signal", &signal);
        }
    }
    let abort = || {
        if let Some(controller) = &controller {
            if let Ok(abort) = Reflect::get(controller, &"abort".into()) {
                if let Some(abort) = abort.dyn_ref::<Function>() {
                    let _ = abort.call0(controller);
                }
            }
        }
    };
    let sentinel: JsValue = Object::new().into();
    let (deadline_promise, timer_id) = timer(remaining, &sentinel);
    let race = |promise: &JsValue| {
        Promise::race(&js_sys::Array::of2(
            &Promise::resolve(promise),
            &deadline_promise,
        ))
    };
    let network_error =
        |e: &JsValue| Attempt::NetworkError(describe_network_error(e, &url, request.query()));
    let fetched = match inner
        .fetch
        .call2(&JsValue::UNDEFINED, &JsValue::from_str(&url), &init)
    {
        Ok(promise) => JsFuture::from(race(&promise)).await,
        Err(e) => Err(e),
    };
    let response = match fetched {
        Ok(r) if js_sys::Object::is(&r, &sentinel) => {
            abort();
            return Ok(Attempt::TimedOut);
        }
        Ok(r) => r,
        Err(e) => {
            clear_timeout(&timer_id);
            return Ok(network_error(&e));
        }
    };
    let status = get(&response, "status", "response")?
        .as_f64()
        .filter(|s| (100.0..=999.0).contains(s))
        .map(|s| s as u16);
    let Some(status) = status else {
        clear_timeout(&timer_id);
        return Err(KycError::malformed(
            "fetch resolved to something without an HTTP status: options.fetch must behave like fetch",
        ));
    };
    let text_method = get(&response, "text", "response")?;
    let read = match text_method.dyn_ref::<Function>() {
        Some(text) => match text.call0(&response) {
            Ok(promise) => JsFuture::from(race(&promise)).await,
            Err(e) => Err(e),
        },
        None => Ok(JsValue::from_str("")),
    };
    let attempt = match read {
        Ok(t) if js_sys::Object::is(&t, &sentinel) => {
            abort();
            return Ok(Attempt::TimedOut);
        }
        Ok(t) => Attempt::Answer(status, t.as_string().unwrap_or_default()),
        Err(e) => network_error(&e),
    };
    clear_timeout(&timer_id);
    Ok(attempt)
}

fn parse_body(text: &str) -> Option<Value> {
    if text.trim().is_empty() {
        return None;
    }
    let parsed = parse_json(&JsValue::from_str(text)).ok()?;
    to_value(&parsed, &response_limits(), "response").ok()
}

/// `{[fileKey]: target}`: the full upload targets, each with the content type it was requested for.
fn targets_to_js(call: &Call, targets: Vec<UploadTarget>) -> Object {
    let requested = call.params.get("files");
    let out = Object::new();
    for mut target in targets {
        if let Some(Value::String(t)) = requested.and_then(|files| files.get(&target.key)) {
            target.content_type = Some(t.clone());
        }
        set_property(&out, &target.key, &target_to_js(&target));
    }
    out
}

fn answer_to_js(call: &Call, context: &str, status: u16, text: &str) -> JsResult<JsValue> {
    let body = parse_body(text);
    match parse_response(
        call.kind,
        status,
        body.as_ref(),
        context,
        clock::unix_seconds(),
    ) {
        Ok(ApiResponse::PresignedUrls(_, targets)) => Ok(targets_to_js(call, targets).into()),
        Ok(response) => Ok(from_value(&response.to_value())),
        Err(error) => {
            let is_api = matches!(error, KycError::Api { .. });
            let refusal = email_refusal(call.kind, &error);
            let js = to_js_error(error);
            if let Some(reason) = refusal {
                let _ = Reflect::set(&js, &"reason".into(), &reason.into());
            }
            if is_api {
                if let Some(data) = body.as_ref().and_then(error_data) {
                    let _ = Reflect::set(&js, &"errorData".into(), &from_value(data));
                }
            }
            Err(js)
        }
    }
}

/// Sends `call`: fresh signature per attempt, GET retries, one deadline for the whole call.
async fn send(inner: Rc<Inner>, call: Call) -> JsResult<JsValue> {
    let context = format!("{} {}", call.method.as_str(), call.path);
    let deadline = clock::now_ms() + inner.timeout_ms;
    let attempts = if call.method.is_idempotent() {
        inner.retries + 1
    } else {
        1
    };
    let timed_out = || {
        to_js_error(KycError::Timeout(format!(
            "{context}: no answer within {} ms (options.timeoutMs, retries included)",
            // As JavaScript writes the number (ryu-js, already linked): `{}` on an f64 links core's float
            // formatting, 14 KB of code and tables (issue 16, size).
            crate::value::js_number(inner.timeout_ms)
        )))
    };
    let mut number = 0;
    loop {
        number += 1;
        let outcome = attempt(&inner, &call, deadline).await?;
        let last_error = match outcome {
            Attempt::TimedOut => return Err(timed_out()),
            Attempt::Answer(status, text) if is_retryable_status(status) && number < attempts => {
                answer_to_js(&call, &context, status, &text).err()
            }
            Attempt::Answer(status, text) => return answer_to_js(&call, &context, status, &text),
            Attempt::NetworkError(description) => {
                let error = to_js_error(KycError::Api {
                    code: "NETWORK_ERROR".into(),
                    msg: format!(
                        "{context}: {description} ({number} attempt{})",
                        if number == 1 { "" } else { "s" }
                    ),
                    internal_id: String::new(),
                    status: None,
                });
                if number >= attempts {
                    return Err(error);
                }
                Some(error)
            }
        };
        let delay = retry_delay_ms(number, inner.retry_delay_ms, js_sys::Math::random());
        if clock::now_ms() + delay >= deadline {
            return Err(last_error.unwrap_or_else(timed_out));
        }
        sleep(delay).await;
    }
}

fn run(inner: &Rc<Inner>, call: Result<Call, KycError>) -> js_sys::Promise {
    match call {
        Ok(call) => {
            let inner = Rc::clone(inner);
            future_to_promise(send(inner, call))
        }
        Err(e) => Promise::reject(&to_js_error(e)),
    }
}

/// The OST KYC API client (Node build: it holds the API secret).
#[wasm_bindgen(skip_typescript)]
pub struct OstKycClient {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl OstKycClient {
    /// `new OstKycClient({apiKey, apiSecret, baseUrl?, timeoutMs?, fetch?, retries?, retryDelayMs?})`.
    #[wasm_bindgen(constructor, skip_typescript)]
    pub fn new(options: JsValue) -> Result<OstKycClient, KycError> {
        Inner::from_options(&options).map(|inner| OstKycClient {
            inner: Rc::new(inner),
        })
    }

    /// The API origin requests go to.
    #[wasm_bindgen(getter, js_name = baseUrl, skip_typescript)]
    pub fn base_url(&self) -> String {
        self.inner.base_url.clone()
    }

    /// `createUser(email)`: the created user object.
    #[wasm_bindgen(js_name = createUser, skip_typescript)]
    pub fn create_user(&self, email: JsValue) -> Promise {
        run(
            &self.inner,
            required_value(&email, "email").and_then(|e| builders::create_user(&e)),
        )
    }

    /// `getUser(id)`: the user object.
    #[wasm_bindgen(js_name = getUser, skip_typescript)]
    pub fn get_user(&self, id: JsValue) -> Promise {
        run(
            &self.inner,
            required_value(&id, "id").and_then(|id| builders::get_user(&id)),
        )
    }

    /// `listUsers(params?)`: one page, `{items, meta}`.
    #[wasm_bindgen(js_name = listUsers, skip_typescript)]
    pub fn list_users(&self, params: JsValue) -> Promise {
        run(
            &self.inner,
            optional_value(&params, "params").and_then(|p| builders::list_users(&p)),
        )
    }

    /// `submitKyc(userId, fields, {required?, validate?})`: validates, then posts; the user-kyc object.
    #[wasm_bindgen(js_name = submitKyc, skip_typescript)]
    pub fn submit_kyc(&self, user_id: JsValue, fields: JsValue, options: JsValue) -> Promise {
        let checked = || -> Result<Call, JsValue> {
            let user_id = required_value(&user_id, "userId")?;
            let fields = required_value(&fields, "fields")?;
            let validate = get(&options, "validate", "options")?
                .as_bool()
                .unwrap_or(true);
            if validate {
                let required = required_names(&options)?;
                let problems =
                    validate_kyc_submission(&fields, required.as_deref(), clock::unix_seconds())?;
                if !problems.is_empty() {
                    let summary: Vec<String> = problems
                        .iter()
                        .map(|p| format!("{} ({})", p.field, p.code.as_str()))
                        .collect();
                    let error = to_js_error(KycError::invalid_argument(format!(
                        "the KYC fields fail validation, nothing was sent: {}; see error.problems",
                        summary.join(", ")
                    )));
                    let _ = Reflect::set(&error, &"problems".into(), &problems_to_js(&problems));
                    return Err(error);
                }
            }
            builders::submit_kyc(&user_id, &fields).map_err(to_js_error)
        };
        match checked() {
            Ok(call) => run(&self.inner, Ok(call)),
            Err(error) => Promise::reject(&error),
        }
    }

    /// `getUserKyc(userId)`: the user-kyc object (status of the last submission).
    #[wasm_bindgen(js_name = getUserKyc, skip_typescript)]
    pub fn get_user_kyc(&self, user_id: JsValue) -> Promise {
        run(
            &self.inner,
            required_value(&user_id, "userId").and_then(|id| builders::get_user_kyc(&id)),
        )
    }

    /// `listUsersKyc(params?)`: one page, `{items, meta}`.
    #[wasm_bindgen(js_name = listUsersKyc, skip_typescript)]
    pub fn list_users_kyc(&self, params: JsValue) -> Promise {
        run(
            &self.inner,
            optional_value(&params, "params").and_then(|p| builders::list_users_kyc(&p)),
        )
    }

    /// `getUserKycDetail(userId)`: the user-kyc-detail object.
    #[wasm_bindgen(js_name = getUserKycDetail, skip_typescript)]
    pub fn get_user_kyc_detail(&self, user_id: JsValue) -> Promise {
        run(
            &self.inner,
            required_value(&user_id, "userId").and_then(|id| builders::get_user_kyc_detail(&id)),
        )
    }

    /// `validateEthereumAddress(address)`: `true` or `false`, as the server judges it.
    #[wasm_bindgen(js_name = validateEthereumAddress, skip_typescript)]
    pub fn validate_ethereum_address(&self, address: JsValue) -> Promise {
        run(
            &self.inner,
            required_value(&address, "address")
                .and_then(|a| builders::validate_ethereum_address(&a)),
        )
    }

    /// `getPresignedUrls(kind, files)`: `{[fileKey]: {url, fields}}`.
    #[wasm_bindgen(js_name = getPresignedUrls, skip_typescript)]
    pub fn get_presigned_urls(&self, kind: JsValue, files: JsValue) -> Promise {
        run(&self.inner, presigned_call(&kind, &files))
    }

    /// `sendApproveEmail(userId, templateVars?)`: OST e-mails the user that the KYC is approved; `true`.
    /// Refused (API_ERROR, `reason: "kyc_not_approved"`) unless it is.
    #[wasm_bindgen(js_name = sendApproveEmail, skip_typescript)]
    pub fn send_approve_email(&self, user_id: JsValue, template_vars: JsValue) -> Promise {
        run(
            &self.inner,
            email_call(EmailKind::Approve, &user_id, &template_vars),
        )
    }

    /// `sendDenyEmail(userId, templateVars?)`: `true`; `reason: "kyc_not_denied"` unless it is denied.
    #[wasm_bindgen(js_name = sendDenyEmail, skip_typescript)]
    pub fn send_deny_email(&self, user_id: JsValue, template_vars: JsValue) -> Promise {
        run(
            &self.inner,
            email_call(EmailKind::Deny, &user_id, &template_vars),
        )
    }

    /// `sendReportIssueEmail(userId, templateVars?)`: `true`; `reason: "kyc_not_reported_issue"` unless an
    /// admin reported an issue.
    #[wasm_bindgen(js_name = sendReportIssueEmail, skip_typescript)]
    pub fn send_report_issue_email(&self, user_id: JsValue, template_vars: JsValue) -> Promise {
        run(
            &self.inner,
            email_call(EmailKind::ReportIssue, &user_id, &template_vars),
        )
    }

    /// `iterateUsers(params?)`: an async iterator over every user, following `meta.next_page_payload`.
    #[wasm_bindgen(js_name = iterateUsers, skip_typescript)]
    pub fn iterate_users(&self, params: JsValue) -> JsResult<JsValue> {
        let call = optional_value(&params, "params").and_then(|p| builders::list_users(&p));
        self.pages("listUsers", params, call)
    }

    /// `iterateUsersKyc(params?)`: an async iterator over every user-kyc object.
    #[wasm_bindgen(js_name = iterateUsersKyc, skip_typescript)]
    pub fn iterate_users_kyc(&self, params: JsValue) -> JsResult<JsValue> {
        let call = optional_value(&params, "params").and_then(|p| builders::list_users_kyc(&p));
        self.pages("listUsersKyc", params, call)
    }
}

impl OstKycClient {
    fn pages(
        &self,
        method: &str,
        params: JsValue,
        call: Result<Call, KycError>,
    ) -> JsResult<JsValue> {
        call?;
        let client = OstKycClient {
            inner: Rc::clone(&self.inner),
        };
        let loop_error = to_js_error(KycError::malformed(format!(
            "{method}: meta.next_page_payload repeats an earlier page; stopping instead of looping"
        )));
        ost_pages(client.into(), method, params, loop_error)
    }
}

/// `presignedUrlRequest(kind, files, credentials, options?)`: `{endpoint, method, query, stringToSign}`
/// for `/api/v2/users-kyc/pre-signed-urls/for-put` or `/for-post` (Node build: it takes the API secret).
#[wasm_bindgen(js_name = presignedUrlRequest, skip_typescript)]
pub fn presigned_url_request(
    kind: JsValue,
    files: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    let call = presigned_call(&kind, &files)?;
    let credentials = credentials_arg(&credentials, "credentials")?;
    let request = call.sign(&credentials, timestamp_arg(&options)?, &Limits::default())?;
    let out = Object::new();
    set_property(&out, "endpoint", &request.path.as_str().into());
    set_property(&out, "method", &Method::Get.as_str().into());
    set_property(&out, "query", &request.signed.query.as_str().into());
    set_property(
        &out,
        "stringToSign",
        &request.signed.string_to_sign.as_str().into(),
    );
    Ok(JsValue::from(out))
}
