//! An https listener with a fresh self-signed certificate, because `azure_identity` only accepts
//! https authority hosts. Clients trust the returned certificate (DER) explicitly.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;

use super::routes::ServedOverTls;

/// Why the https listener could not start.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// The self-signed certificate could not be generated.
    #[error("could not generate the emulator's self-signed certificate: {0}")]
    Certificate(String),
    /// rustls refused the certificate or key.
    #[error("could not configure TLS: {0}")]
    Config(String),
    /// The address could not be bound.
    #[error("could not listen on {addr} for https: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
}

/// A running https listener. Dropping it does not stop it; call [`HttpsListener::shutdown`].
#[derive(Debug)]
pub struct HttpsListener {
    /// The bound address (the real port when port 0 was asked for).
    pub addr: SocketAddr,
    /// The self-signed certificate, DER, valid for `localhost` and `127.0.0.1`: add it as a trusted root.
    pub cert_der: Vec<u8>,
    /// The same certificate as PEM, for tools that want a file (`REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`).
    pub cert_pem: String,
    handle: axum_server::Handle<SocketAddr>,
}

impl HttpsListener {
    /// The authority host URL, `https://127.0.0.1:PORT` (or `localhost`, both are in the certificate).
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Stops accepting connections and closes the open ones.
    pub fn shutdown(&self) {
        self.handle.shutdown();
    }
}

/// Serves `router` over https on `addr` with a new self-signed certificate; requests it serves are
/// marked [`ServedOverTls`] so discovery documents and device-code URLs say `https`.
pub async fn serve_https(addr: SocketAddr, router: Router) -> Result<HttpsListener, TlsError> {
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    if !addr.ip().is_unspecified() && !addr.ip().is_loopback() {
        names.push(addr.ip().to_string());
    }
    let certified = rcgen::generate_simple_self_signed(names)
        .map_err(|e| TlsError::Certificate(e.to_string()))?;
    let cert_der = certified.cert.der().to_vec();
    let cert_pem = certified.cert.pem();
    let key_der = certified.signing_key.serialize_der();

    // Pick the provider explicitly: with both ring and aws-lc-rs compiled in (reqwest brings ring),
    // rustls cannot choose a process default on its own.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key_der.into());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(vec![cert_der.clone().into()], key)
        .map_err(|e| TlsError::Config(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];

    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| TlsError::Bind { addr, source })?;
    listener
        .set_nonblocking(true)
        .map_err(|source| TlsError::Bind { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| TlsError::Bind { addr, source })?;
    let server = axum_server::from_tcp_rustls(
        listener,
        axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(config)),
    )
    .map_err(|source| TlsError::Bind { addr, source })?;
    let handle = axum_server::Handle::new();
    let service = router
        .layer(axum::Extension(ServedOverTls))
        .into_make_service();
    let server = server.handle(handle.clone());
    tokio::spawn(async move {
        if let Err(error) = server.serve(service).await {
            tracing::error!(%error, "the emulator's https listener stopped");
        }
    });
    Ok(HttpsListener {
        addr: bound,
        cert_der,
        cert_pem,
        handle,
    })
}
