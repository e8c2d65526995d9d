//! Byte codecs: hex, base64 and the constant-time comparison every received signature goes through; and a
//! plain substring search.

use base64::Engine as _;

/// Constant-time equality: the time depends on the lengths only, never on where the bytes differ.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// The hex digit for the low four bits of `nibble`.
pub(crate) fn hex_digit(nibble: u8, upper: bool) -> char {
    let n = nibble & 0x0f;
    let base = if upper { b'A' } else { b'a' };
    char::from(if n < 10 { b'0' + n } else { base + n - 10 })
}

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(hex_digit(b >> 4, false));
        out.push(hex_digit(b, false));
    }
    out
}

/// Decodes hex of either case; `None` when it is not exactly `len` bytes of hex.
pub fn from_hex(text: &str, len: usize) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() != len * 2 {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    bytes
        .chunks_exact(2)
        .map(|pair| Some(nibble(*pair.first()?)? << 4 | nibble(*pair.get(1)?)?))
        .collect()
}

/// Base64 (standard alphabet, padded) of `bytes`.
pub fn to_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard padded base64; `None` on anything else.
pub fn from_base64(text: &str) -> Option<Vec<u8>> {
    // By hand, exactly as the base64 crate's STANDARD engine decodes (canonical `=` padding, zero trailing bits,
    // nothing outside the alphabet; tests/properties.rs compares the two): its decoder is ~4.5 KB of wasm, and
    // the builds pages load need only this (the POST policy; issue 16, size). Encoding stays with the crate.
    fn sextet(b: u8) -> Option<u32> {
        Some(u32::from(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let quads = bytes.len() / 4;
    let mut out = Vec::with_capacity(quads * 3);
    for (i, quad) in bytes.chunks_exact(4).enumerate() {
        let pad = if i + 1 == quads {
            quad.iter().rev().take_while(|&&b| b == b'=').count()
        } else {
            0
        };
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for (j, &b) in quad.iter().enumerate() {
            n = n << 6 | if j + pad >= 4 { 0 } else { sextet(b)? };
        }
        let [_, b0, b1, b2] = n.to_be_bytes();
        out.push(b0);
        match pad {
            0 => out.extend_from_slice(&[b1, b2]),
            1 if b2 == 0 => out.push(b1),
            2 if b1 == 0 && b2 == 0 => {}
            _ => return None, // bits left over in the last symbol
        }
    }
    Some(out)
}

/// The first `needle` in `text`, a byte offset (`str::find` with a string pattern). A plain scan, for short
/// needles in short texts (a date's `", "`, a tag, a URL in an error message): core's two-way searcher, which
/// `str::find`/`split_once`/`replace` with a string pattern link, is ~3.5 KB of wasm with the string-slicing
/// panic it brings (issue 16, size).
pub fn find(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0); // `windows(0)` would panic
    }
    text.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// `text.replace(from, to)` over [`find`].
pub fn replace(text: &str, from: &str, to: &str) -> String {
    if from.is_empty() {
        // As `str::replace` does: `to` before every character and at the end.
        let mut out = String::with_capacity(text.len() + to.len() * (text.len() + 1));
        for c in text.chars() {
            out.push_str(to);
            out.push(c);
        }
        out.push_str(to);
        return out;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find(rest, from) {
        out.push_str(rest.get(..at).unwrap_or_default());
        out.push_str(to);
        rest = rest.get(at + from.len()..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_and_replace_are_str_find_and_replace() {
        let cases = [
            ("<a>é日<Code>x</Code>", "<Code>"),
            ("é<C", "<Code>"),
            ("", "<a>"),
            ("<a><a>", "<a>"),
            ("aaa", "aa"),
            ("ab", ""),
            ("é日", ""),
            ("", ""),
            ("Mon, 18 Jul 2022", ", "),
        ];
        for (text, needle) in cases {
            assert_eq!(find(text, needle), text.find(needle), "{text} {needle}");
            assert_eq!(
                replace(text, needle, "<x>"),
                text.replace(needle, "<x>"),
                "{text} {needle}"
            );
        }
    }

    #[test]
    fn ct_eq_compares_whole_slices() {
        assert!(ct_eq(b"", b""));
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
        assert!(!ct_eq(b"xbc", b"abc"));
    }

    #[test]
    fn hex_round_trips_and_rejects_bad_lengths() {
        assert_eq!(to_hex(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(from_hex("00ABff", 3), Some(vec![0, 0xab, 0xff]));
        assert_eq!(from_hex("00ab", 3), None);
        assert_eq!(from_hex("zz", 1), None);
        assert_eq!(from_hex("é", 1), None);
    }
}
