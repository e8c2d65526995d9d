//! Decimal text to `f64`, correctly rounded, without core's `str::parse::<f64>` (issue 16, size): that parser's
//! tables (128-bit powers of five, 13 KB of data that does not compress) and code are ~15 KB gzip of the edge
//! and Node modules, where only the OST response parser reads decimal text (ids and amounts Rails may render
//! as strings).
//!
//! [`parse_f64`] accepts exactly the decimal syntax `str::parse::<f64>` accepts — an optional `+`/`-`, digits
//! with at most one `.` (at least one digit), an optional exponent `e`/`E`, optional sign, digits — and gives
//! the same value: round-to-nearest, ties to even, `±∞` past `f64::MAX`, `±0` below the smallest subnormal.
//! It returns `None` for everything else, including the words `inf`, `infinity` and `nan`, which the callers
//! reject anyway (they keep finite numbers only). `tests/properties.rs` compares it with `str::parse`.
//!
//! Method: the digits as a big integer `D` and the value as `D · 10^e`, then the first 66 bits of that
//! quotient/product by shift-and-subtract, plus a sticky bit for the rest, rounded once at the precision of
//! the result (53 bits, fewer for subnormals). Inputs over `MAX_DIGITS` (800) significant digits keep the first
//! ones and a sticky digit `1` (enough to round any decimal exactly, as core's parser also does), so the work
//! is bounded whatever the length of the text.

/// Significant digits kept: more than the 768 that can decide the rounding of an `f64`.
const MAX_DIGITS: usize = 800;

/// A non-negative big integer, little-endian 32-bit limbs, no trailing zero limb.
#[derive(Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn small(n: u32) -> Big {
        let mut big = Big(vec![n]);
        big.trim();
        big
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    /// `self = self * m + a`.
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    fn mul_pow10(&mut self, mut k: u32) {
        while k >= 9 {
            self.mul_add(1_000_000_000, 0);
            k -= 9;
        }
        if k > 0 {
            self.mul_add(10u32.pow(k), 0);
        }
    }

    fn bits(&self) -> u32 {
        match self.0.last() {
            Some(&top) => (self.0.len() as u32 - 1) * 32 + (32 - top.leading_zeros()),
            None => 0,
        }
    }

    fn shl(&mut self, n: u32) {
        if self.is_zero() || n == 0 {
            return;
        }
        let (words, bits) = ((n / 32) as usize, n % 32);
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = *limb;
                *limb = (v << bits) | carry;
                carry = v >> (32 - bits);
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        if words > 0 {
            self.0.splice(0..0, std::iter::repeat(0).take(words));
        }
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// `self -= other`, where `other <= self`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            *limb = v.rem_euclid(1 << 32) as u32;
            borrow = i64::from(v < 0);
        }
        self.trim();
    }
}

/// `2^e` as an `f64`, for `-1074 <= e <= 1023`.
fn pow2(e: i32) -> f64 {
    if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (e + 1074))
    }
}

/// `(q + sticky·ε) · 2^exp2`, `q` of exactly 66 bits, rounded to the nearest `f64` (ties to even).
fn round(q: u128, exp2: i32, sticky: bool) -> f64 {
    let top = exp2 + 65; // the exponent of q's leading bit
    if top > 1023 {
        return f64::INFINITY;
    }
    // The exponent of the result's last bit: 52 below the leading one, or the subnormals' 2^-1074.
    let last = (top - 52).max(-1074);
    let shift = last - exp2; // bits of q below the result's last bit: 13 or more
    if shift > 66 {
        return 0.0; // under half the smallest subnormal
    }
    let shift = shift as u32;
    let mut m = q >> shift;
    let half = (q >> (shift - 1)) & 1 == 1;
    let below = q & ((1u128 << (shift - 1)) - 1) != 0 || sticky;
    if half && (below || m & 1 == 1) {
        m += 1;
    }
    // m <= 2^53: exact as an f64, and the product with a power of two is the rounded result (∞ past f64::MAX).
    (m as u64 as f64) * pow2(last)
}

/// `text` read as `str::parse::<f64>` reads a decimal (see the module documentation); `None` if it is not one.
pub fn parse_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.first() {
        Some(b'-') => (true, bytes.get(1..)?),
        Some(b'+') => (false, bytes.get(1..)?),
        _ => (false, bytes),
    };
    let mut digits: Vec<u8> = Vec::new(); // significant digits, leading zeros skipped
    let mut exp10: i64 = 0; // value = digits · 10^exp10
    let mut seen_digit = false;
    let mut dot = false;
    let mut dropped_nonzero = false;
    let mut i = 0;
    while let Some(&b) = rest.get(i) {
        match b {
            b'0'..=b'9' => {
                seen_digit = true;
                if digits.is_empty() && b == b'0' {
                    // A leading zero: after the point it scales the rest down.
                    if dot {
                        exp10 -= 1;
                    }
                } else if digits.len() < MAX_DIGITS {
                    digits.push(b - b'0');
                    if dot {
                        exp10 -= 1;
                    }
                } else {
                    dropped_nonzero |= b != b'0';
                    if !dot {
                        exp10 += 1;
                    }
                }
            }
            b'.' if !dot => dot = true,
            _ => break,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if let Some(&(b'e' | b'E')) = rest.get(i) {
        i += 1;
        let negative_exp = match rest.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let mut exp: i64 = 0;
        let mut any = false;
        while let Some(&b) = rest.get(i) {
            if !b.is_ascii_digit() {
                break;
            }
            any = true;
            exp = (exp * 10 + i64::from(b - b'0')).min(1 << 40); // saturates: the value is 0 or ∞ long before
            i += 1;
        }
        if !any {
            return None;
        }
        exp10 += if negative_exp { -exp } else { exp };
    }
    if i != rest.len() {
        return None;
    }
    let sign = if negative { -1.0 } else { 1.0 };
    if dropped_nonzero {
        // A sticky digit standing for the nonzero ones dropped, right after the kept ones (before trailing
        // zeros are trimmed, which would move it up).
        digits.push(1);
        exp10 -= 1;
    }
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 += 1;
    }
    if digits.is_empty() {
        return Some(sign * 0.0);
    }
    // The value is in [10^(n-1+exp10), 10^(n+exp10)).
    let magnitude = digits.len() as i64 + exp10;
    if magnitude > 310 {
        return Some(sign * f64::INFINITY);
    }
    if magnitude < -324 {
        return Some(sign * 0.0);
    }
    // Exact for up to 15 digits and powers of ten up to 10^22: one correctly rounded operation.
    if digits.len() <= 15 && (-22..=22).contains(&exp10) {
        let d = digits.iter().fold(0u64, |n, &d| n * 10 + u64::from(d)) as f64;
        let p = (0..exp10.unsigned_abs()).fold(1.0f64, |p, _| p * 10.0);
        return Some(sign * if exp10 >= 0 { d * p } else { d / p });
    }
    // value = a / b, a and b big integers.
    let mut a = Big(Vec::new());
    for &d in &digits {
        a.mul_add(10, u32::from(d));
    }
    let mut b = Big::small(1);
    if exp10 >= 0 {
        a.mul_pow10(exp10 as u32);
    } else {
        b.mul_pow10(exp10.unsigned_abs() as u32);
    }
    // Align so that b <= a < 2b; then value = (a / b) · 2^t.
    let mut t = a.bits() as i32 - b.bits() as i32;
    if t > 0 {
        b.shl(t as u32);
    } else {
        a.shl(t.unsigned_abs());
    }
    if a.cmp(&b) == std::cmp::Ordering::Less {
        a.shl(1);
        t -= 1;
    }
    // 66 quotient bits, the first one 1.
    let mut q: u128 = 0;
    for _ in 0..66 {
        q <<= 1;
        if a.cmp(&b) != std::cmp::Ordering::Less {
            a.sub(&b);
            q |= 1;
        }
        a.shl(1);
    }
    Some(sign * round(q, t - 65, !a.is_zero()))
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    fn same(text: &str) {
        let expected = text.parse::<f64>().ok();
        let got = parse_f64(text);
        // The words inf/infinity/nan are not decimals: `None` here (the callers keep finite numbers only).
        let expected = expected.filter(|_| {
            text.bytes()
                .all(|b| !b.is_ascii_alphabetic() || b == b'e' || b == b'E')
        });
        assert_eq!(
            expected.map(f64::to_bits),
            got.map(f64::to_bits),
            "{text}: {expected:?} vs {got:?}"
        );
    }

    #[test]
    fn agrees_with_core_on_edge_cases() {
        for text in [
            "0",
            "-0",
            "+0",
            "00",
            "0.0",
            ".0",
            "0.",
            ".",
            "",
            "+",
            "-",
            "e5",
            "1e",
            "1e+",
            "1e-",
            "1.1",
            "1.5",
            "2.5",
            "0.1",
            "0.3",
            "123456789012345678",
            "9007199254740993",
            "9007199254740992",
            "9007199254740995",
            "18446744073709551616",
            "1e22",
            "1e23",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "2e308",
            "1e309",
            "4.9e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.47032822920623272e-324",
            "5e-324",
            "1e-324",
            "3e-324",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "2.225073858507201136057409796709131975934819546351645648e-308",
            "1e-400",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "0e99999",
            "1..2",
            "1.2.3",
            "1e5.5",
            " 1",
            "1 ",
            "1_0",
            "0x10",
            "inf",
            "NaN",
            "infinity",
            "1E5",
            "1e+05",
            "12345678901234567890e-20",
            "0.000001",
            "100000000000000000000000",
            "8.98846567431158e307",
            "7.2057594037927933e16",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
        ] {
            same(text);
        }
        // Long inputs: digits past the kept ones still decide a tie.
        let tie = "1.00000000000000011102230246251565404236316680908203125";
        same(&format!("{tie}{}", "0".repeat(2000)));
        same(&format!("{tie}{}1", "0".repeat(2000)));
        same(&"9".repeat(5000));
        same(&format!("0.{}1", "0".repeat(5000)));
        same(&format!("{}e-5000", "1".repeat(5000)));
        // A short midpoint followed, past the kept digits, by a nonzero one (found by a midpoint sweep).
        same(&format!("1.71426734184352{}1e-200", "0".repeat(900)));
        same(&format!("6.19368077037205{}1e100", "0".repeat(900)));
        same(&format!(
            "1.00000000000000011102230246251565404236316680908203125{}1",
            "0".repeat(900)
        ));
    }
}
