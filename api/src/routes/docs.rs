//! The OpenAPI document and a page listing its operations, served without a token. Both
//! are made once, at start: the document with `servers` naming this API
//! (`BITTICKET_API_URI`), and the page rendered from it here as plain HTML (no script, no
//! stylesheet, nothing from elsewhere), so the API's CSP (`default-src 'self'`) holds.
use std::fmt::Write;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::startup::AppState;

/// The served document and page.
pub struct Docs {
    json: Bytes,
    html: Bytes,
}

impl Docs {
    /// The document with `servers` naming `server` (this API's URI), and its page.
    pub fn new(server: &str) -> Self {
        let json = crate::openapi::served(server);
        let html = serde_json::from_str::<Value>(&json)
            .map(|doc| page_of(&doc))
            .unwrap_or_else(|e| {
                format!(
                    "<!doctype html><p>no document: {}</p>",
                    escape(&e.to_string())
                )
            });
        Docs {
            json: Bytes::from(json),
            html: Bytes::from(html),
        }
    }
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(get, path = "/openapi.json", tag = "docs", responses((status = 200, description = "the OpenAPI 3.1 document (JSON)"), (status = 429, description = "rate limited (Retry-After)", body = crate::error::ErrorBody)))]
#[tracing::instrument(name = "docs.openapi", level = "debug", skip_all)]
pub async fn openapi(State(app): State<AppState>) -> Response {
    ([(CONTENT_TYPE, "application/json")], app.docs.json.clone()).into_response()
}

/// A page listing every operation: path, method, summary, parameters, body, answers.
#[utoipa::path(get, path = "/docs", tag = "docs", responses((status = 200, description = "an HTML page", content_type = "text/html", body = String), (status = 429, description = "rate limited (Retry-After)", body = crate::error::ErrorBody)))]
#[tracing::instrument(name = "docs.page", level = "debug", skip_all)]
pub async fn page(State(app): State<AppState>) -> Response {
    (
        [(CONTENT_TYPE, "text/html; charset=utf-8")],
        app.docs.html.clone(),
    )
        .into_response()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A schema's name (`$ref`) or type, for a person.
fn type_of(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "value".into(),
    }
}

/// The page: the document's info, then one section per operation, in the document's order.
fn page_of(doc: &Value) -> String {
    let info = &doc["info"];
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body>\n<h1>{title} {version}</h1>\n<p>{description}</p>\n",
        title = escape(text(info, "title")),
        version = escape(text(info, "version")),
        description = escape(text(info, "description")),
    );
    for server in doc["servers"].as_array().into_iter().flatten() {
        let _ = writeln!(
            h,
            "<p>Server: <code>{}</code></p>",
            escape(text(server, "url"))
        );
    }
    h.push_str(
        "<p>The machine-readable document: <a href=\"/openapi.json\">/openapi.json</a> \
         (OpenAPI 3.1). Errors are <code>{\"error\": {\"code\", \"message\"}}</code>. \
         A token goes in <code>Authorization: Bearer &lt;token&gt;</code>.</p>\n",
    );
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    for (path, item) in &paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            operation(&mut h, doc, path, method, op);
        }
    }
    h.push_str("</body></html>\n");
    h
}

fn operation(h: &mut String, doc: &Value, path: &str, method: &str, op: &Value) {
    let _ = writeln!(
        h,
        "<section>\n<h2><code>{} {}</code></h2>\n<p><strong>{}</strong></p>",
        escape(&method.to_uppercase()),
        escape(path),
        escape(text(op, "summary")),
    );
    let description = text(op, "description");
    if !description.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", escape(description));
    }
    let token = match op["security"].as_array() {
        None => "none",
        Some(s)
            if s.iter()
                .any(|r| r.as_object().is_some_and(|o| o.is_empty())) =>
        {
            "optional (a bearer token, when sent, must be valid)"
        }
        Some(_) => "a bearer token",
    };
    let _ = writeln!(h, "<p>Token: {token}.</p>");
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    if !params.is_empty() {
        h.push_str("<p>Parameters:</p>\n<ul>\n");
        for p in &params {
            let required = if p["required"].as_bool() == Some(true) {
                "required"
            } else {
                "optional"
            };
            let _ = writeln!(
                h,
                "<li><code>{}</code> ({}, {}, {}) {}</li>",
                escape(text(p, "name")),
                escape(text(p, "in")),
                escape(&type_of(&p["schema"])),
                required,
                escape(text(p, "description")),
            );
        }
        h.push_str("</ul>\n");
    }
    if let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") {
        body(h, doc, schema);
    }
    let answers: Vec<String> = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, r)| match text(r, "description") {
            "" => escape(status),
            d => format!("{} ({})", escape(status), escape(d)),
        })
        .collect();
    let _ = writeln!(h, "<p>Answers: {}.</p>\n</section>", answers.join(", "));
}

/// A JSON body's fields, from its schema in the document's components.
fn body(h: &mut String, doc: &Value, schema: &Value) {
    let name = type_of(schema);
    let resolved = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| doc.pointer(pointer))
        .unwrap_or(schema);
    let _ = writeln!(
        h,
        "<p>Body (JSON, <code>{}</code>):</p>\n<ul>",
        escape(&name)
    );
    let required: Vec<&str> = resolved["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (field, s) in resolved["properties"].as_object().into_iter().flatten() {
        let _ = writeln!(
            h,
            "<li><code>{}</code> ({}, {}) {}</li>",
            escape(field),
            escape(&type_of(s)),
            if required.contains(&field.as_str()) {
                "required"
            } else {
                "optional"
            },
            escape(text(s, "description")),
        );
    }
    h.push_str("</ul>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_lists_every_operation_and_escapes_what_it_shows() {
        let docs = Docs::new("https://api.tickets.test");
        let html = String::from_utf8(docs.html.to_vec()).expect("utf-8");
        for route in crate::routes::TABLE {
            let heading = format!(
                "<code>{} {}</code>",
                route.method.to_uppercase(),
                escape(route.path)
            );
            assert!(html.contains(&heading), "{heading}");
        }
        assert!(html.contains("<p>Server: <code>https://api.tickets.test</code></p>"));
        assert!(html.contains("<code>event</code> (AccountAddress, required)"));
        assert!(!html.contains("<script") && !html.contains("style="));
        assert_eq!(
            escape("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
        let doc: Value = serde_json::from_slice(&docs.json).expect("json");
        assert_eq!(doc["servers"][0]["url"], "https://api.tickets.test");
    }
}
