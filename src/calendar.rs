//! Proleptic Gregorian calendar arithmetic in UTC, shared by every date the crate reads: RFC 1123 webhook
//! timestamps, ISO 8601 POST-policy expirations, `dd/mm/yyyy` birthdates and `{day, month, year}` objects.

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
}
