//! JSON batching (graph-api.md §7): at most 20 requests with unique ids, `dependsOn` (a failed dependency
//! gives 424), a status, headers and body per request, `ConsistencyLevel` inside each request's headers,
//! item-level 429s with their own `Retry-After`, and an outer 200 whenever the batch itself parsed.

use std::collections::HashMap;

use bytes::Bytes;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value, json};

use super::auth::Caller;
use super::error::GraphError;
use super::{Ctx, GraphRequest, GraphResponse, JSON};

/// Most requests one batch may carry.
pub const BATCH_LIMIT: usize = 20;

struct Item {
    id: String,
    method: String,
    url: String,
    headers: Map<String, Value>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

fn parse(req: &GraphRequest) -> Result<Vec<Item>, GraphError> {
    let invalid =
        |why: &str| GraphError::new(400, "BadRequest", format!("Invalid batch payload: {why}"));
    let body: Value =
        serde_json::from_slice(&req.body).map_err(|_| invalid("the body is not JSON."))?;
    let requests = body
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("'requests' must be an array."))?;
    if requests.len() > BATCH_LIMIT {
        return Err(GraphError::new(
            400,
            "BadRequest",
            format!(
                "The batch contains {} requests; at most {BATCH_LIMIT} are allowed.",
                requests.len()
            ),
        ));
    }
    let mut items = Vec::with_capacity(requests.len());
    for r in requests {
        let text = |key: &str| r.get(key).and_then(Value::as_str).map(str::to_owned);
        let id = text("id").ok_or_else(|| invalid("every request needs an 'id'."))?;
        if items.iter().any(|i: &Item| i.id.eq_ignore_ascii_case(&id)) {
            return Err(GraphError::new(
                400,
                "BadRequest",
                format!("Batch request ids must be unique: '{id}' repeats."),
            ));
        }
        let method = text("method")
            .ok_or_else(|| invalid("every request needs a 'method'."))?
            .to_ascii_uppercase();
        let url = text("url").ok_or_else(|| invalid("every request needs a 'url'."))?;
        let headers = r
            .get("headers")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let depends_on = match r.get("dependsOn") {
            None => Vec::new(),
            Some(d) => d
                .as_array()
                .ok_or_else(|| invalid("'dependsOn' must be an array of ids."))?
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| invalid("'dependsOn' must be an array of ids."))
                })
                .collect::<Result<_, _>>()?,
        };
        items.push(Item {
            id,
            method,
            url,
            headers,
            body: r.get("body").cloned(),
            depends_on,
        });
    }
    for item in &items {
        for dep in &item.depends_on {
            if !items.iter().any(|i| i.id.eq_ignore_ascii_case(dep)) {
                return Err(invalid(&format!(
                    "request '{}' depends on unknown id '{dep}'.",
                    item.id
                )));
            }
        }
    }
    Ok(items)
}

fn header<'m>(headers: &'m Map<String, Value>, name: &str) -> Option<&'m str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
}

/// Serves `POST /$batch`.
pub fn handle(ctx: &Ctx<'_>, req: &GraphRequest) -> GraphResponse {
    {
        let tenant = ctx.tenant.read();
        if let Err(e) = Caller::authenticate(
            &tenant,
            ctx.signer,
            req.authorization.as_deref(),
            ctx.now_unix,
        ) {
            return GraphResponse::error(&e, ctx);
        }
    }
    let items = match parse(req) {
        Ok(items) => items,
        Err(e) => return GraphResponse::error(&e, ctx),
    };
    let mut results: HashMap<String, u16> = HashMap::new();
    let mut responses: Vec<Option<Vec<u8>>> = vec![None; items.len()];
    let mut served = 0;
    let mut done = 0;
    while done < items.len() {
        let ready = items.iter().enumerate().find(|(i, item)| {
            responses[*i].is_none()
                && item
                    .depends_on
                    .iter()
                    .all(|d| results.contains_key(&d.to_ascii_lowercase()))
        });
        let Some((i, item)) = ready else {
            let e = GraphError::new(
                400,
                "BadRequest",
                "Invalid batch payload: 'dependsOn' forms a cycle.",
            );
            return GraphResponse::error(&e, ctx);
        };
        let failed_dependency = item.depends_on.iter().any(|d| {
            results
                .get(&d.to_ascii_lowercase())
                .is_some_and(|s| *s >= 400)
        });
        let (status, value, items_served) = if failed_dependency {
            let body = json!({"error": {"code": "FailedDependency", "message": "The request was not run because a request it depends on failed."}});
            (
                424,
                serde_json::to_vec(&json!({"id": item.id, "status": 424, "headers": {"Content-Type": "application/json"}, "body": body}))
                    .unwrap_or_default(),
                0,
            )
        } else {
            run_item(ctx, req, item)
        };
        served += items_served;
        results.insert(item.id.to_ascii_lowercase(), status);
        responses[i] = Some(value);
        done += 1;
    }
    // The bytes `json!({"responses": [...]})` would serialise to, item by item.
    let mut body = b"{\"responses\":[".to_vec();
    for (i, response) in responses.into_iter().flatten().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(&response);
    }
    body.extend_from_slice(b"]}");
    GraphResponse::json(200, body).with_items(served)
}

/// Appends an item's JSON body as the batch answer carries it: the bytes
/// `serde_json::to_vec(&serde_json::from_slice::<Value>(body).unwrap_or(Value::Null))` give, but
/// copied as they are when they already are that canonical form (compact, no duplicate keys, no
/// floats, no `\u` or `\/` escapes), which the emulator's own listings are: a page of 999
/// members is then not parsed into a tree and written again.
fn append_json_body(out: &mut Vec<u8>, body: &[u8]) {
    if is_canonical(body) {
        out.extend_from_slice(body);
    } else {
        let value = serde_json::from_slice(body).unwrap_or(Value::Null);
        out.extend_from_slice(&serde_json::to_vec(&value).unwrap_or_default());
    }
}

/// Whether serde_json would write `body` back byte for byte after parsing it into a [`Value`].
fn is_canonical(body: &[u8]) -> bool {
    // Outside strings: no whitespace. Inside: only the escapes serde_json itself writes for
    // these characters (`\u` is left to the slow path: serde_json writes `\b`, `\f` and raw UTF-8).
    // `-0` would come back as `0`.
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in body.iter().enumerate() {
        if in_string {
            if escaped {
                if matches!(b, b'u' | b'/') {
                    return false;
                }
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b.is_ascii_whitespace() || (b == b'-' && body.get(i + 1) == Some(&b'0')) {
            return false;
        }
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    de.deserialize_any(Canonical).is_ok() && de.end().is_ok()
}

/// Walks a JSON value and fails on what a `Value` round trip would change: duplicate keys
/// (a map keeps one) and floats (printed shortest).
struct Canonical;

impl<'de> de::DeserializeSeed<'de> for Canonical {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Canonical {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("canonical JSON")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom("a float"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Canonical)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys: Vec<Key<'de>> = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if keys.contains(&key) {
                return Err(de::Error::custom("a duplicate key"));
            }
            keys.push(key);
            map.next_value_seed(Canonical)?;
        }
        Ok(())
    }
}

/// An object key, borrowed from the body (the canonical form has no escapes that need copying,
/// except `\"`, `\\` and the like, which are copied).
#[derive(PartialEq)]
struct Key<'a>(std::borrow::Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a key")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

fn run_item(ctx: &Ctx<'_>, outer: &GraphRequest, item: &Item) -> (u16, Vec<u8>, usize) {
    let url = item.url.trim_start_matches('/');
    let url = url
        .strip_prefix("v1.0/")
        .or_else(|| url.split_once("/v1.0/").map(|(_, rest)| rest))
        .unwrap_or(url);
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let request_id = uuid::Uuid::new_v4().to_string();
    let item_ctx = Ctx {
        base_url: ctx.base_url,
        tenant: ctx.tenant,
        signer: ctx.signer,
        throttle: ctx.throttle,
        stats: ctx.stats,
        now_unix: ctx.now_unix,
        request_id: request_id.clone(),
        client_request_id: ctx.client_request_id.clone(),
    };
    let response = if path.trim_matches('/').eq_ignore_ascii_case("$batch") {
        GraphResponse::error(
            &GraphError::bad_request("A batch cannot contain another batch."),
            &item_ctx,
        )
    } else if item.body.is_some() && header(&item.headers, "Content-Type").is_none() {
        GraphResponse::error(
            &GraphError::bad_request(
                "Content-Type header is required when a request in a batch has a body.",
            ),
            &item_ctx,
        )
    } else {
        let body = match &item.body {
            Some(Value::String(s)) => Bytes::from(s.clone()),
            Some(v) => Bytes::from(serde_json::to_vec(v).unwrap_or_default()),
            None => Bytes::new(),
        };
        let eventual = header(&item.headers, "ConsistencyLevel")
            .is_some_and(|v| v.eq_ignore_ascii_case("eventual"));
        let request = GraphRequest {
            method: item.method.clone(),
            path: path.to_owned(),
            query: query.to_owned(),
            authorization: outer.authorization.clone(),
            eventual,
            body,
        };
        super::handle(&item_ctx, &request)
    };
    let mut headers = Map::new();
    if let Some(ct) = response.content_type {
        headers.insert(
            "Content-Type".into(),
            Value::String(if ct == JSON {
                "application/json".into()
            } else {
                ct.into()
            }),
        );
    }
    headers.insert("Cache-Control".into(), "no-cache".into());
    headers.insert("OData-Version".into(), "4.0".into());
    headers.insert("request-id".into(), request_id.into());
    for (name, value) in &response.headers {
        headers.insert((*name).to_owned(), Value::String(value.clone()));
    }
    // The bytes of `{"id": .., "status": .., "headers": .., "body": ..}` as `json!` writes it.
    let mut value = b"{\"id\":".to_vec();
    value.extend_from_slice(&serde_json::to_vec(&item.id).unwrap_or_default());
    value.extend_from_slice(format!(",\"status\":{},\"headers\":", response.status).as_bytes());
    value.extend_from_slice(&serde_json::to_vec(&headers).unwrap_or_default());
    if !response.body.is_empty() {
        value.extend_from_slice(b",\"body\":");
        if response.content_type == Some(JSON) {
            append_json_body(&mut value, &response.body);
        } else {
            let text = Value::String(String::from_utf8_lossy(&response.body).into_owned());
            value.extend_from_slice(&serde_json::to_vec(&text).unwrap_or_default());
        }
    }
    value.push(b'}');
    (response.status, value, response.items)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the batch answer carried before bodies were copied: a `Value` round trip.
    fn round_trip(body: &[u8]) -> Vec<u8> {
        serde_json::to_vec(&serde_json::from_slice::<Value>(body).unwrap_or(Value::Null)).unwrap()
    }

    #[test]
    fn bodies_are_embedded_as_a_value_round_trip_would_write_them() {
        let mut page =
            b"{\"@odata.context\":\"https://x/$metadata#directoryObjects\",\"value\":[".to_vec();
        for i in 0..50 {
            if i > 0 {
                page.push(b',');
            }
            page.extend_from_slice(
                format!(
                    "{{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"u{i}\",\"displayName\":\"A \\\"q\\\" \\\\ \\n\\t\\r é\",\"mail\":null,\"n\":{i},\"m\":-{},\"ok\":true,\"tags\":[\"a\",[],{{}}]}}",
                    i + 1
                )
                .as_bytes(),
            );
        }
        page.extend_from_slice(
            b"],\"@odata.nextLink\":\"https://x/v1.0/groups/g/members?$skiptoken=a%2F\"}",
        );
        let cases: Vec<Vec<u8>> = vec![
            page,
            br#"{"value":[]}"#.to_vec(),
            br#"{"a":1,"a":2}"#.to_vec(),
            br#"{"a":{"b":1,"c":{"b":2,"b":3}}}"#.to_vec(),
            br#"{"a":1.50,"b":1e3,"c":-0,"d":18446744073709551616}"#.to_vec(),
            br#"{"a":"\u0008\u000c\u00e9\ud83d\ude00","b":"\/"}"#.to_vec(),
            b"{\"a\": 1,\n\"b\":[1, 2]}".to_vec(),
            br#"{"a\"b":1,"a\u0022b":2}"#.to_vec(),
            br#"{"a":"x"} trailing"#.to_vec(),
            b"not json".to_vec(),
            br#"{"error":{"code":"Request_ResourceNotFound","message":"x","innerError":{"date":"2024-01-01T00:00:00"}}}"#.to_vec(),
            b"\"\\u0001\"".to_vec(),
            b"[1,-2,0,true,false,null]".to_vec(),
        ];
        let mut fast = 0;
        for body in &cases {
            let mut got = Vec::new();
            append_json_body(&mut got, body);
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&round_trip(body)),
                "{}",
                String::from_utf8_lossy(body)
            );
            fast += usize::from(is_canonical(body));
        }
        // The listing, the empty page, the error envelope and the plain array take the copy.
        assert_eq!(fast, 4);
    }
}
