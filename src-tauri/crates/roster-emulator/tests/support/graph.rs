//! The Graph tests' environment: an in-process emulator with a small tenant on a manual throttling
//! clock, tokens for the known accounts, and a thin HTTP helper over reqwest that reads replies whole.

use std::sync::Arc;

use roster_emulator::throttle::{Clock, ManualClock};
use roster_emulator::{Emulator, EmulatorConfig};
use roster_test_support::tenant;
use serde_json::Value;

/// A running emulator plus a client.
pub struct Env {
    pub emu: Emulator,
    pub http: reqwest::Client,
    pub clock: Arc<ManualClock>,
}

/// A small tenant (300 users, 40 groups), throttling off.
pub async fn env() -> Env {
    env_with(tenant::small_tenant(300, 40)).await
}

/// An emulator with `config` and a manual throttling clock.
pub async fn env_with(config: EmulatorConfig) -> Env {
    let clock = Arc::new(ManualClock::default());
    let emu = roster_emulator::start_with_clock(config, clock.clone() as Arc<dyn Clock>)
        .await
        .expect("emulator starts");
    Env {
        emu,
        http: reqwest::Client::new(),
        clock,
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
    pub fn error_message(&self) -> String {
        self.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

impl Env {
    pub fn upn(&self, name: &str) -> String {
        tenant::upn(&self.emu, name)
    }

    /// A token for admin@ with every scope the tests need ([`tenant::ADMIN`]).
    pub fn admin(&self) -> String {
        tenant::token(&self.emu, "admin", tenant::ADMIN)
    }

    pub fn token(&self, name: &str, scopes: &[&str]) -> String {
        tenant::token(&self.emu, name, scopes)
    }

    /// `path` relative to the service root (`/v1.0/users`) or a full URL (nextLink).
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.emu.base_url())
        }
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        eventual: bool,
        body: Option<Value>,
    ) -> Reply {
        let mut req = self.http.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if eventual {
            req = req.header("ConsistencyLevel", "eventual");
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body read");
        Reply {
            status,
            headers,
            text,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send(reqwest::Method::GET, path, Some(token), false, None)
            .await
    }

    pub async fn get_aq(&self, path: &str, token: &str) -> Reply {
        self.send(reqwest::Method::GET, path, Some(token), true, None)
            .await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.send(reqwest::Method::POST, path, Some(token), false, Some(body))
            .await
    }

    /// Follows nextLinks from `path`, returning every page's body.
    pub async fn all_pages(&self, path: &str, token: &str, eventual: bool) -> Vec<Value> {
        let mut pages = Vec::new();
        let mut next = Some(path.to_owned());
        while let Some(url) = next {
            let reply = self
                .send(reqwest::Method::GET, &url, Some(token), eventual, None)
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            let body = reply.json();
            next = body["@odata.nextLink"].as_str().map(str::to_owned);
            pages.push(body);
            assert!(pages.len() < 10_000, "paging does not end");
        }
        pages
    }

    /// The id of the special group named `name`.
    pub fn group_id(&self, name: &str) -> String {
        tenant::group_id(&self.emu, name)
    }

    /// The id of user number `index`.
    pub fn user_id(&self, index: usize) -> String {
        tenant::user_id(&self.emu, index)
    }
}
