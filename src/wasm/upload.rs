//! Uploads through pre-signed S3 URLs: `parseUploadTargets`, `kycFilePaths` and `uploadFile`, in both builds.
//!
//! Every check is the core's ([`crate::upload`]). `uploadFile` itself is JavaScript
//! (`pkg-template/lib/upload.js`, issue 16): it reads the file, sends it (`XMLHttpRequest` in the browser
//! build, for upload progress; the global `fetch` in the others), reports progress, waits between retries and
//! listens to the signal, and asks the `__upload…` exports below for every decision: the arguments, the plan
//! (type, magic bytes, size, expiry, POST policy), the errors and whether to retry. Files are never copied
//! into wasm memory: only their first bytes are, to check the magic bytes.

use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::clock;
use super::interop::{
    self, from_value, get, number_opt, parse_json, set_property, string_arg, to_value, type_name,
};
use crate::calendar::seconds_from_f64;
use crate::error::KycError;
use crate::upload::{self, FileInfo, Method, UploadOptions, UploadTarget};
use crate::value::{Limits, Value};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("upload.d.ts");

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
// uploadFile (pkg-template/lib/upload.js): its decisions

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

/// `options.signal`: an `AbortSignal` (anything with a boolean `aborted` and `addEventListener`), or null.
fn signal_opt(options: &JsValue) -> Result<JsValue, KycError> {
    let signal = get(options, "signal", "options")?;
    if signal.is_undefined() || signal.is_null() {
        return Ok(JsValue::NULL);
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
    Ok(signal)
}

/// `__uploadStart(target, options)`: `uploadFile`'s arguments, read and checked in the order the upload
/// reads them (target, `now`, `minBytes`, `maxBytes`, `contentType`, `allowInsecure`, `onProgress`,
/// `signal`). The I/O (reading the file, sending, progress, retries, abort) is JavaScript:
/// `pkg-template/lib/upload.js`. Returns `{target, now, minBytes, maxBytes, contentType, allowInsecure,
/// onProgress, signal, sniffBytes, xhr}`, which the module hands back to [`upload_plan`].
#[wasm_bindgen(js_name = __uploadStart, skip_typescript)]
pub fn upload_start(target: JsValue, options: JsValue) -> Result<JsValue, KycError> {
    let target = target_arg(&target)?;
    let now = clock::now_option(&options)?;
    let min_bytes = bytes_opt(&options, "minBytes", upload::DEFAULT_MIN_BYTES)?;
    let max_bytes = bytes_opt(&options, "maxBytes", upload::DEFAULT_MAX_BYTES)?;
    let content_type = string_opt(
        &get(&options, "contentType", "options")?,
        "options.contentType",
    )?;
    let allow_insecure = match get(&options, "allowInsecure", "options")? {
        v if v.is_undefined() || v.is_null() => false,
        v => v.as_bool().ok_or_else(|| {
            KycError::invalid_argument(format!(
                "options.allowInsecure must be a boolean, got {}",
                type_name(&v)
            ))
        })?,
    };
    let callback = match get(&options, "onProgress", "options")? {
        c if c.is_undefined() || c.is_null() => JsValue::NULL,
        c if c.is_function() => c,
        c => {
            return Err(KycError::invalid_argument(format!(
                "options.onProgress must be a function, got {}",
                type_name(&c)
            )))
        }
    };
    let signal = signal_opt(&options)?;
    let out = Object::new();
    set_property(&out, "target", &target_to_js(&target));
    set_property(&out, "now", &(now as f64).into());
    set_property(&out, "minBytes", &(min_bytes as f64).into());
    set_property(&out, "maxBytes", &(max_bytes as f64).into());
    set_property(
        &out,
        "contentType",
        &content_type
            .as_deref()
            .map(JsValue::from_str)
            .unwrap_or(JsValue::NULL),
    );
    set_property(&out, "allowInsecure", &allow_insecure.into());
    set_property(&out, "onProgress", &callback);
    set_property(&out, "signal", &signal);
    set_property(&out, "sniffBytes", &(upload::SNIFF_BYTES as f64).into());
    // The transport is the build's, as before the I/O moved: XMLHttpRequest in the browser build (upload
    // progress), the global fetch in the Node and edge builds.
    set_property(&out, "xhr", &cfg!(feature = "browser").into());
    Ok(out.into())
}

/// `__uploadBytes(file)`: a file that is not a `Blob` as a `Uint8Array` over the caller's bytes (no copy).
#[wasm_bindgen(js_name = __uploadBytes, skip_typescript)]
pub fn upload_bytes(file: JsValue) -> Result<Uint8Array, KycError> {
    if js_sys::ArrayBuffer::is_view(&file) {
        let offset =
            number_opt(&get(&file, "byteOffset", "file")?, "file.byteOffset")?.unwrap_or(0.0);
        let length =
            number_opt(&get(&file, "byteLength", "file")?, "file.byteLength")?.unwrap_or(0.0);
        Ok(Uint8Array::new_with_byte_offset_and_length(
            &get(&file, "buffer", "file")?,
            offset as u32,
            length as u32,
        ))
    } else if file.is_instance_of::<js_sys::ArrayBuffer>() {
        Ok(Uint8Array::new(&file))
    } else {
        Err(KycError::invalid_argument(format!(
            "file must be a File, a Blob, a Uint8Array (or Buffer) or an ArrayBuffer, got {}",
            type_name(&file)
        )))
    }
}

fn start_number(start: &JsValue, key: &'static str) -> Result<f64, KycError> {
    get(start, key, "start")?
        .as_f64()
        .ok_or_else(|| KycError::invalid_argument("pass what __uploadStart returned"))
}

/// `__uploadPlan(start, head, size, ownType, elapsedSeconds)`: every check before sending (the core's
/// [`upload::plan_upload`], with the POST policy decoded), at `start.now` plus the seconds the upload has
/// taken so far (a retry never goes out after expiry). Returns `{method, url, contentType, form, filename}`:
/// `form` the POST policy fields in order (`[name, value]` pairs), `filename` the part's name when the file
/// has none (the object key's last segment).
#[wasm_bindgen(js_name = __uploadPlan, skip_typescript)]
pub fn upload_plan(
    start: JsValue,
    head: &[u8],
    size: f64,
    own_type: Option<String>,
    elapsed_seconds: f64,
) -> Result<JsValue, KycError> {
    let target = target_arg(&get(&start, "target", "start")?)?;
    let content_type = get(&start, "contentType", "start")?.as_string();
    let core = UploadOptions {
        now: (start_number(&start, "now")? as i64).saturating_add((elapsed_seconds as i64).max(0)),
        min_bytes: start_number(&start, "minBytes")? as u64,
        max_bytes: start_number(&start, "maxBytes")? as u64,
        content_type,
        allow_insecure: get(&start, "allowInsecure", "start")?.is_truthy(),
    };
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
        head,
        size: size as u64,
        own_type: own_type.as_deref().filter(|t| !t.is_empty()),
    };
    let plan = upload::plan_upload(&target, &info, &core, policy.as_ref())?;
    let out = Object::new();
    set_property(&out, "method", &plan.method.as_str().into());
    set_property(&out, "url", &plan.url.as_str().into());
    set_property(&out, "contentType", &plan.content_type.as_str().into());
    let form = Array::new();
    for (name, value) in &plan.form {
        form.push(&Array::of2(&name.as_str().into(), &value.as_str().into()));
    }
    set_property(&out, "form", &form);
    let key = target.object_key().unwrap_or(&target.key);
    set_property(
        &out,
        "filename",
        &key.rsplit('/').next().unwrap_or(key).into(),
    );
    Ok(out.into())
}

/// `__uploadError(kind, status, text)`: the errors of an upload's I/O, made here so that they are the
/// core's (`KycError` with its code, message and details). `kind`: 0 cancelled (`text`: the target's key),
/// 1 an unreadable file, 2 a network failure (`text`: what failed), 3 the storage server's refusal (`status`,
/// `text`: its body, an S3 error document or not), 4 a throwing `file.name`.
#[wasm_bindgen(js_name = __uploadError, skip_typescript)]
pub fn upload_error(kind: u32, status: Option<u16>, text: &str) -> JsValue {
    match kind {
        0 => KycError::Aborted(format!(
            "the upload of {text} was cancelled through its AbortSignal"
        )),
        1 => KycError::InvalidFile("the file could not be read".into()),
        2 => KycError::UploadFailed {
            s3_code: String::new(),
            s3_message: format!("network failure: {text}"),
            status: None,
        },
        4 => KycError::invalid_argument("reading file.name threw an exception"),
        _ => upload::upload_failed(status.unwrap_or(0), text),
    }
    .into()
}

/// `__uploadRetry(status, retries)`: after an attempt that ended with `status` (`undefined`: a network
/// failure) and `retries` retries made, the wait in milliseconds before the next one, or -1: do not retry.
#[wasm_bindgen(js_name = __uploadRetry, skip_typescript)]
pub fn upload_retry(status: Option<u16>, retries: u32) -> i32 {
    if upload::should_retry(status, retries) {
        upload::retry_delay_ms(retries + 1) as i32
    } else {
        -1
    }
}
