//! Redaction: what varies from run to run in an answer becomes a stable placeholder, so
//! that a snapshot pins the answer's shape and its stable values. Known strings (the
//! test's own addresses) become the names the test gives them; other base58 keys become
//! `<addr1>`, `<addr2>`, ... (signatures `<sig1>`, ...) in order of first appearance;
//! times near the test's clock become offsets from it (`<now+1h>`); named keys' values
//! become `<key>`. Lists whose order follows random keys can be sorted first.
use std::collections::HashMap;

use serde_json::Value;

/// Integers this close to the test's clock (unix seconds) are taken for times.
const TIME_WINDOW_SECS: i64 = 366 * 86_400;

/// Whether an answer's lists keep their order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// As answered: the order follows stable values (slots, ids, indexes).
    Kept,
    /// Sorted by their redacted text: the order follows random keys. The lists sorted are
    /// the answer itself when it is one, else its top-level fields that are lists.
    Sorted,
}

/// What to redact (see the module's doc).
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    names: HashMap<String, String>,
    keys: Vec<String>,
    now: Option<i64>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Wherever a string is exactly `value`, it becomes `<{name}>`.
    pub fn name(mut self, value: impl Into<String>, name: &str) -> Self {
        self.names.insert(value.into(), format!("<{name}>"));
        self
    }

    /// Any value but null under `key` becomes `<{key}>`.
    pub fn key(mut self, key: &str) -> Self {
        self.keys.push(key.to_string());
        self
    }

    /// Integers within a year of `now` (unix seconds) become `<now>`, `<now+25h>`,
    /// `<now-90m>`: their offset from `now` to the nearest minute.
    pub fn times_around(mut self, now: i64) -> Self {
        self.now = Some(now);
        self
    }

    /// `value` with its per-run values replaced (see the module's doc).
    pub fn redact(&self, value: &Value, order: Order) -> Value {
        let mut v = self.stable(value);
        if order == Order::Sorted {
            match &mut v {
                Value::Array(items) => sort(items),
                Value::Object(fields) => fields.values_mut().for_each(|f| {
                    if let Value::Array(items) = f {
                        sort(items);
                    }
                }),
                _ => {}
            }
        }
        number(&mut v, &mut Numbering::default());
        v
    }

    /// Names, keys and times replaced; other keys left for `number`.
    fn stable(&self, value: &Value) -> Value {
        match value {
            Value::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| {
                        let v = if self.keys.contains(k) && !v.is_null() {
                            Value::String(format!("<{k}>"))
                        } else {
                            self.stable(v)
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.stable(v)).collect()),
            Value::String(s) => match self.names.get(s) {
                Some(name) => Value::String(name.clone()),
                None => value.clone(),
            },
            Value::Number(n) => match (self.now, n.as_i64()) {
                (Some(now), Some(t)) if (t - now).abs() <= TIME_WINDOW_SECS => {
                    Value::String(since(now, t))
                }
                _ => value.clone(),
            },
            Value::Null | Value::Bool(_) => value.clone(),
        }
    }
}

/// `<now>`, or the offset in whole hours or minutes.
fn since(now: i64, t: i64) -> String {
    let minutes = ((t - now) as f64 / 60.0).round() as i64;
    match minutes {
        0 => "<now>".to_string(),
        m if m % 60 == 0 => format!("<now{:+}h>", m / 60),
        m => format!("<now{m:+}m>"),
    }
}

/// "addr" for a base58 string of 32 bytes, "sig" for one of 64, else none.
fn key_kind(s: &str) -> Option<&'static str> {
    if !(32..=88).contains(&s.len()) {
        return None;
    }
    match bs58::decode(s).into_vec().ok()?.len() {
        32 => Some("addr"),
        64 => Some("sig"),
        _ => None,
    }
}

/// Sorts by each item's text with its unnamed keys blanked (their values are random).
fn sort(items: &mut [Value]) {
    items.sort_by_cached_key(|v| blank(v).to_string());
}

fn blank(value: &Value) -> Value {
    match value {
        Value::Object(fields) => {
            Value::Object(fields.iter().map(|(k, v)| (k.clone(), blank(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(blank).collect()),
        Value::String(s) => match key_kind(s) {
            Some(kind) => Value::String(format!("<{kind}>")),
            None => value.clone(),
        },
        _ => value.clone(),
    }
}

/// The placeholders given so far, and how many of each kind.
#[derive(Default)]
struct Numbering {
    given: HashMap<String, String>,
    counts: HashMap<&'static str, usize>,
}

/// Numbers the unnamed keys in order of first appearance: `<addr1>`, `<sig1>`, ...
fn number(value: &mut Value, n: &mut Numbering) {
    match value {
        Value::Object(fields) => fields.values_mut().for_each(|v| number(v, n)),
        Value::Array(items) => items.iter_mut().for_each(|v| number(v, n)),
        Value::String(s) => {
            if let Some(kind) = key_kind(s) {
                let Numbering { given, counts } = n;
                *s = given
                    .entry(s.clone())
                    .or_insert_with(|| {
                        let count = counts.entry(kind).or_default();
                        *count += 1;
                        format!("<{kind}{count}>")
                    })
                    .clone();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::{Order, Redactor};
    use serde_json::json;

    #[test]
    fn names_keys_times_and_unnamed_addresses_become_placeholders() {
        let named = "11111111111111111111111111111112";
        let other = "SysvarC1ock11111111111111111111111111111111";
        let r = Redactor::new()
            .name(named, "system")
            .key("request_id")
            .times_around(1_800_000_000);
        let v = json!({
            "a": named, "b": other, "c": [other, "Show"], "request_id": "x1",
            "start": 1_800_003_600i64, "at": 1_800_000_010i64, "slot": 10, "gone": null,
        });
        assert_eq!(
            r.redact(&v, Order::Kept),
            json!({
                "a": "<system>", "b": "<addr1>", "c": ["<addr1>", "Show"],
                "request_id": "<request_id>", "start": "<now+1h>", "at": "<now>", "slot": 10,
                "gone": null,
            })
        );
    }

    #[test]
    fn sorted_lists_ignore_the_order_of_random_keys() {
        let (x, y) = (
            "SysvarC1ock11111111111111111111111111111111",
            "SysvarRent111111111111111111111111111111111",
        );
        let r = Redactor::new();
        let one = json!({"items": [{"k": x, "n": 2}, {"k": y, "n": 1}]});
        let two = json!({"items": [{"k": y, "n": 1}, {"k": x, "n": 2}]});
        assert_eq!(r.redact(&one, Order::Sorted), r.redact(&two, Order::Sorted));
        assert_eq!(
            r.redact(&one, Order::Sorted),
            json!({"items": [{"k": "<addr1>", "n": 1}, {"k": "<addr2>", "n": 2}]})
        );
    }
}
