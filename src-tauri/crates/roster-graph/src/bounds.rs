//! How long and how much the client reads of one answer, so that a hostile or broken server (or a
//! wrong `--graph-url`) cannot hold a job forever or fill the memory: every request has an overall
//! deadline, from connecting to the last byte of its body ([`DEFAULT_REQUEST_DEADLINE`]), and no
//! answer is read beyond [`MAX_RESPONSE_BYTES`].

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::StreamExt as _;

use crate::error::{ErrorKind, GraphError, RequestContext};

/// The overall deadline of one request (headers and body), 5 minutes: a Graph page of a few MB
/// arrives in seconds even on a slow link, so a request still running after 5 minutes is a server
/// dripping its answer. The retry loop then tries again within its budget
/// ([`RetryPolicy::max_elapsed`](crate::RetryPolicy::max_elapsed)).
pub const DEFAULT_REQUEST_DEADLINE: Duration = Duration::from_secs(300);

/// The most bytes read of one answer, 64 MiB. A Graph page is at most a few MB (999 users with the
/// portal's columns are about 2 MB) and a `$batch` answer holds at most 20 such bodies; 64 MiB leaves
/// room for both and still bounds the memory a server can make the client hold per request.
pub const MAX_RESPONSE_BYTES: u64 = 64 << 20;

/// The limits of one client, copied into every body read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyLimits {
    /// The overall deadline of a request.
    pub deadline: Duration,
    /// The longest silence while reading.
    pub read_timeout: Duration,
    /// The most bytes read of an answer.
    pub max_bytes: u64,
}

impl BodyLimits {
    /// A transport failure as a [`GraphError`]: a timeout says which limit it hit.
    pub fn network(&self, error: reqwest::Error, context: &RequestContext) -> GraphError {
        if error.is_timeout() {
            let message = format!(
                "no complete answer within the deadline of {} s per request (or {} s without any data): \
                 the server is too slow or not answering",
                self.deadline.as_secs(),
                self.read_timeout.as_secs()
            );
            GraphError::network_with_message(error, message, context.clone())
        } else {
            GraphError::network(error, context.clone())
        }
    }

    /// Refuses an answer whose announced length is already over the cap.
    pub fn check_announced(
        &self,
        response: &reqwest::Response,
        context: &RequestContext,
    ) -> Result<(), GraphError> {
        match response.content_length() {
            Some(length) if length > self.max_bytes => Err(self.too_large(context)),
            _ => Ok(()),
        }
    }

    /// Refuses to go on once `total` bytes would be over the cap.
    pub fn check_total(&self, total: usize, context: &RequestContext) -> Result<(), GraphError> {
        if total as u64 > self.max_bytes {
            Err(self.too_large(context))
        } else {
            Ok(())
        }
    }

    /// A buffer for the answer: its announced length when that is small, else a modest start.
    pub fn buffer(&self, response: &reqwest::Response) -> BytesMut {
        let announced = response.content_length().unwrap_or(64 * 1024);
        BytesMut::with_capacity(announced.min(self.max_bytes).min(16 << 20) as usize)
    }

    fn too_large(&self, context: &RequestContext) -> GraphError {
        let limit = if self.max_bytes >= 1 << 20 {
            format!("{} MiB", self.max_bytes >> 20)
        } else {
            format!("{} bytes", self.max_bytes)
        };
        GraphError::new(
            ErrorKind::Decode,
            format!(
                "the answer is larger than {limit}, more than any Microsoft Graph response, so Roster stopped \
                 reading it; check that the Graph address is Microsoft Graph's"
            ),
            context.clone(),
        )
    }

    /// Reads a whole body within the limits.
    pub async fn read(
        &self,
        response: reqwest::Response,
        context: &RequestContext,
    ) -> Result<Bytes, GraphError> {
        self.check_announced(&response, context)?;
        let mut buf = self.buffer(&response);
        let mut body = response.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| self.network(e, context))?;
            self.check_total(buf.len() + chunk.len(), context)?;
            buf.extend_from_slice(&chunk);
        }
        Ok(buf.freeze())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_is_named_in_the_error() {
        let limits = BodyLimits {
            deadline: DEFAULT_REQUEST_DEADLINE,
            read_timeout: Duration::from_secs(120),
            max_bytes: MAX_RESPONSE_BYTES,
        };
        let context = RequestContext::default();
        assert!(limits.check_total(64 << 20, &context).is_ok());
        let error = limits.check_total((64 << 20) + 1, &context).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode);
        assert!(error.message.contains("64 MiB"), "{error}");
        let small = BodyLimits {
            max_bytes: 10,
            ..limits
        };
        assert!(
            small
                .check_total(11, &context)
                .unwrap_err()
                .message
                .contains("10 bytes")
        );
    }
}
