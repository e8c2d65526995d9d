//! One request builder per documented OST KYC endpoint (seed `000_87a098faffe7ca24.txt`).
//!
//! A builder checks its arguments and returns a [`Call`]: method, path, the unsigned parameters and the
//! response to expect. [`Call::sign`] then signs it with a timestamp, so a client can sign the same call
//! afresh on every attempt (the server accepts `request_timestamp` only within ±10 s).
//!
//! | builder | request |
//! |---|---|
//! | [`create_user`] | `POST /api/v2/users` (`email`) |
//! | [`get_user`] | `GET /api/v2/users/{id}` |
//! | [`list_users`] | `GET /api/v2/users` (`filters`, `page_number`, `order`, `limit`) |
//! | [`submit_kyc`] | `POST /api/v2/users-kyc/{user_id}` |
//! | [`get_user_kyc`] | `GET /api/v2/users-kyc/{user_id}` |
//! | [`list_users_kyc`] | `GET /api/v2/users-kyc` (`filters`, `page_number`, `order`, `limit`) |
//! | [`get_user_kyc_detail`] | `GET /api/v2/users-kyc-detail/{user_id}` |
//! | [`validate_ethereum_address`] | `GET /api/v2/ethereum-address-validation` (`ethereum_address`) |
//! | [`presigned_urls`] | `GET /api/v2/users-kyc/pre-signed-urls/for-put` or `/for-post` (`files`) |
//! | [`send_email`] | `POST /api/v2/users-kyc/{user_id}/email/approve`, `/email/deny` or `/email/report-issue` (`template_vars`) |
//!
//! The e-mail endpoints are not in the seed; they are in all five official SDKs (`email_approve`,
//! `email_deny`, `email_report_issue`) and in OST's server, which answers HTTP 422 `UNPROCESSABLE_ENTITY`
//! (error identifiers `kyc_not_approved`, `kyc_not_denied`, `kyc_not_reported_issue`) when the user's KYC is
//! not in the matching state: see [`EmailKind`].

use crate::error::KycError;
use crate::signing::{sign_ost_request, Credentials, SignedRequest};
use crate::upload::Method as UploadMethod;
use crate::value::{js_number, Limits, Value};

/// `/api/v2/users`.
pub const USERS_PATH: &str = "/api/v2/users";
/// `/api/v2/users-kyc`.
pub const USERS_KYC_PATH: &str = "/api/v2/users-kyc";
/// `/api/v2/users-kyc-detail`.
pub const USERS_KYC_DETAIL_PATH: &str = "/api/v2/users-kyc-detail";
/// `/api/v2/ethereum-address-validation`.
pub const ETHEREUM_ADDRESS_VALIDATION_PATH: &str = "/api/v2/ethereum-address-validation";
/// `/api/v2/users-kyc/pre-signed-urls/for-put`.
pub const PRESIGNED_PUT_PATH: &str = "/api/v2/users-kyc/pre-signed-urls/for-put";
/// `/api/v2/users-kyc/pre-signed-urls/for-post`.
pub const PRESIGNED_POST_PATH: &str = "/api/v2/users-kyc/pre-signed-urls/for-post";

/// The production API origin.
pub const PRODUCTION_BASE_URL: &str = "https://kyc.ost.com";
/// OST's sandbox API origin, the one the official SDKs' READMEs name.
pub const SANDBOX_BASE_URL: &str = "https://kyc.sandboxost.com";

/// `limit` bounds of the list endpoints ("min. 1, max. 100, default 10").
pub const LIMIT_RANGE: (u64, u64) = (1, 100);
/// `order` values of the list endpoints.
pub const ORDERS: &[&str] = &["asc", "desc"];
/// `filters.admin_status` of `GET /users-kyc`.
pub const ADMIN_STATUSES: &[&str] = &["unprocessed", "qualified", "denied"];
/// `filters.aml_status` of `GET /users-kyc`, as documented (`cleared:approved` included).
pub const AML_STATUSES: &[&str] = &[
    "cleared:approved",
    "unprocessed",
    "pending",
    "cleared",
    "approved",
    "rejected",
    "failed",
];
/// `filters.whitelist_status` of `GET /users-kyc`.
pub const WHITELIST_STATUSES: &[&str] = &["unprocessed", "started", "done", "failed"];
/// `filters.admin_action_types` of `GET /users-kyc`.
pub const ADMIN_ACTION_TYPES: &[&str] = &[
    "no_admin_action",
    "data_mismatch",
    "document_issue",
    "other_issue",
];
/// Content types the pre-signed URL endpoints accept (compared case-insensitively, sent in lowercase).
pub const UPLOAD_CONTENT_TYPES: &[&str] = crate::upload::ALLOWED_CONTENT_TYPES;
/// Longest file key accepted for the pre-signed URL endpoints.
pub const MAX_FILE_KEY_LEN: usize = 128;

/// An HTTP method of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Parameters in the query string; idempotent, so a client may retry it.
    Get,
    /// Parameters in a form-urlencoded body; never retried.
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    /// Whether sending it twice is harmless, so that a failed attempt may be retried.
    pub fn is_idempotent(self) -> bool {
        self == Method::Get
    }
}

/// The pre-signed URL endpoint for targets of `kind` (`/for-put` or `/for-post`).
pub fn presigned_path(kind: UploadMethod) -> &'static str {
    match kind {
        UploadMethod::Put => PRESIGNED_PUT_PATH,
        UploadMethod::Post => PRESIGNED_POST_PATH,
    }
}

/// Which of the three KYC status e-mails OST sends the user on the client's behalf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailKind {
    /// `/email/approve`: only once the user's KYC is approved.
    Approve,
    /// `/email/deny`: only once the user's KYC is denied.
    Deny,
    /// `/email/report-issue`: only when an admin reported an issue (`admin_action_types` is not empty).
    ReportIssue,
}

impl EmailKind {
    /// The last path segment: `approve`, `deny` or `report-issue`.
    pub fn path_segment(self) -> &'static str {
        match self {
            EmailKind::Approve => "approve",
            EmailKind::Deny => "deny",
            EmailKind::ReportIssue => "report-issue",
        }
    }

    /// OST's error identifier when the user's KYC is not in the matching state (the server answers it as
    /// HTTP 422 `UNPROCESSABLE_ENTITY`).
    pub fn refusal(self) -> &'static str {
        match self {
            EmailKind::Approve => "kyc_not_approved",
            EmailKind::Deny => "kyc_not_denied",
            EmailKind::ReportIssue => "kyc_not_reported_issue",
        }
    }
}

/// What a call's response holds, so that it can be parsed into the documented object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseKind {
    /// `data.user`.
    User,
    /// `data.users` and `data.meta`.
    Users,
    /// `data.user_kyc`.
    UserKyc,
    /// `data.users_kyc` and `data.meta`.
    UsersKyc,
    /// `data.user_kyc_detail` (or `data.user_kyc` when the client shares no KYC data).
    UserKycDetail,
    /// Only `success`.
    EthereumAddressValidation,
    /// `data.file_upload_put` or `data.file_upload_post`.
    PresignedUrls(UploadMethod),
    /// Only `success`: the e-mail was queued.
    EmailSent(EmailKind),
}

/// A validated, not yet signed API call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// GET or POST.
    pub method: Method,
    /// The endpoint path, ids included, e.g. `/api/v2/users/11428`. It is what gets signed before `?`.
    pub path: String,
    /// The endpoint's own parameters (an object), without `api_key`, `request_timestamp` or `signature`.
    pub params: Value,
    /// What the response holds.
    pub kind: ResponseKind,
}

/// A signed call, ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct OstRequest {
    /// GET or POST.
    pub method: Method,
    /// The endpoint path.
    pub path: String,
    /// What the response holds.
    pub kind: ResponseKind,
    /// The signature, the string that was signed and the query (`…&signature=…`).
    pub signed: SignedRequest,
}

impl OstRequest {
    /// The query string to append after `?`, for a GET.
    pub fn query(&self) -> Option<&str> {
        (self.method == Method::Get).then_some(self.signed.query.as_str())
    }

    /// The `application/x-www-form-urlencoded` body, for a POST.
    pub fn body(&self) -> Option<&str> {
        (self.method == Method::Post).then_some(self.signed.query.as_str())
    }

    /// `path?query` for a GET, `path` for a POST: what to append to the base URL.
    pub fn path_and_query(&self) -> String {
        match self.query() {
            Some(query) => format!("{}?{query}", self.path),
            None => self.path.clone(),
        }
    }
}

impl Call {
    fn new(
        method: Method,
        path: impl Into<String>,
        params: Vec<(String, Value)>,
        kind: ResponseKind,
    ) -> Call {
        Call {
            method,
            path: path.into(),
            params: Value::Object(params),
            kind,
        }
    }

    /// Signs the call at `timestamp` (Unix seconds).
    pub fn sign(
        &self,
        credentials: &Credentials,
        timestamp: i64,
        limits: &Limits,
    ) -> Result<OstRequest, KycError> {
        let signed = sign_ost_request(&self.path, &self.params, credentials, timestamp, limits)?;
        Ok(OstRequest {
            method: self.method,
            path: self.path.clone(),
            kind: self.kind,
            signed,
        })
    }
}

/// The largest integer a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A positive integer given as a whole number or a string of decimal digits (a JavaScript `bigint` arrives
/// as its decimal string). Returns its decimal text.
pub fn positive_integer(value: &Value, what: &str) -> Result<String, KycError> {
    let bad = || {
        KycError::invalid_argument(format!(
            "{what} must be a positive integer (a whole number or a string of digits, such as 11420), got {}",
            value.kind_name()
        ))
    };
    match value {
        Value::Number(n)
            if n.is_finite() && n.fract() == 0.0 && *n >= 1.0 && *n <= MAX_SAFE_INTEGER =>
        {
            Ok(js_number(*n))
        }
        Value::String(s)
            if !s.is_empty()
                && s.len() <= 20
                && s.bytes().all(|b| b.is_ascii_digit())
                && !s.starts_with('0') =>
        {
            s.parse::<u64>().map(|n| n.to_string()).map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

fn integer_in(value: &Value, what: &str, min: u64, max: u64) -> Result<(), KycError> {
    let n = positive_integer(value, what)?
        .parse::<u64>()
        .map_err(|_| KycError::invalid_argument(format!("{what} is out of range")))?;
    if n < min || n > max {
        return Err(KycError::invalid_argument(format!(
            "{what} must be a whole number from {min} to {max}"
        )));
    }
    Ok(())
}

fn one_of(value: &Value, what: &str, allowed: &[&str]) -> Result<(), KycError> {
    match value {
        Value::String(s) if allowed.contains(&s.as_str()) => Ok(()),
        Value::String(_) => Err(KycError::invalid_argument(format!(
            "{what} must be one of {}",
            quoted_list(allowed)
        ))),
        other => Err(KycError::invalid_argument(format!(
            "{what} must be a string, one of {}; got {}",
            quoted_list(allowed),
            other.kind_name()
        ))),
    }
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a filter's value is checked.
#[derive(Clone, Copy, Debug)]
enum FilterRule {
    /// `true`/`false`, or the strings `"true"`/`"false"`.
    Boolean,
    /// Any string.
    Text,
    /// One of the documented strings.
    OneOf(&'static [&'static str]),
}

const USERS_FILTERS: &[(&str, FilterRule)] = &[
    ("is_kyc_submitted", FilterRule::Boolean),
    ("is_doptin_done", FilterRule::Boolean),
    ("is_doptin_mail_sent", FilterRule::Boolean),
    ("email", FilterRule::Text),
];

const USERS_KYC_FILTERS: &[(&str, FilterRule)] = &[
    ("admin_status", FilterRule::OneOf(ADMIN_STATUSES)),
    ("aml_status", FilterRule::OneOf(AML_STATUSES)),
    ("whitelist_status", FilterRule::OneOf(WHITELIST_STATUSES)),
    ("admin_action_types", FilterRule::OneOf(ADMIN_ACTION_TYPES)),
];

fn check_filters(filters: &Value, allowed: &[(&str, FilterRule)]) -> Result<(), KycError> {
    let Value::Object(entries) = filters else {
        return Err(KycError::invalid_argument(format!(
            "params.filters must be an object, got {}",
            filters.kind_name()
        )));
    };
    for (key, value) in entries {
        let what = format!("params.filters.{key}");
        let Some((_, rule)) = allowed.iter().find(|(name, _)| name == key) else {
            let names: Vec<&str> = allowed.iter().map(|(name, _)| *name).collect();
            return Err(KycError::invalid_argument(format!(
                "{what} is not a documented filter; use {}",
                quoted_list(&names)
            )));
        };
        match rule {
            FilterRule::Boolean => match value {
                Value::Bool(_) => {}
                Value::String(s) if s == "true" || s == "false" => {}
                other => {
                    return Err(KycError::invalid_argument(format!(
                        "{what} must be true or false, got {}",
                        other.kind_name()
                    )))
                }
            },
            FilterRule::Text => {
                if !matches!(value, Value::String(_)) {
                    return Err(KycError::invalid_argument(format!(
                        "{what} must be a string, got {}",
                        value.kind_name()
                    )));
                }
            }
            FilterRule::OneOf(values) => one_of(value, &what, values)?,
        }
    }
    Ok(())
}

fn list_params(
    params: &Value,
    filters: &[(&str, FilterRule)],
) -> Result<Vec<(String, Value)>, KycError> {
    let entries = match params {
        Value::Null => return Ok(Vec::new()),
        Value::Object(entries) => entries,
        other => {
            return Err(KycError::invalid_argument(format!(
                "params must be an object such as {{page_number: 1, order: \"desc\", limit: 10, filters: {{}}}}, got {}",
                other.kind_name()
            )))
        }
    };
    for (key, value) in entries {
        match key.as_str() {
            "filters" => check_filters(value, filters)?,
            "page_number" => {
                positive_integer(value, "params.page_number")?;
            }
            "order" => one_of(value, "params.order", ORDERS)?,
            "limit" => integer_in(value, "params.limit", LIMIT_RANGE.0, LIMIT_RANGE.1)?,
            _ => {
                return Err(KycError::invalid_argument(format!(
                    "params.{key} is not a parameter of this list; use filters, page_number, order and limit"
                )))
            }
        }
    }
    Ok(entries.clone())
}

/// `POST /api/v2/users`: creates a user from an email address.
pub fn create_user(email: &Value) -> Result<Call, KycError> {
    let Value::String(text) = email else {
        return Err(KycError::invalid_argument(format!(
            "email must be a string, got {}",
            email.kind_name()
        )));
    };
    if text.trim().is_empty() || !text.contains('@') {
        return Err(KycError::invalid_argument(
            "email must be an email address, such as kyc@ost.com",
        ));
    }
    Ok(Call::new(
        Method::Post,
        USERS_PATH,
        vec![("email".into(), email.clone())],
        ResponseKind::User,
    ))
}

/// `GET /api/v2/users/{id}`.
pub fn get_user(id: &Value) -> Result<Call, KycError> {
    let id = positive_integer(id, "id")?;
    Ok(Call::new(
        Method::Get,
        format!("{USERS_PATH}/{id}"),
        Vec::new(),
        ResponseKind::User,
    ))
}

/// `GET /api/v2/users`, with `filters` (`is_kyc_submitted`, `is_doptin_done`, `is_doptin_mail_sent`,
/// `email`), `page_number`, `order` and `limit`. `Null` is no parameters.
pub fn list_users(params: &Value) -> Result<Call, KycError> {
    Ok(Call::new(
        Method::Get,
        USERS_PATH,
        list_params(params, USERS_FILTERS)?,
        ResponseKind::Users,
    ))
}

/// `POST /api/v2/users-kyc/{user_id}`: adds or updates a user's KYC details.
///
/// Only the shape is checked here (an object of strings, numbers and arrays of strings); the field rules are
/// [`validate_kyc_submission`](super::submission::validate_kyc_submission)'s.
pub fn submit_kyc(user_id: &Value, fields: &Value) -> Result<Call, KycError> {
    let user_id = positive_integer(user_id, "userId")?;
    let Value::Object(entries) = fields else {
        return Err(KycError::invalid_argument(format!(
            "fields must be an object of KYC fields, such as {{first_name: \"Yogesh\", …}}, got {}",
            fields.kind_name()
        )));
    };
    for (key, value) in entries {
        let nested = match value {
            Value::Object(_) => true,
            Value::Array(items) => items
                .iter()
                .any(|item| matches!(item, Value::Object(_) | Value::Array(_))),
            _ => false,
        };
        if nested {
            return Err(KycError::invalid_argument(format!(
                "fields.{key} must be a string, a number or an array of strings"
            )));
        }
    }
    Ok(Call::new(
        Method::Post,
        format!("{USERS_KYC_PATH}/{user_id}"),
        entries.clone(),
        ResponseKind::UserKyc,
    ))
}

/// `GET /api/v2/users-kyc/{user_id}`: the status of a user's last KYC submission.
pub fn get_user_kyc(user_id: &Value) -> Result<Call, KycError> {
    let user_id = positive_integer(user_id, "userId")?;
    Ok(Call::new(
        Method::Get,
        format!("{USERS_KYC_PATH}/{user_id}"),
        Vec::new(),
        ResponseKind::UserKyc,
    ))
}

/// `GET /api/v2/users-kyc`, with `filters` (`admin_status`, `aml_status`, `whitelist_status`,
/// `admin_action_types`, each from its documented set), `page_number`, `order` and `limit`.
pub fn list_users_kyc(params: &Value) -> Result<Call, KycError> {
    Ok(Call::new(
        Method::Get,
        USERS_KYC_PATH,
        list_params(params, USERS_KYC_FILTERS)?,
        ResponseKind::UsersKyc,
    ))
}

/// `GET /api/v2/users-kyc-detail/{user_id}`: the KYC data a user submitted.
pub fn get_user_kyc_detail(user_id: &Value) -> Result<Call, KycError> {
    let user_id = positive_integer(user_id, "userId")?;
    Ok(Call::new(
        Method::Get,
        format!("{USERS_KYC_DETAIL_PATH}/{user_id}"),
        Vec::new(),
        ResponseKind::UserKycDetail,
    ))
}

/// `GET /api/v2/ethereum-address-validation?ethereum_address=…`: asks the server whether the format is right.
pub fn validate_ethereum_address(address: &Value) -> Result<Call, KycError> {
    match address {
        Value::String(s) if !s.is_empty() => {}
        Value::String(_) => return Err(KycError::invalid_argument("address is empty")),
        other => {
            return Err(KycError::invalid_argument(format!(
            "address must be a string such as 0x81b7e08f65bdf5648606c89998a9cc8164397647, got {}",
            other.kind_name()
        )))
        }
    }
    Ok(Call::new(
        Method::Get,
        ETHEREUM_ADDRESS_VALIDATION_PATH,
        vec![("ethereum_address".into(), address.clone())],
        ResponseKind::EthereumAddressValidation,
    ))
}

/// Whether `key` may name a file: 1 to [`MAX_FILE_KEY_LEN`] of `A-Z a-z 0-9 _ -`. Anything else either
/// nests in Rack (`[`, `]`) or would not survive as a form field name and S3 key part.
pub fn is_file_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_FILE_KEY_LEN
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `GET /api/v2/users-kyc/pre-signed-urls/for-put` or `/for-post`: `files` maps each unique file key to its
/// content type (`image/jpeg`, `image/png`, `image/jpg` or `application/pdf`, any case; sent in lowercase).
pub fn presigned_urls(kind: UploadMethod, files: &Value) -> Result<Call, KycError> {
    let Value::Object(entries) = files else {
        return Err(KycError::invalid_argument(format!(
            "files must be an object mapping file keys to content types, such as {{document_id: \"image/jpeg\"}}, got {}",
            files.kind_name()
        )));
    };
    if entries.is_empty() {
        return Err(KycError::invalid_argument(
            "files is empty: name at least one file, such as {document_id: \"image/jpeg\"}",
        ));
    }
    let mut normalised = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        if !is_file_key(key) {
            return Err(KycError::invalid_argument(format!(
                "files has a bad key: file keys are 1 to {MAX_FILE_KEY_LEN} characters of A-Z a-z 0-9 _ -, \
                 such as document_id or investor_proof_file1"
            )));
        }
        let Value::String(content_type) = value else {
            return Err(KycError::invalid_argument(format!(
                "files.{key} must be a content type string, got {}",
                value.kind_name()
            )));
        };
        let lower = content_type.to_ascii_lowercase();
        if !UPLOAD_CONTENT_TYPES.contains(&lower.as_str()) {
            return Err(KycError::invalid_argument(format!(
                "files.{key} has a content type the API does not accept; use {}",
                quoted_list(UPLOAD_CONTENT_TYPES)
            )));
        }
        normalised.push((key.clone(), Value::String(lower)));
    }
    Ok(Call::new(
        Method::Get,
        presigned_path(kind),
        vec![("files".into(), Value::Object(normalised))],
        ResponseKind::PresignedUrls(kind),
    ))
}

/// Checks one value of `template_vars`: a scalar, or (as OST's server allows) an object or array of scalars.
fn check_template_value(value: &Value, what: &str, nested: bool) -> Result<(), KycError> {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(()),
        Value::Object(entries) if !nested => {
            for (key, item) in entries {
                check_template_key(key, what)?;
                check_template_value(item, &format!("{what}.{key}"), true)?;
            }
            Ok(())
        }
        Value::Array(items) if !nested => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_template_value(item, &format!("{what}[{i}]"), true)),
        other => Err(KycError::invalid_argument(format!(
            "{what} must be a string, a number, a boolean{}, got {}",
            if nested {
                ""
            } else {
                " or an object or array of those"
            },
            other.kind_name()
        ))),
    }
}

/// A name Rack keeps as one key: not empty, no brackets.
fn check_template_key(key: &str, what: &str) -> Result<(), KycError> {
    if key.is_empty() || key.contains(['[', ']']) {
        return Err(KycError::invalid_argument(format!(
            "{what} has a bad key: template variable names are non-empty and have no [ or ]"
        )));
    }
    Ok(())
}

/// `POST /api/v2/users-kyc/{user_id}/email/approve`, `/email/deny` or `/email/report-issue`: OST e-mails the
/// user with the client's template for that outcome. `template_vars` (`Null` for none) is an object of
/// template variables: scalars, or objects or arrays of scalars, as OST's server accepts.
pub fn send_email(
    kind: EmailKind,
    user_id: &Value,
    template_vars: &Value,
) -> Result<Call, KycError> {
    let user_id = positive_integer(user_id, "userId")?;
    let params = match template_vars {
        Value::Null => Vec::new(),
        Value::Object(entries) => {
            for (key, value) in entries {
                check_template_key(key, "templateVars")?;
                check_template_value(value, &format!("templateVars.{key}"), false)?;
            }
            if entries.is_empty() {
                Vec::new()
            } else {
                vec![("template_vars".into(), template_vars.clone())]
            }
        }
        other => {
            return Err(KycError::invalid_argument(format!(
                "templateVars must be an object of template variables, such as {{first_name: \"Ada\"}}, got {}",
                other.kind_name()
            )))
        }
    };
    Ok(Call::new(
        Method::Post,
        format!("{USERS_KYC_PATH}/{user_id}/email/{}", kind.path_segment()),
        params,
        ResponseKind::EmailSent(kind),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ost_api::fixtures::{obj, s, seed_fields};
    use crate::query::to_query;

    fn creds() -> Credentials {
        Credentials::new("API_KEY", "API_SECRET").unwrap()
    }

    fn code(result: Result<Call, KycError>) -> &'static str {
        result.unwrap_err().code()
    }

    const T: i64 = 1_542_185_198;

    #[test]
    fn create_user_posts_the_email_in_the_body() {
        let call = create_user(&s("kyc@ost.com")).unwrap();
        let req = call.sign(&creds(), T, &Limits::default()).unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.path, "/api/v2/users");
        assert_eq!(req.query(), None);
        assert_eq!(
            req.signed.string_to_sign,
            "/api/v2/users?api_key=API_KEY&email=kyc%40ost.com&request_timestamp=1542185198"
        );
        assert_eq!(req.body(), Some(req.signed.query.as_str()));
        assert!(req
            .body()
            .unwrap()
            .ends_with(&format!("&signature={}", req.signed.signature)));
        assert_eq!(req.path_and_query(), "/api/v2/users");
        assert_eq!(code(create_user(&Value::Null)), "INVALID_ARGUMENT");
        assert_eq!(code(create_user(&s("   "))), "INVALID_ARGUMENT");
        assert_eq!(code(create_user(&s("no-at-sign"))), "INVALID_ARGUMENT");
    }

    #[test]
    fn path_ids_are_positive_integers_and_never_signed() {
        for (id, text) in [
            (Value::Number(11428.0), "11428"),
            (s("11428"), "11428"),
            (s("18446744073709551615"), "18446744073709551615"),
            (Value::Number(MAX_SAFE_INTEGER), "9007199254740991"),
        ] {
            let call = get_user(&id).unwrap();
            assert_eq!(call.path, format!("/api/v2/users/{text}"));
            let req = call.sign(&creds(), T, &Limits::default()).unwrap();
            assert_eq!(
                req.signed.string_to_sign,
                format!("/api/v2/users/{text}?api_key=API_KEY&request_timestamp=1542185198")
            );
            assert!(!req.signed.query.contains("id="));
            assert_eq!(
                req.path_and_query(),
                format!("/api/v2/users/{text}?{}", req.signed.query)
            );
        }
        for bad in [
            Value::Number(0.0),
            Value::Number(-1.0),
            Value::Number(1.5),
            Value::Number(f64::NAN),
            Value::Number(f64::INFINITY),
            Value::Number(9_007_199_254_740_992.0),
            s(""),
            s("0"),
            s("012"),
            s("-1"),
            s("1e3"),
            s(" 1"),
            s("1/../2"),
            s("18446744073709551616"),
            Value::Bool(true),
            Value::Null,
            Value::Array(vec![Value::Number(1.0)]),
        ] {
            for builder in [get_user, get_user_kyc, get_user_kyc_detail] {
                assert_eq!(code(builder(&bad)), "INVALID_ARGUMENT", "{bad:?}");
            }
            assert_eq!(code(submit_kyc(&bad, &obj(&[]))), "INVALID_ARGUMENT");
        }
        assert_eq!(
            get_user_kyc(&s("11430")).unwrap().path,
            "/api/v2/users-kyc/11430"
        );
        assert_eq!(
            get_user_kyc_detail(&Value::Number(11420.0)).unwrap().path,
            "/api/v2/users-kyc-detail/11420"
        );
        let e = get_user(&s("0")).unwrap_err().to_string();
        assert!(e.contains("positive integer"), "{e}");
    }

    #[test]
    fn list_users_signs_the_seed_example() {
        // Seed "List Users": get_user_list({page_number: 1, order: 'desc', filters: {email: "kycuser"}, limit: 10})
        let params = obj(&[
            ("page_number", Value::Number(1.0)),
            ("order", s("desc")),
            ("filters", obj(&[("email", s("kycuser"))])),
            ("limit", Value::Number(10.0)),
        ]);
        let req = list_users(&params)
            .unwrap()
            .sign(&creds(), T, &Limits::default())
            .unwrap();
        assert_eq!(req.method, Method::Get);
        assert_eq!(
            req.signed.string_to_sign,
            "/api/v2/users?api_key=API_KEY&filters%5Bemail%5D=kycuser&limit=10&order=desc&page_number=1\
             &request_timestamp=1542185198"
        );
        assert_eq!(req.query(), Some(req.signed.query.as_str()));
        assert_eq!(req.body(), None);
        // No parameters at all.
        let empty = list_users(&Value::Null).unwrap();
        assert_eq!(empty.params, obj(&[]));
    }

    #[test]
    fn list_parameters_are_checked() {
        let ok = [
            obj(&[("limit", Value::Number(1.0))]),
            obj(&[("limit", Value::Number(100.0))]),
            obj(&[("limit", s("100"))]),
            obj(&[("order", s("asc"))]),
            obj(&[("page_number", s("7"))]),
            obj(&[("filters", obj(&[]))]),
            obj(&[(
                "filters",
                obj(&[
                    ("is_kyc_submitted", Value::Bool(true)),
                    ("is_doptin_done", s("false")),
                    ("is_doptin_mail_sent", Value::Bool(false)),
                    ("email", s("~kyc* user é")),
                ]),
            )]),
        ];
        for params in &ok {
            assert!(list_users(params).is_ok(), "{params:?}");
        }
        let bad = [
            s("limit=10"),
            Value::Array(vec![]),
            obj(&[("limit", Value::Number(0.0))]),
            obj(&[("limit", Value::Number(101.0))]),
            obj(&[("limit", Value::Number(10.5))]),
            obj(&[("limit", s("ten"))]),
            obj(&[("order", s("DESC"))]),
            obj(&[("order", s("newest"))]),
            obj(&[("order", Value::Null)]),
            obj(&[("page_number", Value::Number(0.0))]),
            obj(&[("filters", s("email=x"))]),
            obj(&[("filters", obj(&[("is_kyc_submitted", s("yes"))]))]),
            obj(&[("filters", obj(&[("is_doptin_done", Value::Number(1.0))]))]),
            obj(&[("filters", obj(&[("email", Value::Number(1.0))]))]),
            obj(&[("filters", obj(&[("admin_status", s("qualified"))]))]),
            obj(&[("page", Value::Number(2.0))]),
        ];
        for params in &bad {
            assert_eq!(code(list_users(params)), "INVALID_ARGUMENT", "{params:?}");
        }
        let e = list_users(&obj(&[("limit", Value::Number(101.0))]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("1 to 100"), "{e}");
    }

    #[test]
    fn users_kyc_filters_use_the_documented_sets() {
        let sets: [(&str, &[&str]); 4] = [
            ("admin_status", ADMIN_STATUSES),
            ("aml_status", AML_STATUSES),
            ("whitelist_status", WHITELIST_STATUSES),
            ("admin_action_types", ADMIN_ACTION_TYPES),
        ];
        for (filter, values) in sets {
            for value in values {
                let params = obj(&[("filters", obj(&[(filter, s(value))]))]);
                assert!(list_users_kyc(&params).is_ok(), "{filter}={value}");
            }
            for value in ["", "Qualified", "unknown", "cleared approved"] {
                let params = obj(&[("filters", obj(&[(filter, s(value))]))]);
                assert_eq!(
                    code(list_users_kyc(&params)),
                    "INVALID_ARGUMENT",
                    "{filter}={value}"
                );
            }
            let params = obj(&[("filters", obj(&[(filter, Value::Bool(true))]))]);
            assert_eq!(code(list_users_kyc(&params)), "INVALID_ARGUMENT");
        }
        // The users filters are not users-kyc filters, and the other way round.
        let params = obj(&[("filters", obj(&[("email", s("x"))]))]);
        assert_eq!(code(list_users_kyc(&params)), "INVALID_ARGUMENT");
        let params = obj(&[(
            "filters",
            obj(&[
                ("aml_status", s("cleared:approved")),
                ("whitelist_status", s("done")),
            ]),
        )]);
        let req = list_users_kyc(&params)
            .unwrap()
            .sign(&creds(), T, &Limits::default())
            .unwrap();
        assert_eq!(
            req.signed.string_to_sign,
            "/api/v2/users-kyc?api_key=API_KEY&filters%5Baml_status%5D=cleared%3Aapproved\
             &filters%5Bwhitelist_status%5D=done&request_timestamp=1542185198"
        );
    }

    #[test]
    fn submit_kyc_signs_the_seed_example() {
        // Seed "Add or Update User KYC Details": submit_kyc(11420, {first_name:'YOGESH', …}).
        let fields = obj(&seed_fields());
        let call = submit_kyc(&Value::Number(11420.0), &fields).unwrap();
        assert_eq!(call.path, "/api/v2/users-kyc/11420");
        let req = call.sign(&creds(), T, &Limits::default()).unwrap();
        let expected_query = "api_key=API_KEY&birthdate=29%2F07%2F1992&city=pune&country=INDIA\
             &document_id_file_path=10%2Fi%2F4ae058629d4b384edcda8decdfbf0dd1&document_id_number=DMDPS9634C\
             &estimated_participation_amount=1.2&ethereum_address=0x04d39e0b112c20917868ffd5c42372ecc5df577b\
             &first_name=YOGESH&investor_proof_files_path%5B%5D=10%2Fi%2F4ae058629d4b384edcda8decdfbf0da1\
             &investor_proof_files_path%5B%5D=10%2Fi%2F4ae058629d4b384edcda8decdfbf0da2&last_name=SAWANT\
             &nationality=INDIAN&postal_code=411028&request_timestamp=1542185198\
             &residence_proof_file_path=10%2Fi%2F4ae058629d4b384edcda8decdfbf0dd3\
             &selfie_file_path=10%2Fi%2F4ae058629d4b384edcda8decdfbf0dd2&state=maharashtra\
             &street_address=hadapsar";
        assert_eq!(
            req.signed.string_to_sign,
            format!("/api/v2/users-kyc/11420?{expected_query}")
        );
        assert_eq!(
            req.body(),
            Some(format!("{expected_query}&signature={}", req.signed.signature).as_str())
        );
        assert_eq!(code(submit_kyc(&s("1"), &s("x"))), "INVALID_ARGUMENT");
        assert_eq!(
            code(submit_kyc(
                &s("1"),
                &obj(&[("city", obj(&[("a", s("b"))]))])
            )),
            "INVALID_ARGUMENT"
        );
        assert_eq!(
            code(submit_kyc(
                &s("1"),
                &obj(&[("investor_proof_files_path", Value::Array(vec![obj(&[])]))])
            )),
            "INVALID_ARGUMENT"
        );
    }

    #[test]
    fn ethereum_address_validation_signs_the_seed_example() {
        let call =
            validate_ethereum_address(&s("0x81b7e08f65bdf5648606c89998a9cc8164397647")).unwrap();
        let req = call.sign(&creds(), T, &Limits::default()).unwrap();
        assert_eq!(
            req.signed.string_to_sign,
            "/api/v2/ethereum-address-validation?api_key=API_KEY\
             &ethereum_address=0x81b7e08f65bdf5648606c89998a9cc8164397647&request_timestamp=1542185198"
        );
        assert_eq!(code(validate_ethereum_address(&s(""))), "INVALID_ARGUMENT");
        assert_eq!(
            code(validate_ethereum_address(&Value::Number(1.0))),
            "INVALID_ARGUMENT"
        );
    }

    #[test]
    fn presigned_url_requests() {
        // Seed "Get Pre-signed URL - PUT": files {residence_proof, investor_proof_file1, investor_proof_file2,
        // document_id, selfie}.
        let files = obj(&[
            ("residence_proof", s("application/pdf")),
            ("investor_proof_file1", s("application/pdf")),
            ("investor_proof_file2", s("Application/PDF")),
            ("document_id", s("image/jpeg")),
            ("selfie", s("IMAGE/JPEG")),
        ]);
        let call = presigned_urls(UploadMethod::Put, &files).unwrap();
        assert_eq!(call.method, Method::Get);
        assert_eq!(call.kind, ResponseKind::PresignedUrls(UploadMethod::Put));
        let req = call.sign(&creds(), T, &Limits::default()).unwrap();
        assert_eq!(
            req.signed.string_to_sign,
            "/api/v2/users-kyc/pre-signed-urls/for-put?api_key=API_KEY&files%5Bdocument_id%5D=image%2Fjpeg\
             &files%5Binvestor_proof_file1%5D=application%2Fpdf&files%5Binvestor_proof_file2%5D=application%2Fpdf\
             &files%5Bresidence_proof%5D=application%2Fpdf&files%5Bselfie%5D=image%2Fjpeg\
             &request_timestamp=1542185198"
        );
        let post =
            presigned_urls(UploadMethod::Post, &obj(&[("document_id", s("image/png"))])).unwrap();
        assert_eq!(post.path, "/api/v2/users-kyc/pre-signed-urls/for-post");
        assert_eq!(
            to_query(&post.params).unwrap(),
            "files%5Bdocument_id%5D=image%2Fpng"
        );
        for t in UPLOAD_CONTENT_TYPES {
            assert!(presigned_urls(UploadMethod::Post, &obj(&[("a", s(t))])).is_ok());
        }
        for bad in [
            obj(&[]),
            s("document_id"),
            obj(&[("document_id", s("image/gif"))]),
            obj(&[("document_id", s("application/pdf "))]),
            obj(&[("document_id", s(""))]),
            obj(&[("document_id", Value::Null)]),
            obj(&[("", s("image/png"))]),
            obj(&[("a[b]", s("image/png"))]),
            obj(&[("doc id", s("image/png"))]),
            obj(&[("é", s("image/png"))]),
            obj(&[(&"k".repeat(129), s("image/png"))]),
        ] {
            assert_eq!(
                code(presigned_urls(UploadMethod::Put, &bad)),
                "INVALID_ARGUMENT",
                "{bad:?}"
            );
        }
        assert_eq!(UploadMethod::from_kind("PUT").unwrap(), UploadMethod::Put);
        assert_eq!(UploadMethod::from_kind("post").unwrap(), UploadMethod::Post);
        assert_eq!(
            UploadMethod::from_kind("get").unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
    }

    #[test]
    fn a_fresh_timestamp_gives_a_fresh_signature() {
        let call = get_user(&s("1")).unwrap();
        let a = call.sign(&creds(), T, &Limits::default()).unwrap();
        let b = call.sign(&creds(), T + 1, &Limits::default()).unwrap();
        assert_ne!(a.signed.signature, b.signed.signature);
        assert!(b
            .signed
            .string_to_sign
            .contains("request_timestamp=1542185199"));
        assert!(Method::Get.is_idempotent());
        assert!(!Method::Post.is_idempotent());
        assert_eq!(Method::Post.as_str(), "POST");
    }

    #[test]
    fn email_requests_post_to_the_user_path() {
        for (kind, segment) in [
            (EmailKind::Approve, "approve"),
            (EmailKind::Deny, "deny"),
            (EmailKind::ReportIssue, "report-issue"),
        ] {
            let call = send_email(kind, &Value::Number(11420.0), &Value::Null).unwrap();
            assert_eq!(call.method, Method::Post);
            assert_eq!(call.kind, ResponseKind::EmailSent(kind));
            let path = format!("/api/v2/users-kyc/11420/email/{segment}");
            assert_eq!(call.path, path);
            let req = call.sign(&creds(), T, &Limits::default()).unwrap();
            // The id is in the path, never a signed parameter.
            assert_eq!(
                req.signed.string_to_sign,
                format!("{path}?api_key=API_KEY&request_timestamp=1542185198")
            );
            assert_eq!(req.query(), None);
            assert_eq!(req.path_and_query(), path);
            // An empty object is no parameters too.
            assert_eq!(send_email(kind, &s("11420"), &obj(&[])).unwrap(), call);
        }
        assert_eq!(EmailKind::ReportIssue.refusal(), "kyc_not_reported_issue");
    }

    #[test]
    fn email_template_vars_are_signed_as_nested_parameters() {
        let vars = obj(&[
            ("first_name", s("Zoë ~*")),
            ("amount", Value::Number(1.5)),
            ("vip", Value::Bool(true)),
            ("links", Value::Array(vec![s("a b"), s("c")])),
            ("company", obj(&[("name", s("ACME & Co"))])),
        ]);
        let req = send_email(EmailKind::Approve, &s("7"), &vars)
            .unwrap()
            .sign(&creds(), T, &Limits::default())
            .unwrap();
        // ActiveSupport's to_query: sorted keys, nested as template_vars[k], arrays as [], Ruby 2.4 escaping.
        assert_eq!(
            req.signed.string_to_sign,
            "/api/v2/users-kyc/7/email/approve?api_key=API_KEY&request_timestamp=1542185198\
             &template_vars%5Bamount%5D=1.5&template_vars%5Bcompany%5D%5Bname%5D=ACME+%26+Co\
             &template_vars%5Bfirst_name%5D=Zo%C3%AB+%7E%2A&template_vars%5Blinks%5D%5B%5D=a+b\
             &template_vars%5Blinks%5D%5B%5D=c&template_vars%5Bvip%5D=true"
        );
        for bad in [
            s("first_name=Ada"),
            Value::Array(vec![]),
            Value::Bool(true),
            obj(&[("a", Value::Null)]),
            obj(&[("a", obj(&[("b", obj(&[]))]))]),
            obj(&[("a", Value::Array(vec![Value::Array(vec![])]))]),
            obj(&[("", s("x"))]),
            obj(&[("a[b]", s("x"))]),
            obj(&[("a", obj(&[("b]", s("x"))]))]),
        ] {
            assert_eq!(
                code(send_email(EmailKind::Deny, &s("7"), &bad)),
                "INVALID_ARGUMENT",
                "{bad:?}"
            );
        }
        for bad_id in [s("0"), Value::Null, s("7/../8")] {
            assert_eq!(
                code(send_email(EmailKind::Deny, &bad_id, &Value::Null)),
                "INVALID_ARGUMENT"
            );
        }
    }
}
