//! Proleptic Gregorian calendar arithmetic in UTC and every date parser of the crate: RFC 1123 webhook
//! timestamps, ISO 8601 POST-policy expirations, SigV4 `X-Amz-Date`s; the arithmetic also serves
//! `dd/mm/yyyy` birthdates and `{day, month, year}` objects.

use crate::error::KycError;

/// Unix seconds above this are almost certainly milliseconds (it is the year 5138 in seconds).
pub(crate) const MILLISECONDS_THRESHOLD: i64 = 100_000_000_000;

/// Whether `year` is a leap year.
pub fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`, or `None` for a month out of range.
pub fn days_in_month(year: i64, month: i64) -> Option<i64> {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 => Some(if is_leap(year) { 29 } else { 28 }),
        _ => None,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds for a UTC civil date and time, checking every field's range (a leap second is allowed).
pub fn unix_seconds(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
) -> Option<i64> {
    let days = days_in_month(year, month)?;
    let ok = (1..=days).contains(&day)
        && (0..24).contains(&hour)
        && (0..60).contains(&minute)
        && (0..=60).contains(&second);
    ok.then(|| days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parses an RFC 1123 date (`Mon, 18 Jul 2022 13:03:54 GMT`) into Unix seconds.
pub fn parse_rfc1123(text: &str) -> Option<i64> {
    let rest = text.trim();
    // `split_once(", ")` without core's two-way string searcher (issue 16, size).
    let rest = crate::codec::find(rest, ", ")
        .and_then(|at| rest.get(at + 2..))
        .unwrap_or(rest);
    let mut parts = rest.split_ascii_whitespace();
    let day: i64 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let month = MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(month_name))? as i64
        + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':');
    let hour: i64 = clock.next()?.parse().ok()?;
    let minute: i64 = clock.next()?.parse().ok()?;
    let second: i64 = clock.next()?.parse().ok()?;
    if clock.next().is_some()
        || !matches!(parts.next(), Some("GMT" | "UTC" | "+0000"))
        || parts.next().is_some()
    {
        return None;
    }
    unix_seconds(year, month, day, hour, minute, second)
}

fn digits(text: &str, from: usize, len: usize) -> Option<i64> {
    let part = text.get(from..from + len)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// Unix seconds of an ISO-8601 / RFC 3339 timestamp such as `2026-01-23T09:14:05.000Z` or
/// `2026-01-23T09:14:05+05:30` (fractions are dropped). `None` when it is not one.
pub fn parse_iso8601(text: &str) -> Option<i64> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(13) != Some(&b':') {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(16) != Some(&b':') {
        return None;
    }
    let base = unix_seconds(
        digits(t, 0, 4)?,
        digits(t, 5, 2)?,
        digits(t, 8, 2)?,
        digits(t, 11, 2)?,
        digits(t, 14, 2)?,
        digits(t, 17, 2)?,
    )?;
    let mut rest = t.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = fraction.get(n..)?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes().get(3) != Some(&b':') {
                return None;
            }
            let (h, m) = (digits(rest, 1, 2)?, digits(rest, 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
    };
    Some(base - offset)
}

/// Unix seconds of a SigV4 `X-Amz-Date` (`20260123T091405Z`).
pub fn parse_amz_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if text.len() != 16
        || !matches!(b.get(8), Some(b'T' | b't'))
        || !matches!(b.get(15), Some(b'Z' | b'z'))
    {
        return None;
    }
    unix_seconds(
        digits(text, 0, 4)?,
        digits(text, 4, 2)?,
        digits(text, 6, 2)?,
        digits(text, 9, 2)?,
        digits(text, 11, 2)?,
        digits(text, 13, 2)?,
    )
}

/// Checks that `timestamp` is plausible Unix seconds, not milliseconds and not negative.
pub fn check_timestamp(timestamp: i64, what: &str) -> Result<(), KycError> {
    if timestamp >= MILLISECONDS_THRESHOLD {
        return Err(KycError::invalid_argument(format!(
            "{what} looks like milliseconds: timestamps are Unix seconds (Math.floor(Date.now() / 1000))"
        )));
    }
    if timestamp < 0 {
        return Err(KycError::invalid_argument(format!(
            "{what} is negative: pass Unix seconds"
        )));
    }
    Ok(())
}

/// Converts a JavaScript number of seconds to whole seconds, explaining what is wrong with a bad one.
pub fn seconds_from_f64(n: f64, what: &str) -> Result<i64, KycError> {
    if !n.is_finite() || n.fract() != 0.0 {
        return Err(KycError::invalid_argument(format!(
            "{what} must be a whole number of Unix seconds (Math.floor(Date.now() / 1000))"
        )));
    }
    if n.abs() >= 1e15 {
        return Err(KycError::invalid_argument(format!(
            "{what} is out of range: pass Unix seconds"
        )));
    }
    let seconds = n as i64;
    check_timestamp(seconds, what)?;
    Ok(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        // Checked with `date -u -d @…`.
        assert_eq!(unix_seconds(1970, 1, 1, 0, 0, 0), Some(0));
        assert_eq!(unix_seconds(2000, 2, 29, 23, 59, 59), Some(951_868_799));
        assert_eq!(unix_seconds(2022, 7, 18, 13, 3, 54), Some(1_658_149_434));
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(unix_seconds(2001, 2, 29, 0, 0, 0), None);
        assert_eq!(unix_seconds(2022, 13, 1, 0, 0, 0), None);
        assert_eq!(days_in_month(1900, 2), Some(28));
        assert_eq!(days_in_month(2000, 2), Some(29));
    }
    #[test]
    fn rfc1123_dates() {
        // 2022-07-18T13:03:54Z, checked with `date -u -d @1658149434`.
        assert_eq!(
            parse_rfc1123("Mon, 18 Jul 2022 13:03:54 GMT"),
            Some(1_658_149_434)
        );
        assert_eq!(
            parse_rfc1123("Sat, 14 Apr 2018 03:46:12 GMT"),
            Some(1_523_677_572)
        );
        assert_eq!(parse_rfc1123("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_rfc1123("Tue, 29 Feb 2000 23:59:59 GMT"),
            Some(951_868_799)
        );
        assert_eq!(parse_rfc1123("Mon, 30 Feb 2022 13:03:54 GMT"), None);
        assert_eq!(parse_rfc1123("18 Jul 2022"), None);
        assert_eq!(parse_rfc1123("Mon, 18 Jul 2022 13:03:54 PST"), None);
    }

    #[test]
    fn iso8601_and_amz_dates() {
        const NOW: i64 = 1_769_159_645; // 2026-01-23T09:14:05Z
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_iso8601("2026-01-23T09:14:05Z"), Some(NOW));
        assert_eq!(parse_iso8601("2026-01-23T09:14:05.123Z"), Some(NOW));
        assert_eq!(parse_iso8601("2026-01-23T14:44:05+05:30"), Some(NOW));
        assert_eq!(parse_iso8601("2026-01-23T04:14:05-05:00"), Some(NOW));
        assert_eq!(parse_iso8601("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        for bad in [
            "2023-02-29T00:00:00Z",
            "2026-01-23",
            "2026-01-23T09:14:05",
            "2026-13-01T00:00:00Z",
            "x",
            "2026-01-23T09:14:05.Z",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
        assert_eq!(parse_amz_date("20260123T091405Z"), Some(NOW));
        assert_eq!(parse_amz_date("20260123091405Z"), None);
    }
}
