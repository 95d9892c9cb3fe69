//! The loopback listener the browser is redirected to after sign-in (RFC 8252):
//! `http://localhost:PORT/?code=…&state=…`, answered with a page saying the window can be closed.
//!
//! It listens on the same port of both loopback addresses, 127.0.0.1 and `[::1]` (a browser may
//! resolve `localhost` to either, and a port left free on one is free for another local user to
//! take, who would then receive the code). Connections are served concurrently, each within
//! [`CONNECTION_TIMEOUT`], so an idle local socket (a program that connects and says nothing, a
//! browser's speculative connection) cannot stall the sign-in. A request without the expected
//! `state` (another local program guessing) gets a 400 and is otherwise ignored: the sign-in goes on
//! waiting for the real redirect.

use std::collections::HashMap;
use std::io::ErrorKind;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

use oauth2::AuthorizationCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::error::{AuthError, classify};

/// How long one connection may take to send its request and receive the answer. A browser sends its
/// request at once; 10 s allows for a slow machine.
pub(crate) const CONNECTION_TIMEOUT: Duration = Duration::from_secs(10);

/// The most connections served at once; more are closed at once (a local program opening sockets by
/// the thousand cannot exhaust the process's files).
const MAX_CONNECTIONS: usize = 32;

/// How many ports to try when `[::1]` already has the port 127.0.0.1 gave.
const BIND_ATTEMPTS: usize = 8;

/// The largest request head read (a redirect with a code is a few KB).
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// Listeners on 127.0.0.1 and (when the machine has it) `[::1]`, on one port the OS picked.
pub(crate) struct Loopback {
    v4: TcpListener,
    v6: Option<TcpListener>,
    port: u16,
}

/// What one connection brought: nothing to act on, or the end of the sign-in.
type Outcome = Option<Result<AuthorizationCode, AuthError>>;

const DONE_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Roster</title></head>\
<body><h1>Signed in to Roster</h1><p>You can close this window and return to Roster.</p></body></html>";

const IGNORED_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Roster</title></head>\
<body><h1>Not Roster's sign-in</h1><p>This answer does not belong to the sign-in Roster is waiting for, so it was \
ignored.</p></body></html>";

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

fn port_error(e: &std::io::Error) -> AuthError {
    AuthError::Config(format!(
        "could not open a local port for the sign-in redirect ({e}); use the device code sign-in \
         (`roster login --device-code`) instead"
    ))
}

impl Loopback {
    /// Binds 127.0.0.1 and `[::1]` on one random port.
    pub async fn bind() -> Result<Self, AuthError> {
        Self::bind_on(Ipv6Addr::LOCALHOST).await
    }

    /// Binds 127.0.0.1 on a random port and `v6` on the same one. When `v6` cannot be bound at all
    /// (no IPv6 on the machine) the listener goes on with IPv4 and says so in the log; when another
    /// program holds that port on `v6`, another port is tried.
    async fn bind_on(v6: Ipv6Addr) -> Result<Self, AuthError> {
        let mut last_error = None;
        for _ in 0..BIND_ATTEMPTS {
            let v4 = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                .await
                .map_err(|e| port_error(&e))?;
            let port = v4.local_addr().map_err(|e| port_error(&e))?.port();
            match TcpListener::bind((v6, port)).await {
                Ok(listener) => {
                    return Ok(Self {
                        v4,
                        v6: Some(listener),
                        port,
                    });
                }
                Err(e) if e.kind() == ErrorKind::AddrInUse => last_error = Some(e),
                Err(e) => {
                    tracing::warn!(
                        error = %e,
                        "the IPv6 loopback address [{v6}] is not available; the sign-in redirect listens on \
                         127.0.0.1 only"
                    );
                    return Ok(Self { v4, v6: None, port });
                }
            }
        }
        let error = last_error.unwrap_or_else(|| std::io::Error::from(ErrorKind::AddrInUse));
        Err(port_error(&error))
    }

    /// The redirect URI to send in the authorize and token requests: `http://localhost:PORT`, no
    /// path, as Microsoft documents it for desktop apps (graph-api.md §11.2; the port is ignored when
    /// matching the registered `http://localhost`).
    pub fn redirect_uri(&self) -> String {
        format!("http://localhost:{}", self.port)
    }

    async fn accept(&self) -> std::io::Result<TcpStream> {
        let accepted = match &self.v6 {
            Some(v6) => tokio::select! {
                a = self.v4.accept() => a,
                b = v6.accept() => b,
            },
            None => self.v4.accept().await,
        };
        accepted.map(|(stream, _)| stream)
    }

    /// Waits for the redirect carrying `expected_state`, serving connections concurrently. Other
    /// paths (a favicon) get a 404, requests without the expected state a 400; both are ignored. An
    /// error from the identity platform, or the code, ends the wait.
    pub async fn wait(&self, expected_state: &str) -> Result<AuthorizationCode, AuthError> {
        let expected: Arc<str> = Arc::from(expected_state);
        let (tx, mut rx) = mpsc::channel::<Result<AuthorizationCode, AuthError>>(1);
        // Dropping the set when the wait ends aborts the connections still open.
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                Some(outcome) = rx.recv() => return outcome,
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
                accepted = self.accept() => {
                    let stream = match accepted {
                        Ok(stream) => stream,
                        Err(e) => {
                            tracing::debug!(error = %e, "a connection to the sign-in port failed");
                            continue;
                        }
                    };
                    if connections.len() >= MAX_CONNECTIONS {
                        continue; // dropped: closed at once
                    }
                    let (expected, tx) = (Arc::clone(&expected), tx.clone());
                    connections.spawn(async move {
                        let served = tokio::time::timeout(CONNECTION_TIMEOUT, serve(stream, &expected));
                        if let Ok(Some(outcome)) = served.await {
                            let _ = tx.send(outcome).await;
                        }
                    });
                }
            }
        }
    }
}

/// Answers one connection; returns what it means for the sign-in.
async fn serve(mut stream: TcpStream, expected_state: &str) -> Outcome {
    let Some(target) = read_request_target(&mut stream).await else {
        respond(&mut stream, "400 Bad Request", "").await;
        return None;
    };
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    if path != "/" || !(params.contains_key("code") || params.contains_key("error")) {
        respond(&mut stream, "404 Not Found", "").await;
        return None;
    }
    if params.get("state").map(String::as_str) != Some(expected_state) {
        tracing::warn!("ignored a sign-in redirect that did not carry this sign-in's state");
        respond(&mut stream, "400 Bad Request", IGNORED_PAGE).await;
        return None;
    }
    if let Some(error) = params.get("error") {
        let error = classify(
            error,
            params.get("error_description").map(String::as_str),
            None,
            &[],
        );
        respond(&mut stream, "200 OK", &failed_page(&error.to_string())).await;
        return Some(Err(error));
    }
    let code = params.get("code")?;
    respond(&mut stream, "200 OK", DONE_PAGE).await;
    Some(Ok(AuthorizationCode::new(code.clone())))
}

/// Reads the request head (up to [`MAX_HEAD_BYTES`]) and returns the request target of a GET.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buffer = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 || buffer.len() > MAX_HEAD_BYTES {
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

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

    use super::*;

    fn ipv6_loopback_available() -> bool {
        std::net::TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).is_ok()
    }

    #[tokio::test]
    async fn both_loopback_addresses_are_taken_on_one_port() {
        if !ipv6_loopback_available() {
            return; // nothing to take on a machine without [::1]
        }
        let loopback = Loopback::bind().await.unwrap();
        let port = loopback.port;
        for addr in [
            SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            SocketAddr::from((Ipv6Addr::LOCALHOST, port)),
        ] {
            let taken = TcpListener::bind(addr).await;
            assert!(
                taken.is_err(),
                "{addr} must be held by the sign-in, not free for another local user"
            );
        }
        let waiting = tokio::spawn(async move { loopback.wait("s").await });
        let mut stream = TcpStream::connect((Ipv6Addr::LOCALHOST, port))
            .await
            .unwrap();
        stream
            .write_all(b"GET /?code=c&state=s HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
        assert_eq!(waiting.await.unwrap().unwrap().secret(), "c");
    }

    #[tokio::test]
    async fn without_ipv6_loopback_it_listens_on_ipv4_alone() {
        // ::2 is never a local address: binding it fails as on a machine without IPv6.
        let loopback = Loopback::bind_on("::2".parse().unwrap()).await.unwrap();
        assert!(loopback.v6.is_none());
        assert!(
            TcpListener::bind((Ipv4Addr::LOCALHOST, loopback.port))
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn idle_connections_and_wrong_requests_do_not_stop_the_wait() {
        let loopback = Loopback::bind().await.unwrap();
        let port = loopback.port;
        let waiting = tokio::spawn(async move { loopback.wait("s").await });
        let mut idle = Vec::new();
        for _ in 0..3 {
            idle.push(
                TcpStream::connect((Ipv4Addr::LOCALHOST, port))
                    .await
                    .unwrap(),
            );
        }
        for (request, status) in [
            ("POST /?code=c&state=s HTTP/1.1", "400"),
            ("GET /favicon.ico HTTP/1.1", "404"),
            ("GET /?code=c HTTP/1.1", "400"),
            ("GET /?error=access_denied&state=x HTTP/1.1", "400"),
        ] {
            let answer = exchange(port, request).await;
            assert!(
                answer.starts_with(&format!("HTTP/1.1 {status}")),
                "{request}: {answer}"
            );
            assert!(!waiting.is_finished(), "{request} ended the wait");
        }
        let answer = exchange(port, "GET /?code=real&state=s HTTP/1.1").await;
        assert!(answer.contains("Signed in to Roster"), "{answer}");
        assert_eq!(waiting.await.unwrap().unwrap().secret(), "real");
        drop(idle);
    }

    /// Sends `request_line` on a new connection and returns the answer.
    async fn exchange(port: u16, request_line: &str) -> String {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))
            .await
            .unwrap();
        let request = format!("{request_line}\r\nHost: localhost\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        answer
    }
}
