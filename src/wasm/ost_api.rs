//! OST KYC API: the request builders and `validateKycSubmission` (both builds). The Node build's
//! `OstKycClient` and `presignedUrlRequest` are in [`super::client`].

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::clock;
use super::interop::{from_value, get, set_property, string_arg, to_value, type_name};
use crate::calendar::seconds_from_f64;
use crate::error::KycError;
use crate::ost_api::builders::{self, Call, EmailKind};
use crate::ost_api::submission::validate_kyc_submission;
use crate::ost_api::OstRequest;
use crate::signing::Credentials;
use crate::upload::Method as UploadMethod;
use crate::value::{Limits, Value};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("ost_api.d.ts");

#[cfg(feature = "server")]
#[wasm_bindgen(typescript_custom_section)]
const SERVER_TYPES: &'static str = include_str!("ost_api.server.d.ts");

#[cfg(feature = "client")]
#[wasm_bindgen(typescript_custom_section)]
const NODE_TYPES: &'static str = include_str!("ost_api.node.d.ts");

#[cfg(feature = "server")]
pub(crate) fn optional_value(value: &JsValue, path: &str) -> Result<Value, KycError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Null);
    }
    to_value(value, &Limits::default(), path)
}

pub(crate) fn required_value(value: &JsValue, path: &str) -> Result<Value, KycError> {
    if value.is_undefined() {
        return Err(KycError::invalid_argument(format!("{path} is missing")));
    }
    to_value(value, &Limits::default(), path)
}

#[cfg(feature = "server")]
/// `{apiKey, apiSecret}`; the secret is never echoed.
pub(crate) fn credentials_arg(credentials: &JsValue, path: &str) -> Result<Credentials, KycError> {
    if !credentials.is_object() {
        return Err(KycError::invalid_argument(format!(
            "{path} must be {{apiKey, apiSecret}}, got {}",
            type_name(credentials)
        )));
    }
    let api_key = string_arg(
        &get(credentials, "apiKey", path)?,
        &format!("{path}.apiKey"),
    )?;
    let api_secret = string_arg(
        &get(credentials, "apiSecret", path)?,
        &format!("{path}.apiSecret"),
    )?;
    Credentials::new(api_key, api_secret)
}

#[cfg(feature = "server")]
/// `options.timestamp` (Unix seconds), else the clock.
pub(crate) fn timestamp_arg(options: &JsValue) -> Result<i64, KycError> {
    let value = get(options, "timestamp", "options")?;
    if value.is_undefined() || value.is_null() {
        return Ok(clock::unix_seconds());
    }
    let n = value.as_f64().ok_or_else(|| {
        KycError::invalid_argument(format!(
            "options.timestamp must be a number of Unix seconds, got {}",
            type_name(&value)
        ))
    })?;
    seconds_from_f64(n, "options.timestamp")
}

#[cfg(feature = "server")]
/// `{method, path, query | body, stringToSign}`.
fn request_to_js(request: &OstRequest) -> JsValue {
    let out = Object::new();
    set_property(&out, "method", &request.method.as_str().into());
    set_property(&out, "path", &request.path.as_str().into());
    match (request.query(), request.body()) {
        (Some(query), _) => set_property(&out, "query", &query.into()),
        (_, Some(body)) => set_property(&out, "body", &body.into()),
        _ => {}
    }
    set_property(
        &out,
        "stringToSign",
        &request.signed.string_to_sign.as_str().into(),
    );
    out.into()
}

#[cfg(feature = "server")]
fn build(
    call: impl FnOnce() -> Result<Call, KycError>,
    credentials: &JsValue,
    options: &JsValue,
) -> Result<JsValue, KycError> {
    sign_call(call(), credentials, options)
}

#[cfg(feature = "server")]
/// The shared, non-generic part of [`build`]: kept out of line so that the `build*Request` exports do
/// not each carry their own copy of it (~1.7 KB of wasm each).
#[inline(never)]
fn sign_call(
    call: Result<Call, KycError>,
    credentials: &JsValue,
    options: &JsValue,
) -> Result<JsValue, KycError> {
    let call = call?;
    let credentials = credentials_arg(credentials, "credentials")?;
    let request = call.sign(&credentials, timestamp_arg(options)?, &Limits::default())?;
    Ok(request_to_js(&request))
}

#[cfg(feature = "server")]
/// `buildCreateUserRequest(email, credentials, options?)`: `POST /api/v2/users`.
#[wasm_bindgen(js_name = buildCreateUserRequest, skip_typescript)]
pub fn build_create_user_request(
    email: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    build(
        || builders::create_user(&required_value(&email, "email")?),
        &credentials,
        &options,
    )
}

#[cfg(feature = "server")]
/// `buildGetUserRequest(id, credentials, options?)`: `GET /api/v2/users/{id}`.
#[wasm_bindgen(js_name = buildGetUserRequest, skip_typescript)]
pub fn build_get_user_request(
    id: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    build(
        || builders::get_user(&required_value(&id, "id")?),
        &credentials,
        &options,
    )
}

#[cfg(feature = "server")]
/// `buildListUsersRequest(params?, credentials, options?)`: `GET /api/v2/users`.
#[wasm_bindgen(js_name = buildListUsersRequest, skip_typescript)]
pub fn build_list_users_request(
    params: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    build(
        || builders::list_users(&optional_value(&params, "params")?),
        &credentials,
        &options,
    )
}

#[cfg(feature = "server")]
/// `buildSubmitKycRequest(userId, fields, credentials, options?)`: `POST /api/v2/users-kyc/{user_id}`.
#[wasm_bindgen(js_name = buildSubmitKycRequest, skip_typescript)]
pub fn build_submit_kyc_request(
    user_id: JsValue,
    fields: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    build(
        || {
            builders::submit_kyc(
                &required_value(&user_id, "userId")?,
                &required_value(&fields, "fields")?,
            )
        },
        &credentials,
        &options,
    )
}

#[cfg(feature = "server")]
/// `buildGetUserKycRequest(userId, credentials, options?)`: `GET /api/v2/users-kyc/{user_id}`.
#[wasm_bindgen(js_name = buildGetUserKycRequest, skip_typescript)]
pub fn build_get_user_kyc_request(
    user_id: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    build(
        || builders::get_user_kyc(&required_value(&user_id, "userId")?),
        &credentials,
        &options,
    )
}

#[cfg(feature = "server")]
/// `buildListUsersKycRequest(params?, credentials, options?)`: `GET /api/v2/users-kyc`.
#[wasm_bindgen(js_name = buildListUsersKycRequest, skip_typescript)]
pub fn build_list_users_kyc_request(
    params: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    build(
        || builders::list_users_kyc(&optional_value(&params, "params")?),
        &credentials,
        &options,
    )
}

#[cfg(feature = "server")]
/// `buildGetUserKycDetailRequest(userId, credentials, options?)`: `GET /api/v2/users-kyc-detail/{user_id}`.
#[wasm_bindgen(js_name = buildGetUserKycDetailRequest, skip_typescript)]
pub fn build_get_user_kyc_detail_request(
    user_id: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    build(
        || builders::get_user_kyc_detail(&required_value(&user_id, "userId")?),
        &credentials,
        &options,
    )
}

#[cfg(feature = "server")]
/// `buildValidateEthereumAddressRequest(address, credentials, options?)`:
/// `GET /api/v2/ethereum-address-validation`.
#[wasm_bindgen(js_name = buildValidateEthereumAddressRequest, skip_typescript)]
pub fn build_validate_ethereum_address_request(
    address: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    build(
        || builders::validate_ethereum_address(&required_value(&address, "address")?),
        &credentials,
        &options,
    )
}

#[cfg(feature = "server")]
pub(crate) fn presigned_call(kind: &JsValue, files: &JsValue) -> Result<Call, KycError> {
    let kind = UploadMethod::from_kind(&string_arg(kind, "kind")?)?;
    builders::presigned_urls(kind, &required_value(files, "files")?)
}

#[cfg(feature = "server")]
/// `buildPresignedUrlsRequest(kind, files, credentials, options?)`:
/// `GET /api/v2/users-kyc/pre-signed-urls/for-put` or `/for-post`.
#[wasm_bindgen(js_name = buildPresignedUrlsRequest, skip_typescript)]
pub fn build_presigned_urls_request(
    kind: JsValue,
    files: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    build(|| presigned_call(&kind, &files), &credentials, &options)
}

#[cfg(feature = "server")]
pub(crate) fn email_call(
    kind: EmailKind,
    user_id: &JsValue,
    template_vars: &JsValue,
) -> Result<Call, KycError> {
    builders::send_email(
        kind,
        &required_value(user_id, "userId")?,
        &optional_value(template_vars, "templateVars")?,
    )
}

#[cfg(feature = "server")]
/// `buildSendApproveEmailRequest(userId, templateVars?, credentials, options?)`:
/// `POST /api/v2/users-kyc/{user_id}/email/approve`.
#[wasm_bindgen(js_name = buildSendApproveEmailRequest, skip_typescript)]
pub fn build_send_approve_email_request(
    user_id: JsValue,
    template_vars: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    let call = email_call(EmailKind::Approve, &user_id, &template_vars);
    sign_call(call, &credentials, &options)
}

#[cfg(feature = "server")]
/// `buildSendDenyEmailRequest(userId, templateVars?, credentials, options?)`:
/// `POST /api/v2/users-kyc/{user_id}/email/deny`.
#[wasm_bindgen(js_name = buildSendDenyEmailRequest, skip_typescript)]
pub fn build_send_deny_email_request(
    user_id: JsValue,
    template_vars: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    let call = email_call(EmailKind::Deny, &user_id, &template_vars);
    sign_call(call, &credentials, &options)
}

#[cfg(feature = "server")]
/// `buildSendReportIssueEmailRequest(userId, templateVars?, credentials, options?)`:
/// `POST /api/v2/users-kyc/{user_id}/email/report-issue`.
#[wasm_bindgen(js_name = buildSendReportIssueEmailRequest, skip_typescript)]
pub fn build_send_report_issue_email_request(
    user_id: JsValue,
    template_vars: JsValue,
    credentials: JsValue,
    options: JsValue,
) -> Result<JsValue, KycError> {
    let call = email_call(EmailKind::ReportIssue, &user_id, &template_vars);
    sign_call(call, &credentials, &options)
}

pub(crate) fn required_names(options: &JsValue) -> Result<Option<Vec<String>>, KycError> {
    let required = get(options, "required", "options")?;
    if required.is_undefined() || required.is_null() {
        return Ok(None);
    }
    match to_value(&required, &Limits::default(), "options.required")? {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                _ => Err(KycError::invalid_argument(format!(
                    "options.required[{i}] must be a field name string"
                ))),
            })
            .collect::<Result<Vec<String>, KycError>>()
            .map(Some),
        _ => Err(KycError::invalid_argument(
            "options.required must be an array of field names, such as [\"first_name\", \"birthdate\"]",
        )),
    }
}

pub(crate) fn problems_to_js(problems: &[crate::ost_api::Problem]) -> JsValue {
    problems
        .iter()
        .map(|p| from_value(&p.to_value()))
        .collect::<Array>()
        .into()
}

/// `validateKycSubmission(fields, {required?, now?})`: every problem, `[{field, code, message}]`.
#[wasm_bindgen(js_name = validateKycSubmission, skip_typescript)]
pub fn validate_kyc_submission_js(fields: JsValue, options: JsValue) -> Result<JsValue, KycError> {
    let fields = required_value(&fields, "fields")?;
    let required = required_names(&options)?;
    let problems = validate_kyc_submission(
        &fields,
        required.as_deref(),
        clock::submission_now(&options)?,
    )?;
    Ok(problems_to_js(&problems))
}
