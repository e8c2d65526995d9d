//! The documented response objects of the OST KYC API, and how an HTTP answer becomes one of them or a
//! [`KycError`].
//!
//! - HTTP 404 is `NOT_FOUND`, whatever the body.
//! - `success: false` is `API_ERROR` with the server's `err.code`, `err.msg` and `err.internal_id` (and its
//!   `err.error_data`, see [`error_data`]). One exception, as documented: the Ethereum address validation
//!   answers `success: false` for a malformed address, which is the answer `false`, not an error.
//! - `success` may be the string `"true"`: the seed's own pre-signed PUT example has `"success": "true"`.
//! - A body that is not JSON is `API_ERROR` `HTTP_<status>` on an error status, `MALFORMED_BODY` on a 2xx.
//! - Ids and timestamps are accepted as numbers or numeric strings (the webhooks send strings) and returned
//!   as numbers.

use crate::error::KycError;
use crate::value::Value;

use super::builders::{EmailKind, ResponseKind};
use crate::envelope::{api_error, success_flag};
use crate::upload::{targets_from, Method as UploadMethod, UploadTarget};

/// The user object.
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    /// Unique identifier.
    pub id: f64,
    /// Email address.
    pub email: String,
    /// `kyc_submitted`, `doptin_mail_sent`, `doptin_done`; empty for a new user.
    pub properties: Vec<String>,
    /// Creation time, Unix seconds.
    pub created_at: f64,
}

/// The user-kyc object: status of the last KYC submission.
#[derive(Clone, Debug, PartialEq)]
pub struct UserKyc {
    /// Unique identifier of the last submitted KYC.
    pub id: f64,
    /// Identifier of the user-kyc-detail object.
    pub user_kyc_detail_id: f64,
    /// Identifier of the user.
    pub user_id: f64,
    /// `pending`, `approved` or `denied`.
    pub kyc_status: String,
    /// `unprocessed`, `qualified` or `denied`.
    pub admin_status: String,
    /// `unprocessed`, `pending`, `cleared`, `approved`, `rejected` or `failed`.
    pub aml_status: String,
    /// `unprocessed`, `started`, `done` or `failed`.
    pub whitelist_status: String,
    /// `data_mismatch`, `document_issue`, `other_issue`.
    pub admin_action_types: Vec<String>,
    /// How many times the user submitted KYC.
    pub submission_count: f64,
    /// Name of the last admin who acted; `None` for the system or no action.
    pub last_acted_by: Option<String>,
    /// Creation time, Unix seconds.
    pub created_at: f64,
}

/// The user-kyc-detail object. Only `id` and `created_at` are always there: the rest depends on the fields
/// the client collects and on whether the dashboard setting shares KYC data over the API.
#[derive(Clone, Debug, PartialEq)]
pub struct UserKycDetail {
    /// Unique identifier of the last submitted KYC.
    pub id: f64,
    /// Submission time, Unix seconds.
    pub created_at: f64,
    /// Whether the answer carried `data.user_kyc_detail` (data shared) rather than `data.user_kyc`.
    pub data_shared: bool,
    /// The other fields, as documented and in the order received: strings, `investor_proof_files` (an
    /// array of strings) and `estimated_participation_amount` (a number).
    pub fields: Vec<(String, Value)>,
}

/// The documented string fields of the user-kyc-detail object.
const DETAIL_STRING_FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "birthdate",
    "country",
    "nationality",
    "document_id_number",
    "document_id_file",
    "selfie_file",
    "residence_proof_file",
    "ethereum_address",
    "street_address",
    "city",
    "state",
    "postal_code",
];

/// One page of a list.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The objects of this page.
    pub items: Vec<T>,
    /// `meta.total`: how many objects the whole list has.
    pub total: f64,
    /// `meta.next_page_payload`: the parameters of the next page, `None` on the last page.
    pub next_page_payload: Option<Value>,
}

/// A parsed, successful answer.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiResponse {
    /// `data.user`.
    User(User),
    /// `data.users` with `data.meta`.
    Users(Page<User>),
    /// `data.user_kyc`.
    UserKyc(UserKyc),
    /// `data.users_kyc` with `data.meta`.
    UsersKyc(Page<UserKyc>),
    /// `data.user_kyc_detail` or `data.user_kyc`.
    UserKycDetail(UserKycDetail),
    /// Whether the server judged the Ethereum address well-formed.
    EthereumAddressValid(bool),
    /// `data.file_upload_put` or `data.file_upload_post`.
    PresignedUrls(UploadMethod, Vec<UploadTarget>),
    /// The e-mail was accepted for sending.
    EmailSent(EmailKind),
}

fn malformed(context: &str, what: impl std::fmt::Display) -> KycError {
    KycError::malformed(format!("{context}: the response {what}"))
}

fn field<'a>(
    object: &'a Value,
    key: &str,
    context: &str,
    path: &str,
) -> Result<&'a Value, KycError> {
    object
        .get(key)
        .ok_or_else(|| malformed(context, format_args!("has no {path}.{key}")))
}

fn number(object: &Value, key: &str, context: &str, path: &str) -> Result<f64, KycError> {
    match field(object, key, context, path)? {
        Value::Number(n) if n.is_finite() => Ok(*n),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            crate::decimal::parse_f64(s)
                .ok_or_else(|| malformed(context, format_args!("has a bad {path}.{key}")))
        }
        other => Err(malformed(
            context,
            format_args!("has {path}.{key} as {}, not a number", other.kind_name()),
        )),
    }
}

fn text(object: &Value, key: &str, context: &str, path: &str) -> Result<String, KycError> {
    match field(object, key, context, path)? {
        Value::String(s) => Ok(s.clone()),
        other => Err(malformed(
            context,
            format_args!("has {path}.{key} as {}, not a string", other.kind_name()),
        )),
    }
}

fn strings(object: &Value, key: &str, context: &str, path: &str) -> Result<Vec<String>, KycError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(malformed(
                    context,
                    format_args!(
                        "has an item of {path}.{key} as {}, not a string",
                        other.kind_name()
                    ),
                )),
            })
            .collect(),
        Some(other) => Err(malformed(
            context,
            format_args!("has {path}.{key} as {}, not an array", other.kind_name()),
        )),
    }
}

fn object<'a>(value: &'a Value, context: &str, path: &str) -> Result<&'a Value, KycError> {
    match value {
        Value::Object(_) => Ok(value),
        other => Err(malformed(
            context,
            format_args!("has {path} as {}, not an object", other.kind_name()),
        )),
    }
}

fn parse_user(value: &Value, context: &str, path: &str) -> Result<User, KycError> {
    let o = object(value, context, path)?;
    Ok(User {
        id: number(o, "id", context, path)?,
        email: text(o, "email", context, path)?,
        properties: strings(o, "properties", context, path)?,
        created_at: number(o, "created_at", context, path)?,
    })
}

fn parse_user_kyc(value: &Value, context: &str, path: &str) -> Result<UserKyc, KycError> {
    let o = object(value, context, path)?;
    let last_acted_by = match o.get("last_acted_by") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(malformed(
                context,
                format_args!(
                    "has {path}.last_acted_by as {}, not a string",
                    other.kind_name()
                ),
            ))
        }
    };
    Ok(UserKyc {
        id: number(o, "id", context, path)?,
        user_kyc_detail_id: number(o, "user_kyc_detail_id", context, path)?,
        user_id: number(o, "user_id", context, path)?,
        kyc_status: text(o, "kyc_status", context, path)?,
        admin_status: text(o, "admin_status", context, path)?,
        aml_status: text(o, "aml_status", context, path)?,
        whitelist_status: text(o, "whitelist_status", context, path)?,
        admin_action_types: strings(o, "admin_action_types", context, path)?,
        submission_count: number(o, "submission_count", context, path)?,
        last_acted_by,
        created_at: number(o, "created_at", context, path)?,
    })
}

fn parse_detail(
    value: &Value,
    data_shared: bool,
    context: &str,
    path: &str,
) -> Result<UserKycDetail, KycError> {
    let o = object(value, context, path)?;
    let mut fields = Vec::new();
    for (key, item) in o.as_object().unwrap_or_default() {
        let kept = match key.as_str() {
            "id" | "created_at" => continue,
            "investor_proof_files" => Value::Array(
                strings(o, key, context, path)?
                    .into_iter()
                    .map(Value::String)
                    .collect(),
            ),
            "estimated_participation_amount" => match item {
                Value::Number(_) | Value::Null => item.clone(),
                // Rails may render a decimal column as a string ("1.1").
                Value::String(s) => crate::decimal::parse_f64(s)
                    .filter(|n| n.is_finite())
                    .map(Value::Number)
                    .ok_or_else(|| malformed(context, format_args!("has a bad {path}.{key}")))?,
                other => {
                    return Err(malformed(
                        context,
                        format_args!("has {path}.{key} as {}, not a number", other.kind_name()),
                    ))
                }
            },
            k if DETAIL_STRING_FIELDS.contains(&k) => match item {
                Value::String(_) | Value::Null => item.clone(),
                other => {
                    return Err(malformed(
                        context,
                        format_args!("has {path}.{key} as {}, not a string", other.kind_name()),
                    ))
                }
            },
            // Undocumented fields pass through unchanged.
            _ => item.clone(),
        };
        fields.push((key.clone(), kept));
    }
    Ok(UserKycDetail {
        id: number(o, "id", context, path)?,
        created_at: number(o, "created_at", context, path)?,
        data_shared,
        fields,
    })
}

fn parse_page<T>(
    data: &Value,
    items_key: &str,
    context: &str,
    parse_item: fn(&Value, &str, &str) -> Result<T, KycError>,
) -> Result<Page<T>, KycError> {
    let items = match field(data, items_key, context, "data")? {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| parse_item(item, context, &format!("data.{items_key}[{i}]")))
            .collect::<Result<Vec<T>, KycError>>()?,
        other => {
            return Err(malformed(
                context,
                format_args!(
                    "has data.{items_key} as {}, not an array",
                    other.kind_name()
                ),
            ))
        }
    };
    let (total, next_page_payload) = match data.get("meta") {
        None | Some(Value::Null) => (items.len() as f64, None),
        Some(meta) => {
            let meta = object(meta, context, "data.meta")?;
            let total = match meta.get("total") {
                None | Some(Value::Null) => items.len() as f64,
                Some(_) => number(meta, "total", context, "data.meta")?,
            };
            let next = match meta.get("next_page_payload") {
                // "is empty for the last page": {} from Rails, also [] or null or nothing.
                None | Some(Value::Null) => None,
                Some(Value::Object(entries)) if entries.is_empty() => None,
                Some(Value::Array(items)) if items.is_empty() => None,
                Some(Value::String(s)) if s.is_empty() => None,
                Some(payload @ Value::Object(_)) => Some(payload.clone()),
                Some(other) => {
                    return Err(malformed(
                        context,
                        format_args!(
                            "has data.meta.next_page_payload as {}, not an object",
                            other.kind_name()
                        ),
                    ))
                }
            };
            (total, next)
        }
    };
    Ok(Page {
        items,
        total,
        next_page_payload,
    })
}

/// `err.error_data` of an error body, when there is one: `[{parameter, msg}]` per the API's error reference.
pub fn error_data(body: &Value) -> Option<&Value> {
    body.get("err")?
        .get("error_data")
        .filter(|v| !matches!(v, Value::Null))
}

/// Turns an HTTP answer into the documented object, or the error it stands for.
///
/// `body` is the parsed JSON, or `None` when the body was not JSON. `context` names the request in messages,
/// such as `GET /api/v2/users/11428`; it must not hold the query string (which carries the signature).
/// `now` is when the answer arrived, in Unix seconds: pre-signed URLs expire
/// [`URL_LIFETIME_SECONDS`](crate::upload::URL_LIFETIME_SECONDS) later.
pub fn parse_response(
    kind: ResponseKind,
    status: u16,
    body: Option<&Value>,
    context: &str,
    now: i64,
) -> Result<ApiResponse, KycError> {
    if status == 404 {
        let msg = body
            .and_then(|b| b.get("err"))
            .and_then(|e| e.get("msg"))
            .and_then(Value::as_str)
            .unwrap_or("the requested resource could not be located");
        return Err(KycError::NotFound(format!("{context}: {msg}")));
    }
    let ok_status = (200..300).contains(&status);
    let Some(body) = body else {
        if ok_status {
            return Err(malformed(
                context,
                format_args!("to HTTP {status} is not JSON"),
            ));
        }
        return Err(api_error(None, Some(status)));
    };
    match success_flag(body) {
        Some(true) => {}
        Some(false) => {
            // "a `false` in case the format of the ethereum address is incorrect"
            if kind == ResponseKind::EthereumAddressValidation && matches!(status, 200 | 400 | 422)
            {
                return Ok(ApiResponse::EthereumAddressValid(false));
            }
            return Err(api_error(Some(body), Some(status)));
        }
        None if ok_status => {
            return Err(malformed(context, "has no boolean \"success\""));
        }
        None => return Err(api_error(Some(body), Some(status))),
    }
    if kind == ResponseKind::EthereumAddressValidation {
        return Ok(ApiResponse::EthereumAddressValid(true));
    }
    if let ResponseKind::EmailSent(email) = kind {
        return Ok(ApiResponse::EmailSent(email));
    }
    let data = object(field(body, "data", context, "body")?, context, "data")?;
    let expected = match kind {
        ResponseKind::User => "user",
        ResponseKind::Users => "users",
        ResponseKind::UserKyc => "user_kyc",
        ResponseKind::UsersKyc => "users_kyc",
        ResponseKind::UserKycDetail => "user_kyc_detail",
        ResponseKind::PresignedUrls(k) => k.result_type(),
        ResponseKind::EthereumAddressValidation | ResponseKind::EmailSent(_) => "",
    };
    match data.get("result_type") {
        Some(Value::String(s)) if s == expected => {}
        None => {}
        Some(_) => {
            return Err(malformed(
                context,
                format_args!("has a data.result_type other than \"{expected}\""),
            ))
        }
    }
    Ok(match kind {
        ResponseKind::User => ApiResponse::User(parse_user(
            field(data, "user", context, "data")?,
            context,
            "data.user",
        )?),
        ResponseKind::Users => ApiResponse::Users(parse_page(data, "users", context, parse_user)?),
        ResponseKind::UserKyc => ApiResponse::UserKyc(parse_user_kyc(
            field(data, "user_kyc", context, "data")?,
            context,
            "data.user_kyc",
        )?),
        ResponseKind::UsersKyc => {
            ApiResponse::UsersKyc(parse_page(data, "users_kyc", context, parse_user_kyc)?)
        }
        ResponseKind::UserKycDetail => {
            // With the dashboard's data sharing OFF the seed shows the object under data.user_kyc.
            let (value, shared, path) = match data.get("user_kyc_detail") {
                Some(v) => (v, true, "data.user_kyc_detail"),
                None => (
                    field(data, "user_kyc", context, "data")?,
                    false,
                    "data.user_kyc",
                ),
            };
            ApiResponse::UserKycDetail(parse_detail(value, shared, context, path)?)
        }
        ResponseKind::PresignedUrls(k) => {
            let path = format!("data.{}", k.result_type());
            let map = object(
                field(data, k.result_type(), context, "data")?,
                context,
                &path,
            )?;
            let entries = map.as_object().unwrap_or_default();
            let targets =
                targets_from(entries, Some(k), &path, None, now).map_err(|e| match e {
                    KycError::MalformedBody(m) => {
                        KycError::malformed(format!("{context}: the response's {m}"))
                    }
                    other => other,
                })?;
            ApiResponse::PresignedUrls(k, targets)
        }
        ResponseKind::EthereumAddressValidation => ApiResponse::EthereumAddressValid(true),
        ResponseKind::EmailSent(email) => ApiResponse::EmailSent(email),
    })
}

/// Why OST refused an e-mail call, as its error identifier (`kyc_not_approved`, `kyc_not_denied`,
/// `kyc_not_reported_issue`): the server answers HTTP 422 `UNPROCESSABLE_ENTITY` when the user's KYC is not in
/// the state the e-mail announces. `None` for any other error or call.
pub fn email_refusal(kind: ResponseKind, error: &KycError) -> Option<&'static str> {
    match (kind, error) {
        (
            ResponseKind::EmailSent(email),
            KycError::Api {
                status: Some(422), ..
            },
        ) => Some(email.refusal()),
        _ => None,
    }
}

fn obj(entries: Vec<(&str, Value)>) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn string_array(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

impl User {
    /// `{id, email, properties, created_at}`.
    pub fn to_value(&self) -> Value {
        obj(vec![
            ("id", Value::Number(self.id)),
            ("email", Value::string(self.email.clone())),
            ("properties", string_array(&self.properties)),
            ("created_at", Value::Number(self.created_at)),
        ])
    }
}

impl UserKyc {
    /// The documented user-kyc object; `last_acted_by` is `null` when absent.
    pub fn to_value(&self) -> Value {
        obj(vec![
            ("id", Value::Number(self.id)),
            ("user_kyc_detail_id", Value::Number(self.user_kyc_detail_id)),
            ("user_id", Value::Number(self.user_id)),
            ("kyc_status", Value::string(self.kyc_status.clone())),
            ("admin_status", Value::string(self.admin_status.clone())),
            ("aml_status", Value::string(self.aml_status.clone())),
            (
                "whitelist_status",
                Value::string(self.whitelist_status.clone()),
            ),
            ("admin_action_types", string_array(&self.admin_action_types)),
            ("submission_count", Value::Number(self.submission_count)),
            (
                "last_acted_by",
                self.last_acted_by
                    .clone()
                    .map(Value::String)
                    .unwrap_or(Value::Null),
            ),
            ("created_at", Value::Number(self.created_at)),
        ])
    }
}

impl UserKycDetail {
    /// `{id, created_at, …fields}`.
    pub fn to_value(&self) -> Value {
        let mut entries = vec![
            ("id".to_string(), Value::Number(self.id)),
            ("created_at".to_string(), Value::Number(self.created_at)),
        ];
        entries.extend(self.fields.iter().cloned());
        Value::Object(entries)
    }
}

impl<T> Page<T> {
    /// `{items, meta: {total, next_page_payload}}`, with `next_page_payload` `null` on the last page.
    pub fn to_value(&self, item: fn(&T) -> Value) -> Value {
        obj(vec![
            ("items", Value::Array(self.items.iter().map(item).collect())),
            (
                "meta",
                obj(vec![
                    ("total", Value::Number(self.total)),
                    (
                        "next_page_payload",
                        self.next_page_payload.clone().unwrap_or(Value::Null),
                    ),
                ]),
            ),
        ])
    }
}

impl ApiResponse {
    /// The value JavaScript receives: the documented object, a page `{items, meta}`, a boolean for the
    /// address validation, or `{[fileKey]: {url, fields}}` for pre-signed URLs.
    pub fn to_value(&self) -> Value {
        match self {
            ApiResponse::User(user) => user.to_value(),
            ApiResponse::Users(page) => page.to_value(User::to_value),
            ApiResponse::UserKyc(kyc) => kyc.to_value(),
            ApiResponse::UsersKyc(page) => page.to_value(UserKyc::to_value),
            ApiResponse::UserKycDetail(detail) => detail.to_value(),
            ApiResponse::EthereumAddressValid(valid) => Value::Bool(*valid),
            ApiResponse::EmailSent(_) => Value::Bool(true),
            ApiResponse::PresignedUrls(_, targets) => Value::Object(
                targets
                    .iter()
                    .map(|t| {
                        (
                            t.key.clone(),
                            obj(vec![
                                ("url", Value::string(t.url.clone())),
                                (
                                    "fields",
                                    Value::Object(
                                        t.fields
                                            .iter()
                                            .map(|(k, v)| (k.clone(), Value::string(v.clone())))
                                            .collect(),
                                    ),
                                ),
                            ]),
                        )
                    })
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn parse(kind: ResponseKind, status: u16, text: &str) -> Result<ApiResponse, KycError> {
        parse_response(
            kind,
            status,
            Some(&json(text)),
            "GET /api/v2/x",
            1_542_185_198,
        )
    }

    // The example responses below are copied from the seed document (000_87a098faffe7ca24.txt).

    const SEED_CREATE_USER: &str = r#"{"success": true, "data": {"result_type": "user", "user": {
        "id": 11428, "email": "kycuser@ost.com", "properties": [], "created_at": 1539163614}}}"#;

    const SEED_NOT_FOUND: &str = r#"{"success": false, "err": {"internal_id": "um_u_g_favu_2",
        "msg": "The requested resource could not be located.", "code": "NOT_FOUND"}}"#;

    const SEED_USER_KYC: &str = r#"{"success": true, "data": {"result_type": "user_kyc", "user_kyc": {
        "id": 290, "user_kyc_detail_id": 727, "user_id": 11420, "kyc_status": "pending",
        "admin_status": "unprocessed", "aml_status": "unprocessed", "whitelist_status": "unprocessed",
        "admin_action_types": [], "submission_count": 7, "last_acted_by": "Admin Name",
        "created_at": 1538995369}}}"#;

    const SEED_DETAIL_OFF: &str = r#"{"success": true, "data": {"result_type": "user_kyc_detail",
        "user_kyc": {"id": 727, "created_at": 1539622156}}}"#;

    const SEED_DETAIL_ON: &str = r#"{"success": true, "data": {"result_type": "user_kyc_detail",
        "user_kyc_detail": {"id": 727, "created_at": 1539622156, "first_name": "yogesh", "last_name": "sawant",
        "birthdate": "23/07/1991", "country": "INDIA", "nationality": "INDIAN", "document_id_number": "Ab0bd1234",
        "document_id_file": "https://s3.amazonaws.com/kyc.stagingost.com/3/i/anm15395b85581eab3068cb43ftc0rt1_ROTATE_0?X-Amz-Algorithm=AWS4-HMAC-SHA256..",
        "selfie_file": "https://s3.amazonaws.com/kyc.stagingost.com/3/i/b3vvte895rt5581eab3068cb43ftc0vg1_ROTATE_0?X-Amz-Algorithm=AWS4-HMAC-SHA256..",
        "residence_proof_file": "https://s3.amazonaws.com/kyc.stagingost.com/3/i/bty153op985581eab3068cb43ftcqw21_ROTATE_0?X-Amz..",
        "investor_proof_files": [
          "https://s3.amazonaws.com/kyc.stagingost.com/3/i/a3991395b852serab3068cb43ftc0f61_ROTATE_0?X-Amz..",
          "https://s3.amazonaws.com/kyc.stagingost.com/3/i/a5565395b85581eiop3068cb43ftc0f61_ROTATE_0?X-Amz.."],
        "ethereum_address": "0xEC305b4c269dEd899b6fBA12776fbbDBdC564793", "estimated_participation_amount": 1.1,
        "street_address": "Hadapsar", "city": "pune", "state": "Maharashtra", "postal_code": "411028"}}}"#;

    const SEED_PUT: &str = r#"{"success": "true", "data": {"result_type": "file_upload_put", "file_upload_put": {
        "document_id": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/i/anm15395b85581eab3068cb43ftc0rt1?X-Amz-Algorithm=AWS4..",
                        "fields": {"key": "3/i/anm15395b85581eab3068cb43ftc0rt1"}},
        "selfie": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/i/b3vvte895rt5581eab3068cb43ftc0vg?X-Amz-Algorithm=AWS4..",
                   "fields": {"key": "3/i/b3vvte895rt5581eab3068cb43ftc0vg"}}}}}"#;

    const SEED_POST: &str = r#"{"success": true, "data": {"result_type": "file_upload_post", "file_upload_post": {
        "document_id": {"url": "https://s3.amazonaws.com/kyc.ost.com", "fields": {
            "key": "3/i/b3vvte895rt5581eab3068cb43ftc0vg1", "x-amz-server-side-encryption": "aws:kms",
            "x-amz-server-side-encryption-aws-kms-key-id": "5734c3ab-c4ae-4424-a464-2253ui828296",
            "policy": "abcdefghijklmnopqrstuvwxvz",
            "x-amz-credential": "akiajudralnurkavs5iq/20180123/us-east-1/s3/aws4_request",
            "x-amz-algorithm": "aws4-hmac-sha256", "x-amz-date": "20180123t091405z",
            "x-amz-signature": "34cc2f3925c360ecf0ed2ed5a1074f23537807005ffa21e4bc1ebb5225f9875a"}}}}}"#;

    fn users_page(next: &str) -> String {
        format!(
            r#"{{"success": true, "data": {{"result_type": "users", "users": [
            {{"id": 11442, "email": "kycuser10@ost.com", "properties": [], "created_at": 1539339413}},
            {{"id": 11430, "email": "kycuser9@ost.com", "properties": ["kyc_submitted"], "created_at": 1539169109}}],
            "meta": {{"total": 39, "next_page_payload": {next}}}}}}}"#
        )
    }

    #[test]
    fn users() {
        let ApiResponse::User(user) = parse(ResponseKind::User, 200, SEED_CREATE_USER).unwrap()
        else {
            panic!()
        };
        assert_eq!(user.id, 11428.0);
        assert_eq!(user.email, "kycuser@ost.com");
        assert!(user.properties.is_empty());
        assert_eq!(
            ApiResponse::User(user).to_value(),
            json(
                r#"{"id": 11428, "email": "kycuser@ost.com", "properties": [], "created_at": 1539163614}"#
            )
        );
        // Ids as numeric strings, as the webhooks send them.
        let text = r#"{"success": true, "data": {"result_type": "user", "user": {"id": "11493",
            "email": "a@b.c", "properties": ["doptin_mail_sent"], "created_at": "1541144915"}}}"#;
        let value = parse(ResponseKind::User, 200, text).unwrap().to_value();
        assert_eq!(value.get("id"), Some(&Value::Number(11493.0)));
        assert_eq!(
            value.get("created_at"),
            Some(&Value::Number(1_541_144_915.0))
        );
    }

    #[test]
    fn pages_follow_next_page_payload() {
        let next =
            r#"{"page_number": 2, "filters": {"email": "kycuser"}, "order": "desc", "limit": 10}"#;
        let ApiResponse::Users(page) = parse(ResponseKind::Users, 200, &users_page(next)).unwrap()
        else {
            panic!()
        };
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.total, 39.0);
        assert_eq!(page.next_page_payload, Some(json(next)));
        let value = ApiResponse::Users(page).to_value();
        assert_eq!(
            value.get("meta").unwrap().get("next_page_payload"),
            Some(&json(next))
        );
        assert_eq!(
            value.get("items").unwrap(),
            &json(
                r#"[{"id": 11442, "email": "kycuser10@ost.com", "properties": [], "created_at": 1539339413},
                    {"id": 11430, "email": "kycuser9@ost.com", "properties": ["kyc_submitted"], "created_at": 1539169109}]"#
            )
        );
        for last in ["{}", "[]", "null", "\"\""] {
            let ApiResponse::Users(page) =
                parse(ResponseKind::Users, 200, &users_page(last)).unwrap()
            else {
                panic!()
            };
            assert_eq!(page.next_page_payload, None, "{last}");
            assert_eq!(
                ApiResponse::Users(page)
                    .to_value()
                    .get("meta")
                    .unwrap()
                    .get("next_page_payload"),
                Some(&Value::Null)
            );
        }
        // An empty last page, without meta.
        let empty = r#"{"success": true, "data": {"result_type": "users", "users": []}}"#;
        let ApiResponse::Users(page) = parse(ResponseKind::Users, 200, empty).unwrap() else {
            panic!()
        };
        assert!(page.items.is_empty());
        assert_eq!(page.total, 0.0);
        assert_eq!(
            parse(ResponseKind::Users, 200, &users_page("5"))
                .unwrap_err()
                .code(),
            "MALFORMED_BODY"
        );
    }

    #[test]
    fn users_kyc() {
        let ApiResponse::UserKyc(kyc) = parse(ResponseKind::UserKyc, 200, SEED_USER_KYC).unwrap()
        else {
            panic!()
        };
        assert_eq!(kyc.user_id, 11420.0);
        assert_eq!(kyc.last_acted_by.as_deref(), Some("Admin Name"));
        assert_eq!(
            kyc.to_value(),
            json(SEED_USER_KYC)
                .get("data")
                .unwrap()
                .get("user_kyc")
                .unwrap()
                .clone()
        );
        // "nil value indicates the last action was by the ost kyc system".
        let nil = SEED_USER_KYC.replace("\"Admin Name\"", "null");
        let ApiResponse::UserKyc(kyc) = parse(ResponseKind::UserKyc, 200, &nil).unwrap() else {
            panic!()
        };
        assert_eq!(kyc.last_acted_by, None);
        assert_eq!(kyc.to_value().get("last_acted_by"), Some(&Value::Null));
        let list = r#"{"success": true, "data": {"result_type": "users_kyc", "users_kyc": [{"id": 298,
            "user_kyc_detail_id": 688, "user_id": 11434, "kyc_status": "pending", "admin_status": "unprocessed",
            "aml_status": "cleared", "whitelist_status": "unprocessed", "admin_action_types": [],
            "submission_count": 25, "last_acted_by": "Admin Name", "created_at": 1539178516}],
            "meta": {"total": 13, "next_page_payload": {"page_number": 2, "filters": {}, "order": "desc", "limit": 10}}}}"#;
        let ApiResponse::UsersKyc(page) = parse(ResponseKind::UsersKyc, 200, list).unwrap() else {
            panic!()
        };
        assert_eq!(page.total, 13.0);
        assert_eq!(page.items[0].submission_count, 25.0);
        assert!(page.next_page_payload.is_some());
        let missing = SEED_USER_KYC.replace("\"kyc_status\": \"pending\",", "");
        let e = parse(ResponseKind::UserKyc, 200, &missing).unwrap_err();
        assert_eq!(e.code(), "MALFORMED_BODY");
        assert!(e.to_string().contains("data.user_kyc.kyc_status"), "{e}");
    }

    #[test]
    fn user_kyc_detail_in_both_dashboard_settings() {
        let ApiResponse::UserKycDetail(off) =
            parse(ResponseKind::UserKycDetail, 200, SEED_DETAIL_OFF).unwrap()
        else {
            panic!()
        };
        assert!(!off.data_shared);
        assert_eq!(
            off.to_value(),
            json(r#"{"id": 727, "created_at": 1539622156}"#)
        );
        let ApiResponse::UserKycDetail(on) =
            parse(ResponseKind::UserKycDetail, 200, SEED_DETAIL_ON).unwrap()
        else {
            panic!()
        };
        assert!(on.data_shared);
        assert_eq!(
            on.to_value(),
            json(SEED_DETAIL_ON)
                .get("data")
                .unwrap()
                .get("user_kyc_detail")
                .unwrap()
                .clone()
        );
        let stringy = SEED_DETAIL_ON.replace(
            "\"estimated_participation_amount\": 1.1",
            "\"estimated_participation_amount\": \"1.1\"",
        );
        let ApiResponse::UserKycDetail(d) =
            parse(ResponseKind::UserKycDetail, 200, &stringy).unwrap()
        else {
            panic!()
        };
        assert!(d
            .fields
            .contains(&("estimated_participation_amount".into(), Value::Number(1.1))));
        let bad = SEED_DETAIL_ON.replace("\"city\": \"pune\"", "\"city\": 5");
        assert_eq!(
            parse(ResponseKind::UserKycDetail, 200, &bad)
                .unwrap_err()
                .code(),
            "MALFORMED_BODY"
        );
    }

    #[test]
    fn presigned_urls_accept_the_string_true() {
        let r = parse(
            ResponseKind::PresignedUrls(UploadMethod::Put),
            200,
            SEED_PUT,
        )
        .unwrap();
        let ApiResponse::PresignedUrls(UploadMethod::Put, targets) = &r else {
            panic!()
        };
        assert_eq!(targets.len(), 2);
        assert_eq!(targets[0].key, "document_id");
        assert_eq!(
            targets[0].fields,
            vec![(
                "key".to_string(),
                "3/i/anm15395b85581eab3068cb43ftc0rt1".to_string()
            )]
        );
        assert_eq!(
            r.to_value(),
            json(SEED_PUT)
                .get("data")
                .unwrap()
                .get("file_upload_put")
                .unwrap()
                .clone()
        );
        let r = parse(
            ResponseKind::PresignedUrls(UploadMethod::Post),
            200,
            SEED_POST,
        )
        .unwrap();
        assert_eq!(
            r.to_value(),
            json(SEED_POST)
                .get("data")
                .unwrap()
                .get("file_upload_post")
                .unwrap()
                .clone()
        );
        // The PUT answer is not a POST answer.
        assert_eq!(
            parse(
                ResponseKind::PresignedUrls(UploadMethod::Post),
                200,
                SEED_PUT
            )
            .unwrap_err()
            .code(),
            "MALFORMED_BODY"
        );
        let no_url = SEED_POST.replace("\"url\": \"https://s3.amazonaws.com/kyc.ost.com\",", "");
        assert_eq!(
            parse(
                ResponseKind::PresignedUrls(UploadMethod::Post),
                200,
                &no_url
            )
            .unwrap_err()
            .code(),
            "MALFORMED_BODY"
        );
    }

    #[test]
    fn errors() {
        // 404 is NOT_FOUND, with the server's message and the request named.
        let e = parse(ResponseKind::User, 404, SEED_NOT_FOUND).unwrap_err();
        assert_eq!(e.code(), "NOT_FOUND");
        assert_eq!(e.status(), Some(404));
        assert!(
            e.to_string()
                .contains("GET /api/v2/x: The requested resource could not be located."),
            "{e}"
        );
        let e =
            parse_response(ResponseKind::User, 404, None, "GET /api/v2/users/1", 0).unwrap_err();
        assert_eq!(e.code(), "NOT_FOUND");
        // success:false is API_ERROR with the err fields.
        let unauthorized = r#"{"success": false, "err": {"code": "UNAUTHORIZED", "msg": "We could not authenticate the request.",
            "internal_id": "a_1", "error_data": []}}"#;
        let e = parse(ResponseKind::Users, 401, unauthorized).unwrap_err();
        assert_eq!(
            e,
            KycError::Api {
                code: "UNAUTHORIZED".into(),
                msg: "We could not authenticate the request.".into(),
                internal_id: "a_1".into(),
                status: Some(401),
            }
        );
        // Even with a 200 status, and with "false" as a string.
        let e = parse(
            ResponseKind::User,
            200,
            &unauthorized.replace("false", "\"false\""),
        )
        .unwrap_err();
        assert_eq!(e.code(), "API_ERROR");
        assert_eq!(e.status(), Some(200));
        // error_data is there for the binding to attach.
        let bad_request = r#"{"success": false, "err": {"code": "BAD_REQUEST", "msg": "At least one parameter is invalid or missing.",
            "internal_id": "b_2", "error_data": [{"parameter": "email", "msg": "is taken"}]}}"#;
        assert_eq!(
            error_data(&json(bad_request)),
            Some(&json(r#"[{"parameter": "email", "msg": "is taken"}]"#))
        );
        assert_eq!(error_data(&json(SEED_NOT_FOUND)), None);
        // Not JSON.
        let e =
            parse_response(ResponseKind::User, 502, None, "GET /api/v2/users/1", 0).unwrap_err();
        assert_eq!(e.code(), "API_ERROR");
        assert_eq!(e.details()[0], ("apiCode", "HTTP_502".to_string()));
        assert_eq!(e.status(), Some(502));
        let e =
            parse_response(ResponseKind::User, 200, None, "GET /api/v2/users/1", 0).unwrap_err();
        assert_eq!(e.code(), "MALFORMED_BODY");
        // JSON without success.
        assert_eq!(
            parse(ResponseKind::User, 200, "{}").unwrap_err().code(),
            "MALFORMED_BODY"
        );
        assert_eq!(
            parse(ResponseKind::User, 500, "{}").unwrap_err().code(),
            "API_ERROR"
        );
        assert_eq!(
            parse(ResponseKind::User, 200, "[1]").unwrap_err().code(),
            "MALFORMED_BODY"
        );
        // Wrong result type, missing data.
        assert_eq!(
            parse(ResponseKind::UserKyc, 200, SEED_CREATE_USER)
                .unwrap_err()
                .code(),
            "MALFORMED_BODY"
        );
        assert_eq!(
            parse(ResponseKind::User, 200, r#"{"success": true}"#)
                .unwrap_err()
                .code(),
            "MALFORMED_BODY"
        );
    }

    #[test]
    fn ethereum_address_validation_answers_true_or_false() {
        let r = parse(
            ResponseKind::EthereumAddressValidation,
            200,
            r#"{"success": true}"#,
        )
        .unwrap();
        assert_eq!(r.to_value(), Value::Bool(true));
        let invalid = r#"{"success": false, "err": {"code": "BAD_REQUEST", "msg": "invalid", "internal_id": "e_1",
            "error_data": [{"parameter": "ethereum_address", "msg": "Invalid ethereum address"}]}}"#;
        for status in [200, 400, 422] {
            let r = parse(ResponseKind::EthereumAddressValidation, status, invalid).unwrap();
            assert_eq!(r, ApiResponse::EthereumAddressValid(false));
        }
        // Authentication failures are still errors.
        let e = parse(ResponseKind::EthereumAddressValidation, 401, invalid).unwrap_err();
        assert_eq!(e.code(), "API_ERROR");
    }

    #[test]
    fn email_calls_answer_true_and_name_the_refusal() {
        let kind = ResponseKind::EmailSent(EmailKind::Deny);
        assert_eq!(
            parse(kind, 200, r#"{"success": true, "data": {}}"#)
                .unwrap()
                .to_value(),
            Value::Bool(true)
        );
        assert_eq!(
            parse(kind, 200, r#"{"success": true}"#).unwrap(),
            ApiResponse::EmailSent(EmailKind::Deny)
        );
        // OST's server: kyc_not_denied is HTTP 422 UNPROCESSABLE_ENTITY.
        let refused = r#"{"success": false, "err": {"code": "UNPROCESSABLE_ENTITY",
            "msg": "Could not process. KYC is not denied for user", "internal_id": "um_se_d_favukd_1"}}"#;
        let e = parse(kind, 422, refused).unwrap_err();
        assert_eq!(e.code(), "API_ERROR");
        assert_eq!(email_refusal(kind, &e), Some("kyc_not_denied"));
        for (email, reason) in [
            (EmailKind::Approve, "kyc_not_approved"),
            (EmailKind::Deny, "kyc_not_denied"),
            (EmailKind::ReportIssue, "kyc_not_reported_issue"),
        ] {
            let e = parse(ResponseKind::EmailSent(email), 422, refused).unwrap_err();
            assert_eq!(
                email_refusal(ResponseKind::EmailSent(email), &e),
                Some(reason)
            );
        }
        // Other errors and other calls carry no refusal.
        let bad =
            r#"{"success": false, "err": {"code": "BAD_REQUEST", "msg": "x", "internal_id": "y"}}"#;
        assert_eq!(
            email_refusal(kind, &parse(kind, 400, bad).unwrap_err()),
            None
        );
        let e = parse(kind, 404, bad).unwrap_err();
        assert_eq!(e.code(), "NOT_FOUND");
        assert_eq!(email_refusal(kind, &e), None);
        let e = parse(ResponseKind::UserKyc, 422, refused).unwrap_err();
        assert_eq!(email_refusal(ResponseKind::UserKyc, &e), None);
    }
}
