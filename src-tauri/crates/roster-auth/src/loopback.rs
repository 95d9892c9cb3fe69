//! The loopback listener the browser is redirected to after sign-in (RFC 8252): one request on
//! `http://localhost:PORT/?code=…&state=…`, answered with a page saying the window can be closed.

use std::collections::HashMap;

use oauth2::AuthorizationCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::error::{AuthError, classify};

/// A listener on 127.0.0.1 with a port the OS picked.
pub(crate) struct Loopback {
    listener: TcpListener,
    port: u16,
}

const DONE_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Roster</title></head>\
<body><h1>Signed in to Roster</h1><p>You can close this window and return to Roster.</p></body></html>";

fn failed_page(reason: &str) -> String {
    let escaped = reason
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Roster</title></head><body>\
         <h1>Sign-in did not complete</h1><p>{escaped}</p><p>You can close this window.</p></body></html>"
    )
}

impl Loopback {
    /// Binds 127.0.0.1 on a random port.
    pub async fn bind() -> Result<Self, AuthError> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
            AuthError::Config(format!(
                "could not open a local port for the sign-in redirect ({e})"
            ))
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| {
                AuthError::Config(format!(
                    "could not open a local port for the sign-in redirect ({e})"
                ))
            })?
            .port();
        Ok(Self { listener, port })
    }

    /// The redirect URI to register in the authorize request.
    pub fn redirect_uri(&self) -> String {
        format!("http://localhost:{}/", self.port)
    }

    /// Waits for the redirect carrying `expected_state`; other paths (a favicon) get a 404 and are
    /// ignored. A wrong state, an error or a missing code ends the wait with an error.
    pub async fn wait(&self, expected_state: &str) -> Result<AuthorizationCode, AuthError> {
        loop {
            let (mut stream, _) =
                self.listener.accept().await.map_err(|e| {
                    AuthError::Config(format!("the local sign-in port failed ({e})"))
                })?;
            let Some(target) = read_request_target(&mut stream).await else {
                respond(&mut stream, "400 Bad Request", "").await;
                continue;
            };
            let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
            let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
            if path != "/" || !(params.contains_key("code") || params.contains_key("error")) {
                respond(&mut stream, "404 Not Found", "").await;
                continue;
            }
            if params.get("state").map(String::as_str) != Some(expected_state) {
                let error = AuthError::StateMismatch;
                respond(
                    &mut stream,
                    "400 Bad Request",
                    &failed_page(&error.to_string()),
                )
                .await;
                return Err(error);
            }
            if let Some(error) = params.get("error") {
                let error = classify(
                    error,
                    params.get("error_description").map(String::as_str),
                    None,
                    &[],
                );
                respond(&mut stream, "200 OK", &failed_page(&error.to_string())).await;
                return Err(error);
            }
            if let Some(code) = params.get("code") {
                respond(&mut stream, "200 OK", DONE_PAGE).await;
                return Ok(AuthorizationCode::new(code.clone()));
            }
        }
    }
}

/// Reads the request head (up to 16 KiB) and returns the request target of a GET.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buffer = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 || buffer.len() > 16 * 1024 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let head = String::from_utf8_lossy(&buffer);
    let mut parts = head.lines().next()?.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) => Some(target.to_owned()),
        _ => None,
    }
}

async fn respond(stream: &mut TcpStream, status: &str, body: &str) {
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\
         Cache-Control: no-store\r\n\r\n{body}",
        body.len()
    );
    // The browser may already have gone; there is nobody to tell.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}
