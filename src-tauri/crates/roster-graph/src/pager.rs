//! Streams a Graph collection page by page without ever holding more than two pages, pipelining the
//! next page's request as soon as its nextLink shows up at the start of the current body, and exposing a
//! [`Continuation`] after every page so a job can checkpoint and resume.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use futures::{Stream, StreamExt, stream};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::client::{GraphClient, GraphRequest, decode_error};
use crate::error::{ErrorKind, GraphError, RequestContext};
use crate::scan::{Head, scan_head};

/// One page of a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page (may be empty even when more pages follow).
    pub items: Vec<T>,
    /// Where the next page is; `None` on the last page.
    pub next_link: Option<String>,
    /// `@odata.count`, present on the first page of a `$count=true` request.
    pub count: Option<u64>,
}

/// Everything needed to resume a listing after the last completed page: store it (it serialises to
/// JSON) and pass it to [`GraphClient::resume`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Continuation {
    /// The nextLink to fetch next.
    pub next_link: String,
    /// Whether the listing runs in advanced query mode (the header is not part of the link).
    pub advanced: bool,
    /// The permissions the listing's token needs.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// `@odata.count` from the first page, if it was asked for.
    #[serde(default)]
    pub count: Option<u64>,
}

#[cfg(test)]
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Envelope<T> {
    #[serde(rename = "@odata.nextLink", default)]
    next_link: Option<String>,
    #[serde(rename = "@odata.count", default)]
    count: Option<u64>,
    #[serde(default = "Vec::new")]
    value: Vec<T>,
}

/// One page exactly as Graph sent it, with its annotations already read: for callers that parse
/// the items themselves (straight into CSV cells, without a JSON tree per item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPage {
    /// The whole response body (a JSON object with a `value` array).
    pub body: Vec<u8>,
    /// Where the next page is; `None` on the last page.
    pub next_link: Option<String>,
    /// `@odata.count`, present on the first page of a `$count=true` request.
    pub count: Option<u64>,
}

struct InFlight {
    link: oneshot::Receiver<Option<String>>,
    task: JoinHandle<Result<RawPage, GraphError>>,
}

/// A listing in progress. Call [`next_page`](Self::next_page) until it returns `None`, or turn it into
/// a stream of pages or items.
pub struct Pager<T> {
    client: GraphClient,
    template: GraphRequest,
    next_url: Option<String>,
    in_flight: Option<InFlight>,
    count: Option<u64>,
    pipelining: bool,
    done: bool,
    _items: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Pager<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("next_url", &self.next_url)
            .field("advanced", &self.template.advanced)
            .field("count", &self.count)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T> Drop for Pager<T> {
    fn drop(&mut self) {
        if let Some(in_flight) = self.in_flight.take() {
            in_flight.task.abort();
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Pager<T> {
    /// A pager starting at `request.url` (relative path or nextLink), repeating the request's headers,
    /// advanced-query mode and scopes on every page.
    pub fn new(client: GraphClient, request: GraphRequest) -> Self {
        Self {
            client,
            next_url: Some(request.url.clone()),
            template: request,
            in_flight: None,
            count: None,
            pipelining: true,
            done: false,
            _items: PhantomData,
        }
    }

    /// Turns pipelining (requesting page n+1 while page n is still arriving) on or off; on by default.
    pub fn pipelining(mut self, enabled: bool) -> Self {
        self.pipelining = enabled;
        self
    }

    /// `@odata.count` once the first page arrived (only with `$count=true`).
    pub fn count(&self) -> Option<u64> {
        self.count
    }

    /// Where to resume after the pages returned so far; `None` once the listing is complete.
    pub fn continuation(&self) -> Option<Continuation> {
        self.next_url.as_ref().map(|next_link| Continuation {
            next_link: next_link.clone(),
            advanced: self.template.advanced,
            scopes: self.template.scopes.clone(),
            count: self.count,
        })
    }

    fn spawn(&self, url: String) -> InFlight {
        let (tx, rx) = oneshot::channel();
        let client = self.client.clone();
        let request = GraphRequest {
            url,
            ..self.template.clone()
        };
        let task = tokio::spawn(fetch_page(client, request, tx));
        InFlight { link: rx, task }
    }

    /// The next page, `None` after the last one. After an error the pager stops; resume from
    /// [`continuation`](Self::continuation) taken before.
    pub async fn next_page(&mut self) -> Option<Result<Page<T>, GraphError>> {
        let raw = self.fetch_next().await?;
        let page = raw.and_then(|raw| {
            parse_items::<T>(&raw.body, &self.context()).map(|items| Page {
                items,
                next_link: raw.next_link,
                count: raw.count,
            })
        });
        Some(self.settle(page, |p| (p.next_link.clone(), p.count)))
    }

    /// The next page as raw JSON (see [`RawPage`]), `None` after the last one. The caller parses
    /// the items; the continuation moves past this page at once.
    pub async fn next_raw_page(&mut self) -> Option<Result<RawPage, GraphError>> {
        let raw = self.fetch_next().await?;
        Some(self.settle(raw, |p| (p.next_link.clone(), p.count)))
    }

    fn context(&self) -> RequestContext {
        RequestContext {
            method: self.template.method.to_string(),
            path: self
                .next_url
                .as_deref()
                .unwrap_or_default()
                .split('?')
                .next()
                .unwrap_or_default()
                .to_owned(),
            advanced: self.template.advanced,
        }
    }

    /// Awaits the page in flight (starting it if needed) and starts the next one as soon as its
    /// nextLink is known.
    async fn fetch_next(&mut self) -> Option<Result<RawPage, GraphError>> {
        if self.done {
            return None;
        }
        let current = match self.in_flight.take() {
            Some(in_flight) => in_flight,
            None => self.spawn(self.next_url.clone()?),
        };
        let early_link = current.link.await.ok().flatten();
        if self.pipelining
            && let Some(link) = &early_link
        {
            self.in_flight = Some(self.spawn(link.clone()));
        }
        Some(match current.task.await {
            Ok(result) => result,
            Err(join) => Err(GraphError::new(
                ErrorKind::Usage,
                format!("a page request stopped unexpectedly ({join})"),
                RequestContext::default(),
            )),
        })
    }

    /// Moves the listing past a page that arrived whole, or stops it after an error (the
    /// continuation then still points at the failed page).
    fn settle<P>(
        &mut self,
        result: Result<P, GraphError>,
        annotations: impl FnOnce(&P) -> (Option<String>, Option<u64>),
    ) -> Result<P, GraphError> {
        match result {
            Ok(page) => {
                let (next_link, count) = annotations(&page);
                if self.count.is_none() {
                    self.count = count;
                }
                self.next_url = next_link;
                if self.next_url.is_none() {
                    self.done = true;
                    if let Some(stray) = self.in_flight.take() {
                        stray.task.abort();
                    }
                }
                Ok(page)
            }
            Err(error) => {
                self.done = true;
                if let Some(stray) = self.in_flight.take() {
                    stray.task.abort();
                }
                Err(error)
            }
        }
    }

    /// A stream of pages.
    pub fn into_pages(self) -> impl Stream<Item = Result<Page<T>, GraphError>> + Send {
        stream::unfold(self, |mut pager| async move {
            pager.next_page().await.map(|page| (page, pager))
        })
    }

    /// A stream of items across all pages; an error ends it.
    pub fn into_items(self) -> impl Stream<Item = Result<T, GraphError>> + Send {
        self.into_pages().flat_map(|page| {
            let items: Vec<Result<T, GraphError>> = match page {
                Ok(page) => page.items.into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(items)
        })
    }

    /// Reads every remaining item into memory: for small collections and tests only.
    pub async fn collect_all(mut self) -> Result<Vec<T>, GraphError> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page().await {
            items.extend(page?.items);
        }
        Ok(items)
    }
}

/// Fetches one page with retries, announcing its nextLink on `link_tx` as soon as the head of the body
/// shows it (or, failing that, once the whole body is read). A body cut off mid-way is fetched again
/// from the start: the page is only returned complete.
async fn fetch_page(
    client: GraphClient,
    request: GraphRequest,
    link_tx: oneshot::Sender<Option<String>>,
) -> Result<RawPage, GraphError> {
    // The first nextLink announced wins: the next page may already be on its way.
    let sender = Arc::new(Mutex::new(Some(link_tx)));
    let announced: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
    let announce = {
        let sender = Arc::clone(&sender);
        let announced = Arc::clone(&announced);
        move |link: Option<String>| {
            if let Some(tx) = sender.lock().ok().and_then(|mut s| s.take()) {
                if let Ok(mut a) = announced.lock() {
                    a.clone_from(&link);
                }
                let _ = tx.send(link);
            }
        }
    };
    let announce_early = announce.clone();
    let limits = client.limits();
    let page = client
        .execute(&request, move |response, context| {
            let announce = announce_early.clone();
            async move {
                limits.check_announced(&response, &context)?;
                let mut buf = limits.buffer(&response);
                let mut head: Option<Head> = None;
                let mut body = response.bytes_stream();
                while let Some(chunk) = body.next().await {
                    let chunk = chunk.map_err(|e| limits.network(e, &context))?;
                    limits.check_total(buf.len() + chunk.len(), &context)?;
                    buf.extend_from_slice(&chunk);
                    if head.is_none() {
                        let scanned = scan_head(&buf);
                        if let Head::Known {
                            next_link: Some(link),
                            ..
                        } = &scanned
                        {
                            announce(Some(link.clone()));
                        }
                        if scanned != Head::Incomplete {
                            head = Some(scanned);
                        }
                    }
                }
                let (next_link, count) = match head {
                    Some(Head::Known {
                        next_link: Some(link),
                        count,
                        ..
                    }) => (Some(link), count),
                    _ => {
                        let envelope: Annotations =
                            serde_json::from_slice(&buf).map_err(|e| decode_error(&e, &context))?;
                        (envelope.next_link, envelope.count)
                    }
                };
                Ok(RawPage {
                    body: buf.into(),
                    next_link,
                    count,
                })
            }
        })
        .await;
    match page {
        Ok(mut page) => {
            announce(page.next_link.clone());
            // If a nextLink went out early, it is the one being fetched: report that one.
            if let Some(link) = announced.lock().ok().and_then(|a| a.clone()) {
                page.next_link = Some(link);
            }
            Ok(page)
        }
        Err(error) => Err(error),
    }
}

/// The annotations of a collection body whose head did not show a nextLink (the whole body is
/// checked to be JSON of the right shape on the way).
#[derive(Deserialize)]
struct Annotations {
    #[serde(rename = "@odata.nextLink", default)]
    next_link: Option<String>,
    #[serde(rename = "@odata.count", default)]
    count: Option<u64>,
    #[serde(default, rename = "value")]
    _value: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Items<T> {
    #[serde(default = "Vec::new")]
    value: Vec<T>,
}

/// The items of a whole collection body.
fn parse_items<T: DeserializeOwned>(
    body: &[u8],
    context: &RequestContext,
) -> Result<Vec<T>, GraphError> {
    let items: Items<T> = serde_json::from_slice(body).map_err(|e| decode_error(&e, context))?;
    Ok(items.value)
}

/// Parses a whole collection body.
#[cfg(test)]
fn parse_page<T: DeserializeOwned>(
    body: &[u8],
    context: &RequestContext,
) -> Result<Page<T>, GraphError> {
    let envelope: Envelope<T> =
        serde_json::from_slice(body).map_err(|e| decode_error(&e, context))?;
    Ok(Page {
        items: envelope.value,
        next_link: envelope.next_link,
        count: envelope.count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_parse_typed_items_and_annotations() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct User {
            id: String,
        }
        let body = br#"{"@odata.count":2,"@odata.nextLink":"http://h/v1.0/users?$skiptoken=a","value":[{"id":"1","x":1},{"id":"2"}]}"#;
        let page = parse_page::<User>(body, &RequestContext::default()).unwrap();
        assert_eq!(
            page.items,
            [User { id: "1".into() }, User { id: "2".into() }]
        );
        assert_eq!(page.count, Some(2));
        assert_eq!(
            page.next_link.as_deref(),
            Some("http://h/v1.0/users?$skiptoken=a")
        );
        let err = parse_page::<User>(br#"{"value":[{"nope":1}]}"#, &RequestContext::default())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
    }

    #[test]
    fn continuations_round_trip_through_json() {
        let c = Continuation {
            next_link: "http://h/v1.0/users?$skiptoken=a".into(),
            advanced: true,
            scopes: vec!["User.Read.All".into()],
            count: Some(5),
        };
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Continuation>(&json).unwrap(), c);
        let minimal: Continuation =
            serde_json::from_str(r#"{"next_link":"x","advanced":false}"#).unwrap();
        assert_eq!(minimal.count, None);
    }
}
