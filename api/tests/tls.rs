//! TLS 1.3 with rustls when a certificate is configured: a TLS 1.3 client is served (with
//! the security headers), a TLS 1.2-only client is refused in the handshake.
use std::sync::Arc;

use bitticket_testkit::api::*;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn client(
    versions: &[&'static rustls::SupportedProtocolVersion],
    cert: &CertificateDer<'static>,
) -> tokio_rustls::TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.clone()).expect("root");
    let cfg = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(versions)
    .expect("versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(cfg))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_1_3_is_served_and_tls_1_2_is_refused() {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".into()]).expect("certificate");
    let dir = std::env::temp_dir().join(format!("bt-tls-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (cert_path, key_path) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert_path, ck.cert.pem()).expect("cert");
    std::fs::write(&key_path, ck.key_pair.serialize_pem()).expect("key");
    let cert = CertificateDer::from(ck.cert.der().to_vec());

    let db = fresh_db().await;
    let extra = [
        ("BITTICKET_API_TLS_CERT", cert_path.display().to_string()),
        ("BITTICKET_API_TLS_KEY", key_path.display().to_string()),
    ];
    let api = spawn_configured(&[], db, &extra).await;
    let name = ServerName::try_from("localhost").expect("name");

    let tcp = tokio::net::TcpStream::connect(api.addr)
        .await
        .expect("connect");
    let mut tls = client(&[&rustls::version::TLS13], &cert)
        .connect(name.clone(), tcp)
        .await
        .expect("a TLS 1.3 handshake");
    assert_eq!(
        tls.get_ref().1.protocol_version(),
        Some(rustls::ProtocolVersion::TLSv1_3)
    );
    tls.write_all(b"GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut response = String::new();
    tls.read_to_string(&mut response).await.expect("read");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response
        .to_lowercase()
        .contains("strict-transport-security: max-age=31536000; includesubdomains"));

    let tcp = tokio::net::TcpStream::connect(api.addr)
        .await
        .expect("connect");
    let old = client(&[&rustls::version::TLS12], &cert)
        .connect(name, tcp)
        .await;
    assert!(old.is_err(), "a TLS 1.2 client must be refused");

    // plain HTTP to the TLS port gets no answer
    let plain = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        api.http.get(api.url("/health/live")).send(),
    )
    .await;
    assert!(!matches!(plain, Ok(Ok(ref r)) if r.status().is_success()));
    let _ = std::fs::remove_dir_all(dir);
}
