//! The binding layer's one reader of the clock and of `options.now`. The core never reads the clock: every
//! function that needs the time takes `now` as an argument, and the exports pass what this module reads.

use wasm_bindgen::JsValue;

#[cfg(feature = "full")]
use super::interop::type_name;
use super::interop::{get, number_opt};
use crate::calendar::{seconds_from_f64, MILLISECONDS_THRESHOLD};
use crate::error::KycError;

/// `Date.now()`: milliseconds, for deadlines and elapsed times.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The current time in Unix seconds.
pub fn unix_seconds() -> i64 {
    (now_ms() / 1000.0).floor() as i64
}

/// `options.now` in Unix seconds (fractions dropped), or the clock when it is absent. A value that looks
/// like milliseconds is `INVALID_ARGUMENT`.
pub fn now_option(options: &JsValue) -> Result<i64, KycError> {
    now_seconds(number_opt(&get(options, "now", "options")?, "options.now")?)
}

/// [`now_option`]'s rule for a value already read (`None`: absent, the clock).
pub fn now_seconds(now: Option<f64>) -> Result<i64, KycError> {
    match now {
        Some(n) if n.is_finite() && n.abs() >= MILLISECONDS_THRESHOLD as f64 => {
            Err(KycError::invalid_argument(
                "options.now looks like milliseconds: pass Unix seconds (Math.floor(Date.now() / 1000))",
            ))
        }
        Some(n) => seconds_from_f64(n.floor(), "options.now"),
        None => Ok(unix_seconds()),
    }
}

/// `options.now` of `validateKycSubmission`, or the clock: the same rule in that function's own wording (a
/// value that is not a number, or looks like milliseconds, is `INVALID_ARGUMENT` saying so).
#[cfg(feature = "full")]
pub fn submission_now(options: &JsValue) -> Result<i64, KycError> {
    let now = get(options, "now", "options")?;
    if now.is_undefined() || now.is_null() {
        return Ok(unix_seconds());
    }
    let n = now.as_f64().ok_or_else(|| {
        KycError::invalid_argument(format!(
            "options.now must be a number of Unix seconds, got {}",
            type_name(&now)
        ))
    })?;
    seconds_from_f64(n.floor(), "options.now")
}
