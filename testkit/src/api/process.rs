//! The `bitticket-api` binary as a separate process, configured by its environment.
use std::net::SocketAddr;

use super::config::settings_vars;

/// The running binary, killed when dropped.
pub struct ApiProcess {
    pub child: std::process::Child,
    pub addr: SocketAddr,
}

impl Drop for ApiProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `bin` (the API's tests pass `env!("CARGO_BIN_EXE_bitticket-api")`) on a free
/// loopback port with the test settings, and waits until it is live.
pub async fn spawn_process(
    bin: &str,
    api_url: &str,
    service_organizers: &[&str],
    extra: &[(&str, String)],
) -> ApiProcess {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let mut vars = settings_vars(api_url, service_organizers, extra);
    vars.insert("BITTICKET_API_LISTEN".into(), addr.to_string());
    let child = std::process::Command::new(bin)
        .env_clear()
        .envs(vars)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start bitticket-api");
    let p = ApiProcess { child, addr };
    for _ in 0..100 {
        if let Ok(r) = reqwest::get(format!("http://{addr}/health/live")).await {
            if r.status().is_success() {
                return p;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("bitticket-api did not start on {addr}");
}
