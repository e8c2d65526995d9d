//! A reader for the JSON text that `JSON.stringify` writes for a *plain* JavaScript value (issue 16).
//!
//! `verifyOstWebhook` used to read a body that middleware had already parsed property by property, each read a
//! call across the JavaScript/wasm boundary. The binding now checks on the JavaScript side that the body is plain
//! (strings, booleans, `null`, safe integers other than `-0`, arrays and objects with the ordinary prototypes,
//! no `undefined` property, no `toJSON`), serialises it once with `JSON.stringify`, and this reader turns the
//! text into the same [`Value`] that the property-by-property reader (`wasm::interop::to_value_redacted`) builds.
//!
//! The reader accepts only that subset of JSON, and is at least as strict as that reader about the limits (it
//! counts the UTF-8 bytes of strings, which are never fewer than their UTF-16 units). Anything else is a
//! [`Fallback`]: the caller then takes the property-by-property path, which gives the answer or the typed error
//! exactly as before. So this reader never produces an error of its own.

use crate::value::{Limits, Value};

/// The text is not one this reader takes (other JSON, or over a limit): use the general path.
#[derive(Debug, PartialEq, Eq)]
pub struct Fallback;

/// Reads `text` (UTF-8 JSON as `JSON.stringify` writes it, no whitespace) under `limits`.
pub fn read_plain_json(text: &[u8], limits: &Limits) -> Result<Value, Fallback> {
    let mut reader = Reader {
        text,
        at: 0,
        nodes: 0,
        spent: 0,
        limits,
    };
    let value = reader.value(0)?;
    if reader.at != text.len() {
        return Err(Fallback);
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
    nodes: usize,
    /// Bytes of every string and key read so far: one budget, as `max_body_bytes`.
    spent: usize,
    limits: &'a Limits,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, Fallback> {
        if self.text.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(Fallback)
        }
    }

    fn spend(&mut self, bytes: usize) -> Result<(), Fallback> {
        self.spent = self.spent.saturating_add(bytes);
        if self.spent > self.limits.max_body_bytes {
            return Err(Fallback);
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Value, Fallback> {
        self.nodes += 1;
        if self.nodes > self.limits.max_params {
            return Err(Fallback);
        }
        match self.peek().ok_or(Fallback)? {
            b'"' => {
                let s = self.string()?;
                self.spend(s.len())?;
                Ok(Value::String(s))
            }
            b't' => self.literal(b"true", Value::Bool(true)),
            b'f' => self.literal(b"false", Value::Bool(false)),
            b'n' => self.literal(b"null", Value::Null),
            b'0'..=b'9' | b'-' => self.integer(),
            b'[' | b'{' if depth >= self.limits.max_depth => Err(Fallback),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Ok(Value::Array(items));
                    }
                    if !self.eat(b',') {
                        return Err(Fallback);
                    }
                }
            }
            b'{' => {
                self.at += 1;
                let mut entries = Vec::new();
                if self.eat(b'}') {
                    return Ok(Value::Object(entries));
                }
                loop {
                    if self.peek() != Some(b'"') {
                        return Err(Fallback);
                    }
                    let key = self.string()?;
                    self.spend(key.len())?;
                    if key.len() > self.limits.max_key_bytes || !self.eat(b':') {
                        return Err(Fallback);
                    }
                    let item = self.value(depth + 1)?;
                    entries.push((key, item));
                    if self.eat(b'}') {
                        return Ok(Value::Object(entries));
                    }
                    if !self.eat(b',') {
                        return Err(Fallback);
                    }
                }
            }
            _ => Err(Fallback),
        }
    }

    /// A safe integer as `JSON.stringify` writes one (no `-0`, no exponent, at most 16 digits); anything else,
    /// a fraction or a number beyond 2^53 - 1, goes the general way (whose reader keeps the exact double).
    fn integer(&mut self) -> Result<Value, Fallback> {
        let negative = self.eat(b'-');
        let start = self.at;
        let mut n: u64 = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            n = n * 10 + u64::from(d - b'0');
            self.at += 1;
            if self.at - start > 16 {
                return Err(Fallback);
            }
        }
        let digits = self.at - start;
        let leading_zero = digits > 1 && self.text.get(start) == Some(&b'0');
        if digits == 0 || leading_zero || n > 9_007_199_254_740_991 || (negative && n == 0) {
            return Err(Fallback);
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return Err(Fallback);
        }
        // Below 2^53: exact as a double.
        let n = n as f64;
        Ok(Value::Number(if negative { -n } else { n }))
    }

    fn hex4(&mut self) -> Result<u32, Fallback> {
        let digits = self.text.get(self.at..self.at + 4).ok_or(Fallback)?;
        let mut n = 0;
        for &d in digits {
            n = n * 16
                + match d {
                    b'0'..=b'9' => u32::from(d - b'0'),
                    b'a'..=b'f' => u32::from(d - b'a' + 10),
                    b'A'..=b'F' => u32::from(d - b'A' + 10),
                    _ => return Err(Fallback),
                };
        }
        self.at += 4;
        Ok(n)
    }

    /// A string literal. A lone surrogate (`JSON.stringify` writes it as `\udXXX`) becomes U+FFFD, as it does
    /// when a JavaScript string is copied into wasm.
    fn string(&mut self) -> Result<String, Fallback> {
        self.at += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            // The run of plain bytes up to the next quote or backslash, copied at once.
            let rest = self.text.get(self.at..).ok_or(Fallback)?;
            let run = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .ok_or(Fallback)?;
            out.extend_from_slice(rest.get(..run).ok_or(Fallback)?);
            self.at += run;
            match self.peek().ok_or(Fallback)? {
                b'"' => {
                    self.at += 1;
                    return String::from_utf8(out).map_err(|_| Fallback);
                }
                b'\\' => {
                    self.at += 1;
                    let escape = self.peek().ok_or(Fallback)?;
                    self.at += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(Fallback),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                _ => return Err(Fallback), // a raw control character: not JSON
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, Fallback> {
        let unit = self.hex4()?;
        if (0xD800..0xDC00).contains(&unit) && self.text.get(self.at..self.at + 2) == Some(b"\\u") {
            let save = self.at;
            self.at += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(c).ok_or(Fallback);
            }
            self.at = save;
        }
        Ok(char::from_u32(unit).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Value, Fallback> {
        read_plain_json(text.as_bytes(), &Limits::default())
    }

    fn s(x: &str) -> Value {
        Value::String(x.to_string())
    }

    #[test]
    fn reads_what_json_stringify_writes_for_plain_values() {
        let v = read(r#"{"a":"x","b":{"c":[true,false,null,"y"],"d":{}},"e":[],"n":-12,"z":9007199254740991}"#)
            .unwrap();
        assert_eq!(
            v,
            Value::Object(vec![
                ("a".into(), s("x")),
                (
                    "b".into(),
                    Value::Object(vec![
                        (
                            "c".into(),
                            Value::Array(vec![
                                Value::Bool(true),
                                Value::Bool(false),
                                Value::Null,
                                s("y")
                            ])
                        ),
                        ("d".into(), Value::Object(vec![])),
                    ])
                ),
                ("e".into(), Value::Array(vec![])),
                ("n".into(), Value::Number(-12.0)),
                ("z".into(), Value::Number(9_007_199_254_740_991.0)),
            ])
        );
    }

    #[test]
    fn decodes_escapes_and_lone_surrogates_like_a_string_copied_into_wasm() {
        assert_eq!(
            read(r#""a\"\\\/\b\f\n\r\t\u0001é""#).unwrap(),
            s("a\"\\/\u{8}\u{c}\n\r\t\u{1}é")
        );
        assert_eq!(read(r#""\ud83d\ude00""#).unwrap(), s("😀"));
        assert_eq!(read(r#""x\ud83dy""#).unwrap(), s("x\u{FFFD}y"));
        assert_eq!(read(r#""\ude00\ud83d""#).unwrap(), s("\u{FFFD}\u{FFFD}"));
    }

    #[test]
    fn anything_else_falls_back() {
        for text in [
            "",
            "{",
            r#"{"a":1.5}"#,
            "1e3",
            "-0",
            "01",
            "9007199254740992",
            "12345678901234567",
            r#"{"a" :1}"#,
            " {}",
            "{} ",
            r#"{"a":"x""#,
            "[1,]",
            "{,}",
            r#"{1:2}"#,
            "tru",
            "\"\u{1}\"",
            r#""\x""#,
            r#""\u12"#,
        ] {
            assert_eq!(read(text), Err(Fallback), "{text:?}");
        }
    }

    #[test]
    fn limits_fall_back_at_least_as_early_as_the_general_reader() {
        let tight = |f: fn(&mut Limits)| {
            let mut l = Limits::default();
            f(&mut l);
            l
        };
        let deep = tight(|l| l.max_depth = 2);
        assert!(read_plain_json(br#"{"a":{"b":1}}"#, &deep).is_ok());
        assert_eq!(read_plain_json(br#"{"a":{"b":{}}}"#, &deep), Err(Fallback));
        let few = tight(|l| l.max_params = 3);
        assert!(read_plain_json(br#"{"a":1,"b":2}"#, &few).is_ok());
        assert_eq!(
            read_plain_json(br#"{"a":1,"b":2,"c":3}"#, &few),
            Err(Fallback)
        );
        let short_keys = tight(|l| l.max_key_bytes = 2);
        assert_eq!(read_plain_json(br#"{"abc":1}"#, &short_keys), Err(Fallback));
        let small = tight(|l| l.max_body_bytes = 4);
        assert!(read_plain_json(br#"{"ab":"cd"}"#, &small).is_ok());
        assert_eq!(read_plain_json(br#"{"ab":"cde"}"#, &small), Err(Fallback));
    }
}
