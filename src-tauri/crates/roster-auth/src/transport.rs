//! An `azure_core` HTTP client on our own `reqwest`, so app-only credentials can trust an extra root
//! certificate (the emulator's self-signed https listener) and share one TLS stack with the rest.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use azure_core::error::{Error, ErrorKind};
use azure_core::http::headers::{HeaderName, HeaderValue, Headers};
use azure_core::http::{AsyncRawResponse, Body, HttpClient, Request};
use futures::TryStreamExt as _;

/// `azure_core::http::HttpClient` over a `reqwest::Client` that does not follow redirects.
#[derive(Debug)]
pub(crate) struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport trusting the platform roots plus `extra_root_der` (a DER certificate), if given.
    pub fn new(extra_root_der: Option<&[u8]>) -> Result<Self, String> {
        let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        if let Some(der) = extra_root_der {
            let certificate = reqwest::Certificate::from_der(der)
                .map_err(|e| format!("bad root certificate ({e})"))?;
            builder = builder.add_root_certificate(certificate);
        }
        let client = builder
            .build()
            .map_err(|e| format!("could not set up the HTTP client ({e})"))?;
        Ok(Self { client })
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
        let body = response.bytes_stream().map_err(|e| {
            Error::with_error(
                ErrorKind::Io,
                e,
                "reading the identity platform's answer failed",
            )
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
