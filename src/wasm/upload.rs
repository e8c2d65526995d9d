//! Uploads through pre-signed S3 URLs: `parseUploadTargets`, `kycFilePaths` and `uploadFile`, in both builds.
//!
//! Every check is the core's ([`crate::upload`]); this file reads files, sends requests and reports
//! progress. The browser build sends with `XMLHttpRequest`, the only browser API with upload progress; the
//! Node build with the global `fetch`, `FormData` and `Blob` of Node 18+. Files are never copied into wasm
//! memory: only their first bytes are, to check the magic bytes.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Blob, BlobPropertyBag, FormData};

use super::clock;
use super::interop::{
    self, from_value, get, number_opt, parse_json, set_property, string_arg, to_value, type_name,
};
use crate::calendar::seconds_from_f64;
use crate::error::KycError;
use crate::upload::{self, FileInfo, Method, UploadOptions, UploadPlan, UploadTarget};
use crate::value::{Limits, Value};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("upload.d.ts");

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

fn bytes_opt(options: &JsValue, key: &'static str, default: u64) -> Result<u64, KycError> {
    match number_opt(&get(options, key, "options")?, &format!("options.{key}"))? {
        None => Ok(default),
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 9.0e15 => Ok(n as u64),
        Some(_) => Err(KycError::invalid_argument(format!(
            "options.{key} must be a whole number of bytes >= 0"
        ))),
    }
}

fn string_opt(value: &JsValue, path: &str) -> Result<Option<String>, KycError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    string_arg(value, path).map(Some)
}

fn object_entries(value: &JsValue, path: &str) -> Result<Vec<(String, Value)>, KycError> {
    match to_value(value, &Limits::default(), path)? {
        Value::Object(entries) => Ok(entries),
        _ => Err(KycError::invalid_argument(format!(
            "{path} must be an object, got {}",
            type_name(value)
        ))),
    }
}

// ---------------------------------------------------------------------------------------------------------
// parseUploadTargets, kycFilePaths

fn files_opt(options: &JsValue) -> Result<Option<Vec<(String, String)>>, KycError> {
    let files = get(options, "files", "options")?;
    if files.is_undefined() || files.is_null() {
        return Ok(None);
    }
    object_entries(&files, "options.files")?
        .into_iter()
        .map(|(key, value)| match value {
            Value::String(t) => Ok((key, t)),
            _ => Err(KycError::invalid_argument(format!(
                "options.files.{key} must be a content type string, such as \"image/jpeg\""
            ))),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// An [`UploadTarget`] as JavaScript sees it: `{key, method, url, fields, expiresAt, contentType}`.
pub(crate) fn target_to_js(target: &UploadTarget) -> Object {
    let out = Object::new();
    set_property(&out, "key", &target.key.as_str().into());
    set_property(&out, "method", &target.method.as_str().into());
    set_property(&out, "url", &target.url.as_str().into());
    let fields = Object::new();
    for (k, v) in &target.fields {
        set_property(&fields, k, &v.as_str().into());
    }
    set_property(&out, "fields", &fields);
    set_property(&out, "expiresAt", &(target.expires_at as f64).into());
    set_property(
        &out,
        "contentType",
        &target
            .content_type
            .as_deref()
            .map(JsValue::from_str)
            .unwrap_or(JsValue::NULL),
    );
    out
}

/// `parseUploadTargets(response, {now, files})`: one target per file key of a `file_upload_put` or
/// `file_upload_post` response.
#[wasm_bindgen(js_name = parseUploadTargets, skip_typescript)]
pub fn parse_upload_targets(response: JsValue, options: JsValue) -> Result<JsValue, KycError> {
    let limits = Limits::default();
    let response = if response.is_string() {
        to_value(&parse_json(&response)?, &limits, "response")?
    } else if response.is_object() {
        to_value(&response, &limits, "response")?
    } else {
        return Err(KycError::invalid_argument(format!(
            "response must be the pre-signed URL endpoint's JSON (an object or its text), got {}",
            type_name(&response)
        )));
    };
    let now = clock::now_option(&options)?;
    let files = files_opt(&options)?;
    let targets = upload::parse_upload_targets(&response, files.as_deref(), now)?;
    Ok(targets
        .iter()
        .map(|t| JsValue::from(target_to_js(t)))
        .collect::<Array>()
        .into())
}

fn object_key_of(item: &JsValue, path: &str) -> Result<String, KycError> {
    if item.is_string() {
        return string_arg(item, path);
    }
    let fields = get(item, "fields", path)?;
    string_arg(
        &get(&fields, "key", &format!("{path}.fields"))?,
        &format!("{path}.fields.key"),
    )
}

/// `kycFilePaths(uploaded)`: the KYC submission fields for uploaded targets (an array of targets, or an
/// object of them by file key).
#[wasm_bindgen(js_name = kycFilePaths, skip_typescript)]
pub fn kyc_file_paths(uploaded: JsValue) -> Result<JsValue, KycError> {
    let mut pairs = Vec::new();
    // Every read of the caller's value is caught: a Proxy whose traps throw is a KycError.
    if uploaded.is_object() && interop::is_array_checked(&uploaded, "uploaded")? {
        for (i, item) in interop::array_items(&uploaded, "uploaded")?
            .into_iter()
            .enumerate()
        {
            let path = format!("uploaded[{i}]");
            let key = string_arg(&get(&item, "key", &path)?, &format!("{path}.key"))?;
            pairs.push((key, object_key_of(&item, &path)?));
        }
    } else if uploaded.is_object() {
        for key in interop::object_keys_checked(&uploaded, "uploaded")? {
            let path = format!("uploaded.{key}");
            let item = super::interop::get_dyn(&uploaded, &key, "uploaded")?;
            pairs.push((key, object_key_of(&item, &path)?));
        }
    } else {
        return Err(KycError::invalid_argument(format!(
            "uploaded must be an array of uploaded targets, got {}",
            type_name(&uploaded)
        )));
    }
    upload::kyc_file_paths(&pairs).map(|v| from_value(&v))
}

// ---------------------------------------------------------------------------------------------------------
// uploadFile: arguments

fn target_arg(target: &JsValue) -> Result<UploadTarget, KycError> {
    if !target.is_object() {
        return Err(KycError::invalid_argument(format!(
            "target must be an upload target from parseUploadTargets, got {}",
            type_name(target)
        )));
    }
    let method_text = string_arg(&get(target, "method", "target")?, "target.method")?;
    let method = Method::parse(&method_text)
        .ok_or_else(|| KycError::invalid_argument("target.method must be \"PUT\" or \"POST\""))?;
    let fields = object_entries(&get(target, "fields", "target")?, "target.fields")?
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k, s)),
            _ => Err(KycError::invalid_argument(format!(
                "target.fields.{k} must be a string"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let expires_at = match number_opt(&get(target, "expiresAt", "target")?, "target.expiresAt")? {
        Some(n) => seconds_from_f64(n.floor(), "target.expiresAt")?,
        None => {
            return Err(KycError::invalid_argument(
                "target.expiresAt is missing: pass a target from parseUploadTargets",
            ))
        }
    };
    let target = UploadTarget {
        key: string_arg(&get(target, "key", "target")?, "target.key")?,
        method,
        url: string_arg(&get(target, "url", "target")?, "target.url")?,
        fields,
        expires_at,
        content_type: string_opt(&get(target, "contentType", "target")?, "target.contentType")?,
    };
    target.check()?;
    Ok(target)
}

/// Where the bytes are: a `Blob`/`File` (sent as is) or a `Uint8Array` view of the caller's buffer.
enum Source {
    Blob(Blob),
    Bytes(Uint8Array),
}

struct LoadedFile {
    source: Source,
    head: Vec<u8>,
    size: u64,
    own_type: Option<String>,
    name: Option<String>,
}

impl LoadedFile {
    fn part(&self) -> &JsValue {
        match &self.source {
            Source::Blob(b) => b.as_ref(),
            Source::Bytes(u) => u.as_ref(),
        }
    }
}

async fn file_arg(file: &JsValue) -> Result<LoadedFile, KycError> {
    if let Some(blob) = file.dyn_ref::<Blob>() {
        let unreadable = |_| KycError::InvalidFile("the file could not be read".into());
        let slice = blob
            .slice_with_i32_and_i32(0, upload::SNIFF_BYTES as i32)
            .map_err(unreadable)?;
        let buffer = JsFuture::from(slice.array_buffer())
            .await
            .map_err(unreadable)?;
        let own_type = Some(blob.type_()).filter(|t| !t.is_empty());
        let name = get(file, "name", "file")?
            .as_string()
            .filter(|n| !n.is_empty());
        return Ok(LoadedFile {
            head: Uint8Array::new(&buffer).to_vec(),
            size: blob.size() as u64,
            source: Source::Blob(blob.clone()),
            own_type,
            name,
        });
    }
    let bytes = if js_sys::ArrayBuffer::is_view(file) {
        let offset =
            number_opt(&get(file, "byteOffset", "file")?, "file.byteOffset")?.unwrap_or(0.0);
        let length =
            number_opt(&get(file, "byteLength", "file")?, "file.byteLength")?.unwrap_or(0.0);
        Uint8Array::new_with_byte_offset_and_length(
            &get(file, "buffer", "file")?,
            offset as u32,
            length as u32,
        )
    } else if file.is_instance_of::<js_sys::ArrayBuffer>() {
        Uint8Array::new(file)
    } else {
        return Err(KycError::invalid_argument(format!(
            "file must be a File, a Blob, a Uint8Array (or Buffer) or an ArrayBuffer, got {}",
            type_name(file)
        )));
    };
    let head_len = bytes.length().min(upload::SNIFF_BYTES as u32);
    Ok(LoadedFile {
        head: bytes.subarray(0, head_len).to_vec(),
        size: u64::from(bytes.length()),
        source: Source::Bytes(bytes),
        own_type: None,
        name: None,
    })
}

fn signal_opt(options: &JsValue) -> Result<Option<AbortSignal>, KycError> {
    let signal = get(options, "signal", "options")?;
    if signal.is_undefined() || signal.is_null() {
        return Ok(None);
    }
    let duck = get(&signal, "aborted", "options.signal")?
        .as_bool()
        .is_some()
        && get(&signal, "addEventListener", "options.signal")?.is_function();
    if !duck {
        return Err(KycError::invalid_argument(format!(
            "options.signal must be an AbortSignal (controller.signal), got {}",
            type_name(&signal)
        )));
    }
    Ok(Some(signal.unchecked_into()))
}

fn is_aborted(signal: Option<&AbortSignal>) -> bool {
    signal.is_some_and(AbortSignal::aborted)
}

/// Calls `onProgress({loaded, total})`, at most once per distinct `loaded`. A throwing callback is ignored:
/// it must not break the upload.
struct Progress {
    callback: Option<Function>,
    total: f64,
    last: Cell<f64>,
}

impl Progress {
    fn report(&self, loaded: f64) {
        let Some(callback) = &self.callback else {
            return;
        };
        // Not `f64::clamp`: its min <= max assertion formats both bounds with `{:?}`, which links the
        // float formatter (~17 KB) into the module. Same result for every input `clamp` accepts.
        let loaded = if loaded < 0.0 {
            0.0
        } else if loaded > self.total {
            self.total
        } else {
            loaded
        };
        if loaded == self.last.get() {
            return;
        }
        self.last.set(loaded);
        let event = Object::new();
        set_property(&event, "loaded", &loaded.into());
        set_property(&event, "total", &self.total.into());
        let _ = callback.call1(&JsValue::UNDEFINED, &event);
    }
}

// ---------------------------------------------------------------------------------------------------------
// uploadFile: sending

/// The storage server's answer.
struct Answer {
    status: u16,
    etag: Option<String>,
    body: String,
}

/// Why no answer came.
enum Failure {
    /// Cancelled through the signal.
    Aborted,
    /// The request never completed (connection refused, reset, CORS refusal…).
    Network(String),
}

fn describe(error: &JsValue) -> String {
    let message = |v: &JsValue| {
        Reflect::get(v, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
    };
    let cause = Reflect::get(error, &"cause".into()).ok();
    match (message(error), cause.as_ref().and_then(message)) {
        (Some(m), Some(c)) => format!("{m} ({c})"),
        (Some(m), None) => m,
        _ => "the request failed".into(),
    }
}

/// The file as a `Blob` of the declared type, for the multipart form (no copy in browsers or Node).
fn typed_blob(file: &LoadedFile, content_type: &str) -> Result<Blob, Failure> {
    let bag = BlobPropertyBag::new();
    bag.set_type(content_type);
    Blob::new_with_blob_sequence_and_options(&Array::of1(file.part()), &bag)
        .map_err(|e| Failure::Network(describe(&e)))
}

/// S3's POST form: every policy field first, then the file, last.
fn form_body(
    plan: &UploadPlan,
    file: &LoadedFile,
    target: &UploadTarget,
) -> Result<FormData, Failure> {
    let failed = |e: JsValue| Failure::Network(describe(&e));
    let form = FormData::new().map_err(failed)?;
    for (name, value) in &plan.form {
        form.append_with_str(name, value).map_err(failed)?;
    }
    let filename = file.name.clone().unwrap_or_else(|| {
        let key = target.object_key().unwrap_or(&target.key);
        key.rsplit('/').next().unwrap_or(key).to_owned()
    });
    form.append_with_blob_and_filename("file", &typed_blob(file, &plan.content_type)?, &filename)
        .map_err(failed)?;
    Ok(form)
}

/// A promise and the function that resolves it.
fn deferred() -> Option<(Promise, Function)> {
    let mut slot = None;
    let promise = Promise::new(&mut |resolve, _reject| slot = Some(resolve));
    slot.map(|resolve| (promise, resolve))
}

/// Waits `ms`, or less when the signal fires. `Err` when aborted.
async fn sleep(ms: u32, signal: Option<&AbortSignal>) -> Result<(), ()> {
    let Some((promise, resolve)) = deferred() else {
        return Ok(());
    };
    let wake = resolve.clone();
    let timer = Closure::<dyn FnMut()>::new(move || {
        let _ = wake.call0(&JsValue::UNDEFINED);
    });
    let on_abort = Closure::<dyn FnMut()>::new(move || {
        let _ = resolve.call0(&JsValue::UNDEFINED);
    });
    if let Some(signal) = signal {
        let _ = signal.add_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref());
    }
    let handle = set_timeout(timer.as_ref().unchecked_ref(), f64::from(ms));
    let _ = JsFuture::from(promise).await;
    clear_timeout(&handle);
    if let Some(signal) = signal {
        let _ =
            signal.remove_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref());
    }
    if is_aborted(signal) {
        Err(())
    } else {
        Ok(())
    }
}

#[cfg(feature = "browser")]
mod transport {
    //! XMLHttpRequest: the only browser API that reports upload progress.

    use super::*;
    use web_sys::{ProgressEvent, XmlHttpRequest};

    pub(super) async fn send(
        plan: &UploadPlan,
        file: &LoadedFile,
        target: &UploadTarget,
        progress: &Rc<Progress>,
        signal: Option<&AbortSignal>,
    ) -> Result<Answer, Failure> {
        let failed = |e: JsValue| Failure::Network(describe(&e));
        let xhr = XmlHttpRequest::new().map_err(failed)?;
        xhr.open_with_async(plan.method.as_str(), &plan.url, true)
            .map_err(failed)?;
        let form = match plan.method {
            Method::Put => {
                xhr.set_request_header("Content-Type", &plan.content_type)
                    .map_err(failed)?;
                None
            }
            Method::Post => Some(form_body(plan, file, target)?),
        };
        let Some((promise, resolve)) = deferred() else {
            return Err(Failure::Network("could not create a promise".into()));
        };
        let settle = |outcome: &'static str| {
            let resolve = resolve.clone();
            Closure::<dyn FnMut()>::new(move || {
                let _ = resolve.call1(&JsValue::UNDEFINED, &outcome.into());
            })
        };
        let (on_load, on_error, on_abort, on_timeout) = (
            settle("load"),
            settle("error"),
            settle("abort"),
            settle("timeout"),
        );
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        xhr.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
        xhr.set_ontimeout(Some(on_timeout.as_ref().unchecked_ref()));
        let reporter = Rc::clone(progress);
        let size = plan.size as f64;
        let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            // A POST body is larger than the file (the form fields): scale to the file's bytes.
            if e.length_computable() && e.total() > 0.0 {
                reporter.report((e.loaded() / e.total() * size).floor());
            }
        });
        // Listening to upload events before send() is what makes the browser emit them.
        let upload = xhr.upload().map_err(failed)?;
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        let request = xhr.clone();
        let cancel = Closure::<dyn FnMut()>::new(move || {
            let _ = request.abort();
        });
        if let Some(signal) = signal {
            let _ =
                signal.add_event_listener_with_callback("abort", cancel.as_ref().unchecked_ref());
        }
        let sent = match (&form, &file.source) {
            (Some(form), _) => xhr.send_with_opt_form_data(Some(form)),
            (None, Source::Blob(blob)) => xhr.send_with_opt_blob(Some(blob)),
            (None, Source::Bytes(bytes)) => xhr.send_with_opt_buffer_source(Some(bytes)),
        };
        let outcome = match sent {
            Ok(()) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default(),
            Err(e) => format!("error: {}", describe(&e)),
        };
        if let Some(signal) = signal {
            let _ = signal
                .remove_event_listener_with_callback("abort", cancel.as_ref().unchecked_ref());
        }
        upload.set_onprogress(None);
        xhr.set_onload(None);
        xhr.set_onerror(None);
        xhr.set_onabort(None);
        xhr.set_ontimeout(None);
        match outcome.as_str() {
            "load" => match xhr.status() {
                Ok(status) if status > 0 => Ok(Answer {
                    status,
                    etag: xhr.get_response_header("ETag").ok().flatten(),
                    body: xhr.response_text().ok().flatten().unwrap_or_default(),
                }),
                _ => Err(Failure::Network("no HTTP status".into())),
            },
            "abort" => Err(Failure::Aborted),
            "error" => Err(Failure::Network(
                "the request failed (network error, or refused by CORS)".into(),
            )),
            "timeout" => Err(Failure::Network("the request timed out".into())),
            other => Err(Failure::Network(other.to_owned())),
        }
    }
}

#[cfg(not(feature = "browser"))]
mod transport {
    //! The global `fetch` of Node 18+ (undici): no upload progress, so only start and end are reported.

    use super::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_name = fetch, catch)]
        fn global_fetch(url: &str, init: &Object) -> Result<Promise, JsValue>;
    }

    pub(super) async fn send(
        plan: &UploadPlan,
        file: &LoadedFile,
        target: &UploadTarget,
        _progress: &Rc<Progress>,
        signal: Option<&AbortSignal>,
    ) -> Result<Answer, Failure> {
        let init = Object::new();
        set_property(&init, "method", &plan.method.as_str().into());
        match plan.method {
            Method::Put => {
                let headers = Object::new();
                set_property(&headers, "content-type", &plan.content_type.as_str().into());
                set_property(&init, "headers", &headers);
                set_property(&init, "body", file.part());
            }
            Method::Post => set_property(&init, "body", &form_body(plan, file, target)?.into()),
        }
        if let Some(signal) = signal {
            set_property(&init, "signal", signal);
        }
        let fail = |e: &JsValue| {
            if is_aborted(signal) {
                Failure::Aborted
            } else {
                Failure::Network(describe(e))
            }
        };
        let response = match global_fetch(&plan.url, &init) {
            Ok(promise) => JsFuture::from(promise).await.map_err(|e| fail(&e))?,
            Err(e) => return Err(fail(&e)),
        };
        let response: web_sys::Response = response.unchecked_into();
        let status = response.status();
        let etag = response.headers().get("etag").ok().flatten();
        let body = match response.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        Ok(Answer { status, etag, body })
    }
}

fn aborted_error(target: &UploadTarget) -> KycError {
    KycError::Aborted(format!(
        "the upload of {} was cancelled through its AbortSignal",
        target.key
    ))
}

async fn run_upload(target: JsValue, file: JsValue, options: JsValue) -> Result<JsValue, KycError> {
    let started_ms = clock::now_ms();
    let target = target_arg(&target)?;
    let core = UploadOptions {
        now: clock::now_option(&options)?,
        min_bytes: bytes_opt(&options, "minBytes", upload::DEFAULT_MIN_BYTES)?,
        max_bytes: bytes_opt(&options, "maxBytes", upload::DEFAULT_MAX_BYTES)?,
        content_type: string_opt(
            &get(&options, "contentType", "options")?,
            "options.contentType",
        )?,
        allow_insecure: match get(&options, "allowInsecure", "options")? {
            v if v.is_undefined() || v.is_null() => false,
            v => v.as_bool().ok_or_else(|| {
                KycError::invalid_argument(format!(
                    "options.allowInsecure must be a boolean, got {}",
                    type_name(&v)
                ))
            })?,
        },
    };
    let callback = get(&options, "onProgress", "options")?;
    let callback = match callback {
        c if c.is_undefined() || c.is_null() => None,
        c if c.is_function() => Some(Function::from(c)),
        c => {
            return Err(KycError::invalid_argument(format!(
                "options.onProgress must be a function, got {}",
                type_name(&c)
            )))
        }
    };
    let signal = signal_opt(&options)?;
    let signal = signal.as_ref();
    if is_aborted(signal) {
        return Err(aborted_error(&target));
    }
    let file = file_arg(&file).await?;
    if is_aborted(signal) {
        return Err(aborted_error(&target));
    }
    let policy = match target.method {
        Method::Post => match upload::decode_policy(&target)? {
            Some(text) => {
                let parsed = parse_json(&JsValue::from_str(&text)).map_err(|_| {
                    KycError::malformed(format!("fields.policy of {} is not JSON", target.key))
                })?;
                Some(to_value(&parsed, &Limits::default(), "policy")?)
            }
            None => None,
        },
        Method::Put => None,
    };
    let info = FileInfo {
        head: &file.head,
        size: file.size,
        own_type: file.own_type.as_deref(),
    };
    let mut plan = upload::plan_upload(&target, &info, &core, policy.as_ref())?;
    let progress = Rc::new(Progress {
        callback,
        total: file.size as f64,
        last: Cell::new(-1.0),
    });
    progress.report(0.0);
    let mut retries = 0;
    loop {
        let (status, error) = match transport::send(&plan, &file, &target, &progress, signal).await
        {
            Ok(answer) if (200..300).contains(&answer.status) => {
                progress.report(file.size as f64);
                let out = target_to_js(&target);
                set_property(&out, "contentType", &plan.content_type.as_str().into());
                set_property(&out, "status", &answer.status.into());
                let etag = answer
                    .etag
                    .map(|e| JsValue::from_str(e.trim_matches('"')))
                    .unwrap_or(JsValue::NULL);
                set_property(&out, "etag", &etag);
                return Ok(out.into());
            }
            Ok(answer) => (
                Some(answer.status),
                upload::upload_failed(answer.status, &answer.body),
            ),
            Err(Failure::Aborted) => return Err(aborted_error(&target)),
            Err(Failure::Network(message)) => (
                None,
                KycError::UploadFailed {
                    s3_code: String::new(),
                    s3_message: format!("network failure: {message}"),
                    status: None,
                },
            ),
        };
        if !upload::should_retry(status, retries) {
            return Err(error);
        }
        retries += 1;
        if sleep(upload::retry_delay_ms(retries), signal)
            .await
            .is_err()
        {
            return Err(aborted_error(&target));
        }
        // Never retry after expiry: check everything again at the current time, rounding the time spent
        // up (`now` is whole seconds, so the real clock may already be up to a second further).
        let elapsed = ((clock::now_ms() - started_ms) / 1000.0).ceil() as i64;
        let later = UploadOptions {
            now: core.now.saturating_add(elapsed.max(0)),
            ..core.clone()
        };
        plan = upload::plan_upload(&target, &info, &later, policy.as_ref())?;
    }
}

/// `uploadFile(target, file, {onProgress, signal, now, maxBytes, minBytes, contentType})`: checks the file
/// against the target, then sends it; resolves to the target with `status` and `etag`.
#[wasm_bindgen(js_name = uploadFile, skip_typescript)]
pub async fn upload_file(
    target: JsValue,
    file: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    run_upload(target, file, options).await
}
