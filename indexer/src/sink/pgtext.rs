//! Text from the chain as Postgres can hold it. A Rust `String` is always valid UTF-8, and
//! Postgres's `text` and `jsonb` take every Unicode scalar value but one: U+0000 (`text`
//! refuses the byte, `jsonb` the `\u0000` escape). Names, URIs and proposal actions are
//! written by any wallet, so a NUL is stored as U+FFFD, the replacement character, in text
//! columns and in JSON strings and keys: the row is kept, and the change is visible. The
//! program refuses control characters in names and URIs, so only accounts written before
//! that rule can hold one.
use std::borrow::Cow;

use serde_json::Value;

/// What a U+0000 from the chain is stored as.
pub const NUL_STAND_IN: char = '\u{FFFD}';

/// `s` with every U+0000 replaced by [`NUL_STAND_IN`] (borrowed when there is none).
pub fn text(s: &str) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', "\u{FFFD}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// `text` applied to every string and key of `v`.
pub fn json(v: Value) -> Value {
    match v {
        Value::String(s) => match text(&s) {
            Cow::Borrowed(_) => Value::String(s),
            Cow::Owned(o) => Value::String(o),
        },
        Value::Array(a) => Value::Array(a.into_iter().map(json).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (text(&k).into_owned(), json(v)))
                .collect(),
        ),
        v => v,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn nul_becomes_the_replacement_character_everywhere() {
        assert_eq!(super::text("a\0b\0"), "a\u{FFFD}b\u{FFFD}");
        assert!(matches!(
            super::text("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
        let v = super::json(json!({"k\0": ["x\0", {"n": "\0"}, 1, null], "ok": "fine"}));
        assert_eq!(
            v,
            json!({"k\u{FFFD}": ["x\u{FFFD}", {"n": "\u{FFFD}"}, 1, null], "ok": "fine"})
        );
        assert!(!v.to_string().contains("\\u0000"));
    }
}
