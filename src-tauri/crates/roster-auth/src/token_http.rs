//! The HTTP client of the delegated sign-in's `oauth2` requests (authorization code, refresh token,
//! device code): a `reqwest::Client` that never follows redirects, with a deadline per request and
//! a cap on the bytes read of an answer. The `oauth2` crate's own `reqwest` client reads a whole
//! body into memory, however long; a token response is a few KB, so a broken or hostile token
//! endpoint (or a wrong `--authority`) that sends more ends in [`TokenHttpError::TooLarge`] once
//! the cap is passed, without holding the rest.

use std::future::Future;
use std::pin::Pin;

use oauth2::{AsyncHttpClient, HttpRequest, HttpResponse};

use crate::transport::Limits;

/// Why a request to the identity platform got no usable answer.
#[derive(Debug, thiserror::Error)]
pub enum TokenHttpError {
    /// The answer is longer than any token response: nothing of it is used.
    #[error(
        "the identity platform's answer is larger than {limit_kib} KiB, more than any token response; \
         check the authority URL"
    )]
    TooLarge {
        /// The cap, in KiB.
        limit_kib: u64,
    },
    /// The request could not be built, sent or read (connection, TLS, the deadline).
    #[error(transparent)]
    Request(#[from] reqwest::Error),
    /// The answer could not be turned into an HTTP response for `oauth2`.
    #[error(transparent)]
    Http(#[from] oauth2::http::Error),
}

/// The identity platform's HTTP client for `oauth2`'s token requests, within [`Limits`].
#[derive(Debug, Clone)]
pub(crate) struct TokenHttp {
    client: reqwest::Client,
    limits: Limits,
}

impl TokenHttp {
    /// A client within [`Limits::DEFAULT`] (15 s to connect, 60 s per request, 1 MiB per answer).
    pub fn new() -> Result<Self, reqwest::Error> {
        Self::with_limits(Limits::DEFAULT)
    }

    /// A client within `limits`.
    pub fn with_limits(limits: Limits) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(limits.connect)
            .timeout(limits.deadline)
            .build()?;
        Ok(Self { client, limits })
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TokenHttpError> {
        let request = reqwest::Request::try_from(request)?;
        let mut response = self.client.execute(request).await?;
        let too_large = TokenHttpError::TooLarge {
            limit_kib: self.limits.max_bytes >> 10,
        };
        if response
            .content_length()
            .is_some_and(|length| length > self.limits.max_bytes)
        {
            return Err(too_large);
        }
        let mut builder = oauth2::http::Response::builder()
            .status(response.status())
            .version(response.version());
        for (name, value) in response.headers() {
            builder = builder.header(name, value);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if (body.len() + chunk.len()) as u64 > self.limits.max_bytes {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(builder.body(body)?)
    }
}

impl<'c> AsyncHttpClient<'c> for TokenHttp {
    type Error = TokenHttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, TokenHttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use oauth2::{AuthUrl, ClientId, RefreshToken, TokenUrl};
    use roster_emulator::faults::Fault;
    use roster_emulator::identity::IdentityOptions;
    use roster_test_support::identity::{IdentityServer, TENANT_ID};

    use super::*;

    /// A refresh with `http` at `idp`'s token endpoint; the answer's parse does not matter here.
    async fn refresh(
        idp: &IdentityServer,
        http: &TokenHttp,
    ) -> Result<(), oauth2::RequestTokenError<TokenHttpError, oauth2::basic::BasicErrorResponse>>
    {
        let client = oauth2::basic::BasicClient::new(ClientId::new("c".into()))
            .set_auth_uri(AuthUrl::new(idp.url("/oauth2/v2.0/authorize")).unwrap())
            .set_token_uri(
                TokenUrl::new(format!("{}/{TENANT_ID}/oauth2/v2.0/token", idp.base)).unwrap(),
            );
        client
            .exchange_refresh_token(&RefreshToken::new("r".into()))
            .request_async(http)
            .await
            .map(drop)
    }

    #[tokio::test]
    async fn a_token_endpoint_that_drips_its_answer_ends_at_the_deadline() {
        let idp = IdentityServer::start(IdentityOptions::default()).await;
        idp.state.set_token_fault(Some(Fault::Drip));
        let http = TokenHttp::with_limits(Limits {
            deadline: Duration::from_secs(1),
            ..Limits::DEFAULT
        })
        .unwrap();
        let outcome = tokio::time::timeout(Duration::from_secs(30), refresh(&idp, &http))
            .await
            .expect("the request ended at its own deadline, not the server's pace");
        assert!(
            matches!(
                outcome,
                Err(oauth2::RequestTokenError::Request(TokenHttpError::Request(ref e))) if e.is_timeout()
            ),
            "{outcome:?}"
        );
    }

    #[tokio::test]
    async fn a_token_endpoint_answer_over_the_cap_is_refused() {
        let idp = IdentityServer::start(IdentityOptions::default()).await;
        idp.state.set_token_fault(Some(Fault::Huge));
        let http = TokenHttp::new().unwrap();
        let outcome = refresh(&idp, &http).await;
        assert!(
            matches!(
                outcome,
                Err(oauth2::RequestTokenError::Request(
                    TokenHttpError::TooLarge { limit_kib: 1024 }
                ))
            ),
            "{outcome:?}"
        );
    }
}
