//! A fault-injecting proxy on loopback in front of the validator's JSON-RPC: each
//! request is passed through, or answered with a 500, a 429, a JSON-RPC "node behind"
//! error, silence until the client times out, or a dropped connection, at random with
//! the configured odds.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, Default)]
pub struct Odds {
    pub http_500: f64,
    pub http_429: f64,
    pub behind: f64,
    pub hang: f64,
    pub drop: f64,
}

pub struct Proxy {
    pub url: String,
    pub odds: Arc<Mutex<Odds>>,
    pub faults: Arc<AtomicU64>,
    pub passed: Arc<AtomicU64>,
    /// Requests passed through, by JSON-RPC method.
    pub methods: Methods,
}

pub type Methods = Arc<Mutex<std::collections::HashMap<String, u64>>>;

impl Proxy {
    pub async fn start(upstream: String, odds: Odds) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let odds = Arc::new(Mutex::new(odds));
        let faults = Arc::new(AtomicU64::new(0));
        let passed = Arc::new(AtomicU64::new(0));
        let methods = Methods::default();
        let http = reqwest::Client::new();
        let (o, f, p, m) = (
            odds.clone(),
            faults.clone(),
            passed.clone(),
            methods.clone(),
        );
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    return;
                };
                let (o, f, p, m, http, upstream) = (
                    o.clone(),
                    f.clone(),
                    p.clone(),
                    m.clone(),
                    http.clone(),
                    upstream.clone(),
                );
                tokio::spawn(async move {
                    let _ = serve(sock, o, f, p, m, http, upstream).await;
                });
            }
        });
        Self {
            url,
            odds,
            faults,
            passed,
            methods,
        }
    }

    /// How many `method` requests were passed through.
    pub fn calls(&self, method: &str) -> u64 {
        let m = self.methods.lock().unwrap_or_else(|e| e.into_inner());
        m.get(method).copied().unwrap_or(0)
    }

    pub fn set(&self, odds: Odds) {
        *self.odds.lock().unwrap_or_else(|e| e.into_inner()) = odds;
    }
}

/// Reads one HTTP/1.1 request (headers and a Content-Length body); None at EOF.
async fn read_request(sock: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<Option<Vec<u8>>> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            let total = end + 4 + len;
            if buf.len() >= total {
                let body = buf[end + 4..total].to_vec();
                buf.drain(..total);
                return Ok(Some(body));
            }
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn respond(sock: &mut TcpStream, status: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    sock.write_all(head.as_bytes()).await?;
    sock.write_all(body).await
}

async fn serve(
    mut sock: TcpStream,
    odds: Arc<Mutex<Odds>>,
    faults: Arc<AtomicU64>,
    passed: Arc<AtomicU64>,
    methods: Methods,
    http: reqwest::Client,
    upstream: String,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    while let Some(body) = read_request(&mut sock, &mut buf).await? {
        let o = *odds.lock().unwrap_or_else(|e| e.into_inner());
        let roll: f64 = rand::rng().random();
        let mut edge = 0.0;
        let mut pick = |p: f64| {
            edge += p;
            roll < edge
        };
        if pick(o.http_500) {
            faults.fetch_add(1, Ordering::Relaxed);
            respond(&mut sock, "500 Internal Server Error", b"oops").await?;
        } else if pick(o.http_429) {
            faults.fetch_add(1, Ordering::Relaxed);
            respond(&mut sock, "429 Too Many Requests", b"slow down").await?;
        } else if pick(o.behind) {
            faults.fetch_add(1, Ordering::Relaxed);
            let id = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .map(|v| v["id"].clone());
            let err = serde_json::json!({"jsonrpc": "2.0", "id": id,
                "error": {"code": -32016, "message": "Minimum context slot has not been reached"}});
            respond(&mut sock, "200 OK", err.to_string().as_bytes()).await?;
        } else if pick(o.hang) {
            faults.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_secs(30)).await;
            return Ok(());
        } else if pick(o.drop) {
            faults.fetch_add(1, Ordering::Relaxed);
            return Ok(()); // connection closed without an answer
        } else {
            passed.fetch_add(1, Ordering::Relaxed);
            let method = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["method"].as_str().map(str::to_string))
                .unwrap_or_default();
            *methods
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(method)
                .or_default() += 1;
            let r = http
                .post(&upstream)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .map_err(std::io::Error::other)?;
            let status = r.status();
            let bytes = r.bytes().await.map_err(std::io::Error::other)?;
            respond(
                &mut sock,
                &format!(
                    "{} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                ),
                &bytes,
            )
            .await?;
        }
    }
    Ok(())
}

/// A TCP relay for the websocket: passes bytes both ways until `drop_all` cuts every
/// open connection (a dropped socket, as a node restart or a load balancer does).
pub struct Relay {
    pub url: String,
    cut: tokio::sync::watch::Sender<u64>,
    pub connections: Arc<AtomicU64>,
}

impl Relay {
    pub async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the relay");
        let url = format!("ws://{}", listener.local_addr().expect("addr"));
        let (cut, _) = tokio::sync::watch::channel(0u64);
        let connections = Arc::new(AtomicU64::new(0));
        let (c, n) = (cut.clone(), connections.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                n.fetch_add(1, Ordering::Relaxed);
                let mut rx = c.subscribe();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = rx.changed() => {}
                    }
                });
            }
        });
        Self {
            url,
            cut,
            connections,
        }
    }

    pub fn drop_all(&self) {
        self.cut.send_modify(|g| *g += 1);
    }
}
