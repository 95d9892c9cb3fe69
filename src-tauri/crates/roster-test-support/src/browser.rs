//! A scripted browser for the authorization-code flow: it opens the authorize URL, clicks an account
//! when the identity platform shows its sign-in page, and follows the redirect to the app's loopback
//! listener, as a person's browser would.

use std::sync::{Arc, Mutex, MutexGuard};

/// What a [`ScriptedBrowser`] did, in order, shared with the test that reads it.
#[derive(Debug, Clone, Default)]
pub struct BrowserLog(Arc<Mutex<Visits>>);

/// The pages a [`ScriptedBrowser`] went through.
#[derive(Debug, Clone, Default)]
pub struct Visits {
    /// The URLs it was asked to open (the authorize URLs).
    pub opened: Vec<String>,
    /// Where the identity platform redirected it (after the browser's tampering, if any).
    pub redirected_to: Vec<String>,
    /// The text of the pages it landed on (the loopback listener's answers).
    pub landed_on: Vec<String>,
}

impl BrowserLog {
    /// What happened so far.
    pub fn visits(&self) -> Visits {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, Visits> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A browser that signs in as one account, or that only follows redirects (for an identity platform
/// that approves without a page, or a remembered sign-in).
#[derive(Debug, Clone)]
pub struct ScriptedBrowser {
    account: Option<String>,
    tamper: fn(String) -> String,
    log: BrowserLog,
}

impl Default for ScriptedBrowser {
    fn default() -> Self {
        Self {
            account: None,
            tamper: |location| location,
            log: BrowserLog::default(),
        }
    }
}

impl ScriptedBrowser {
    /// A browser that follows redirects and has no account to click: a page that asks for one (a
    /// sign-in or device-code page) stays open, recorded in [`Visits::landed_on`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A browser that clicks `upn` on the sign-in page.
    pub fn signing_in_as(upn: impl Into<String>) -> Self {
        Self {
            account: Some(upn.into()),
            ..Self::default()
        }
    }

    /// Passes the redirect's URL through `tamper` before following it (e.g. to forge the `state`).
    pub fn tampering(self, tamper: fn(String) -> String) -> Self {
        Self { tamper, ..self }
    }

    /// The log this browser (and its clones) writes to.
    pub fn log(&self) -> BrowserLog {
        self.log.clone()
    }

    /// Opens `url` in the background, as an app's "open the browser" returns at once: the URL is in
    /// [`Visits::opened`] when this returns, the visit goes on in a task.
    pub fn open(&self, url: &url::Url) -> tokio::task::JoinHandle<()> {
        self.log.lock().opened.push(url.to_string());
        let browser = self.clone();
        let url = url.clone();
        tokio::spawn(async move { browser.browse(url).await })
    }

    /// Opens `url`, signs in when a page asks (or leaves the page open when it has no account), and
    /// follows the redirect to its end. Panics (failing the test when awaited) when the page does not
    /// offer the account or the platform does not redirect.
    pub async fn visit(&self, url: url::Url) {
        self.log.lock().opened.push(url.to_string());
        self.browse(url).await;
    }

    /// [`Self::visit`] after the URL was recorded as opened.
    async fn browse(&self, url: url::Url) {
        let client = crate::identity::no_redirects();
        let mut response = client
            .get(url.as_str())
            .send()
            .await
            .expect("the authorize page answers");
        if response.status().as_u16() == 200 {
            let page = response.text().await.expect("the sign-in page's text");
            let Some(upn) = self.account.as_deref() else {
                // Nobody to click: the page stays open, as a person would leave it.
                self.log.lock().landed_on.push(page);
                return;
            };
            assert!(page.contains(upn), "{upn} is not on the sign-in page");
            response = client
                .post(url.as_str())
                .form(&[("login", upn)])
                .send()
                .await
                .expect("the sign-in form posts");
        }
        assert_eq!(
            response.status().as_u16(),
            302,
            "authorize did not redirect"
        );
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .expect("a redirect has a location")
            .to_owned();
        let location = (self.tamper)(location);
        self.log.lock().redirected_to.push(location.clone());
        let landing = client
            .get(location)
            .send()
            .await
            .expect("the redirect's target answers");
        let page = landing.text().await.expect("the landing page's text");
        self.log.lock().landed_on.push(page);
    }
}
