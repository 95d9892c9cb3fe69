//! An `azure_core` HTTP client on our own `reqwest`, so app-only credentials can trust an extra root
//! certificate (the emulator's self-signed https listener) and share one TLS stack with the rest. Every
//! request is bounded ([`Limits`]): an identity platform (or a wrong `--authority`) that never answers,
//! or drips its answer, or sends more than any token response, ends in an error instead of holding
//! the job.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use azure_core::error::{Error, ErrorKind};
use azure_core::http::headers::{HeaderName, HeaderValue, Headers};
use azure_core::http::{AsyncRawResponse, Body, HttpClient, Request};
use std::time::Duration;

use futures::StreamExt as _;

/// How long and how much the transport reads of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The longest wait for a connection.
    pub connect: Duration,
    /// The overall deadline of a request, from connecting to the last byte of its body.
    pub deadline: Duration,
    /// The most bytes read of an answer.
    pub max_bytes: u64,
}

impl Limits {
    /// 15 s to connect, 60 s per request (as for the delegated sign-in's token requests), at most
    /// 1 MiB per answer: a token response is a few KB.
    pub const DEFAULT: Self = Self {
        connect: Duration::from_secs(15),
        deadline: Duration::from_secs(60),
        max_bytes: 1 << 20,
    };
}

/// The error for an answer over the cap; `azure_core` does not retry `Other`.
fn too_large(limits: Limits) -> Error {
    Error::with_message(
        ErrorKind::Other,
        format!(
            "the identity platform's answer is larger than {} KiB, more than any token response; check the \
             authority URL",
            limits.max_bytes >> 10
        ),
    )
}

/// `azure_core::http::HttpClient` over a `reqwest::Client` that does not follow redirects.
#[derive(Debug)]
pub(crate) struct ReqwestTransport {
    client: reqwest::Client,
    limits: Limits,
}

impl ReqwestTransport {
    /// A transport trusting the platform roots plus `extra_root_der` (a DER certificate), if given,
    /// within [`Limits::DEFAULT`].
    pub fn new(extra_root_der: Option<&[u8]>) -> Result<Self, String> {
        Self::with_limits(extra_root_der, Limits::DEFAULT)
    }

    /// [`ReqwestTransport::new`] within `limits`.
    pub fn with_limits(extra_root_der: Option<&[u8]>, limits: Limits) -> Result<Self, String> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(limits.connect)
            .timeout(limits.deadline);
        if let Some(der) = extra_root_der {
            let certificate = reqwest::Certificate::from_der(der)
                .map_err(|e| format!("bad root certificate ({e})"))?;
            builder = builder.add_root_certificate(certificate);
        }
        let client = builder
            .build()
            .map_err(|e| format!("could not set up the HTTP client ({e})"))?;
        Ok(Self { client, limits })
    }

    async fn execute(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        let method = reqwest::Method::from_bytes(request.method().as_str().as_bytes())
            .map_err(|e| Error::with_error(ErrorKind::Other, e, "unsupported HTTP method"))?;
        let mut builder = self.client.request(method, request.url().clone());
        for (name, value) in request.headers().iter() {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let builder = match request.body() {
            Body::Bytes(bytes) => builder.body(bytes.clone()),
            #[allow(unreachable_patterns)] // Streams only exist with some azure_core features.
            _ => {
                return Err(Error::with_message(
                    ErrorKind::Other,
                    "streamed request bodies are not supported",
                ));
            }
        };
        let response = builder.send().await.map_err(|e| {
            // A refused certificate will not get better by retrying: report it as `Other`, which the
            // azure_core retry policy does not retry (it retries `Io` and `Connection`).
            let kind = if error_chain(&e).contains("certificate") {
                ErrorKind::Other
            } else if e.is_connect() {
                ErrorKind::Connection
            } else {
                ErrorKind::Io
            };
            Error::with_error(kind, e, "the identity platform could not be reached")
        })?;
        let limits = self.limits;
        if response
            .content_length()
            .is_some_and(|length| length > limits.max_bytes)
        {
            return Err(too_large(limits));
        }
        let status = response.status().as_u16();
        let headers: HashMap<HeaderName, HeaderValue> = response
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                let value = v.to_str().ok()?;
                Some((
                    HeaderName::from(k.as_str().to_owned()),
                    HeaderValue::from(value.to_owned()),
                ))
            })
            .collect();
        let mut read = 0u64;
        let body = response.bytes_stream().map(move |chunk| {
            let chunk = chunk.map_err(|e| {
                Error::with_error(
                    ErrorKind::Io,
                    e,
                    "reading the identity platform's answer failed",
                )
            })?;
            read = read.saturating_add(chunk.len() as u64);
            if read > limits.max_bytes {
                return Err(too_large(limits));
            }
            Ok(chunk)
        });
        Ok(AsyncRawResponse::new(
            status.into(),
            Headers::from(headers),
            Box::pin(body),
        ))
    }
}

/// The error and all its sources, joined.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

impl HttpClient for ReqwestTransport {
    fn execute_request<'life0, 'life1, 'async_trait>(
        &'life0 self,
        request: &'life1 Request,
    ) -> Pin<Box<dyn Future<Output = azure_core::Result<AsyncRawResponse>> + Send + 'async_trait>>
    where
        'life0: 'async_trait,
        'life1: 'async_trait,
        Self: 'async_trait,
    {
        Box::pin(self.execute(request))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use azure_core::http::{Method, Request};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    use super::*;

    /// Far beyond the test's one-second deadline, far below the hours an undefended client waits.
    const STUCK: Duration = Duration::from_secs(30);

    const SHORT: Limits = Limits {
        connect: Duration::from_secs(5),
        deadline: Duration::from_secs(1),
        max_bytes: 1 << 20,
    };

    /// A server on 127.0.0.1 that reads each request's head and then runs `script` on the connection.
    async fn hostile<F, Fut>(script: F) -> String
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let url = format!(
            "http://{}/tenant/oauth2/v2.0/token",
            listener.local_addr().unwrap()
        );
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if !matches!(stream.read(&mut byte).await, Ok(1)) {
                        break;
                    }
                    head.push(byte[0]);
                }
                tokio::spawn(script(stream));
            }
        });
        url
    }

    async fn hold(mut stream: TcpStream) {
        let mut sink = [0u8; 256];
        while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
    }

    async fn answer(url: &str) -> azure_core::Result<Vec<u8>> {
        let transport = ReqwestTransport::with_limits(None, SHORT).unwrap();
        let request = Request::new(url.parse().unwrap(), Method::Get);
        let response = transport.execute(&request).await?;
        let body = response.try_into_raw_response().await?;
        Ok(body.body().to_vec())
    }

    async fn bounded<T>(work: impl Future<Output = T>) -> T {
        tokio::time::timeout(STUCK, work)
            .await
            .expect("the transport gave up within its deadline instead of waiting on the server")
    }

    #[tokio::test]
    async fn a_silent_identity_platform_ends_at_the_deadline() {
        let url = hostile(hold).await;
        assert!(bounded(answer(&url)).await.is_err());
    }

    #[tokio::test]
    async fn a_dripping_answer_ends_at_the_deadline() {
        let url = hostile(|mut stream: TcpStream| async move {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            loop {
                tokio::time::sleep(Duration::from_millis(100)).await;
                if stream.write_all(b" ").await.is_err() {
                    return;
                }
            }
        })
        .await;
        assert!(bounded(answer(&url)).await.is_err());
    }

    #[tokio::test]
    async fn an_answer_larger_than_the_cap_is_refused() {
        let url = hostile(|mut stream: TcpStream| async move {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n{";
            if stream.write_all(head.as_bytes()).await.is_ok() {
                hold(stream).await;
            }
        })
        .await;
        let error = bounded(answer(&url)).await.unwrap_err();
        assert!(error.to_string().contains("larger than"), "{error}");
    }
}
