//! Which Microsoft Graph deployment the client talks to: one of the national clouds, or a custom service
//! root such as the local emulator.

use url::Url;

/// The Graph API version every request goes to.
pub const API_VERSION: &str = "v1.0";

/// A Microsoft Graph deployment. Tokens are not interchangeable between clouds: the token source must
/// sign in against the matching authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cloud {
    /// The global service, `https://graph.microsoft.com` (also Microsoft 365 GCC moderate).
    Global,
    /// US Government L4 (GCC High), `https://graph.microsoft.us`.
    UsGov,
    /// US Government L5 (DoD), `https://dod-graph.microsoft.us`.
    UsGovDod,
    /// China, operated by 21Vianet, `https://microsoftgraph.chinacloudapi.cn`.
    China,
    /// Any other service root without a version segment, e.g. the emulator at `http://127.0.0.1:PORT`.
    Custom(String),
}

impl Cloud {
    /// The service root (scheme and host, no version), e.g. `https://graph.microsoft.com`.
    pub fn service_root(&self) -> &str {
        match self {
            Self::Global => "https://graph.microsoft.com",
            Self::UsGov => "https://graph.microsoft.us",
            Self::UsGovDod => "https://dod-graph.microsoft.us",
            Self::China => "https://microsoftgraph.chinacloudapi.cn",
            Self::Custom(root) => root.as_str(),
        }
    }

    /// The versioned root every relative request path is appended to, e.g.
    /// `https://graph.microsoft.com/v1.0`. Fails when a custom root is not an absolute https URL
    /// (plain http only to this machine: localhost, 127.0.0.0/8, `[::1]`).
    pub fn version_root(&self) -> Result<Url, String> {
        let root = self.service_root().trim_end_matches('/');
        let url = Url::parse(&format!("{root}/{API_VERSION}"))
            .map_err(|e| format!("'{root}' is not a valid Graph service root URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(format!(
                "'{root}' is not an http(s) URL; give a service root like https://graph.microsoft.com"
            ));
        }
        let loopback = match url.host() {
            Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        if url.scheme() == "http" && !loopback {
            return Err(format!(
                "'{root}' is plain http: a bearer token would cross the network unencrypted. Use https; plain \
                 http is only for a service on this machine (localhost, 127.0.0.1, [::1]) such as the emulator"
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "'{root}' must not carry a query or fragment; give only the service root"
            ));
        }
        Ok(url)
    }
}

impl From<&str> for Cloud {
    /// Maps the four well-known roots (with or without a trailing slash) to their cloud, anything else
    /// to [`Cloud::Custom`].
    fn from(root: &str) -> Self {
        let trimmed = root.trim_end_matches('/');
        [Self::Global, Self::UsGov, Self::UsGovDod, Self::China]
            .into_iter()
            .find(|cloud| cloud.service_root() == trimmed)
            .unwrap_or_else(|| Self::Custom(trimmed.to_owned()))
    }
}

impl From<String> for Cloud {
    /// Same as `From<&str>`.
    fn from(root: String) -> Self {
        Self::from(root.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_clouds_have_their_documented_roots() {
        assert_eq!(
            Cloud::Global.version_root().unwrap().as_str(),
            "https://graph.microsoft.com/v1.0"
        );
        assert_eq!(
            Cloud::UsGov.version_root().unwrap().as_str(),
            "https://graph.microsoft.us/v1.0"
        );
        assert_eq!(
            Cloud::UsGovDod.version_root().unwrap().as_str(),
            "https://dod-graph.microsoft.us/v1.0"
        );
        assert_eq!(
            Cloud::China.version_root().unwrap().as_str(),
            "https://microsoftgraph.chinacloudapi.cn/v1.0"
        );
    }

    #[test]
    fn custom_roots_get_the_version_appended() {
        let cloud = Cloud::from("http://127.0.0.1:8123/");
        assert_eq!(cloud, Cloud::Custom("http://127.0.0.1:8123".into()));
        assert_eq!(
            cloud.version_root().unwrap().as_str(),
            "http://127.0.0.1:8123/v1.0"
        );
        assert_eq!(Cloud::from("https://graph.microsoft.us/"), Cloud::UsGov);
    }

    #[test]
    fn plain_http_is_refused_except_to_this_machine() {
        for local in [
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "http://[::1]:8080",
        ] {
            assert!(Cloud::from(local).version_root().is_ok(), "{local}");
        }
        for remote in ["http://graph.example.com", "http://10.1.2.3:8080"] {
            let error = Cloud::from(remote).version_root().unwrap_err();
            assert!(error.contains("https"), "{remote}: {error}");
        }
    }

    #[test]
    fn bad_custom_roots_are_refused_with_a_reason() {
        assert!(
            Cloud::from("not a url")
                .version_root()
                .unwrap_err()
                .contains("not a valid")
        );
        assert!(
            Cloud::from("ftp://example.com")
                .version_root()
                .unwrap_err()
                .contains("http(s)")
        );
        assert!(
            Cloud::from("https://h?x=1")
                .version_root()
                .unwrap_err()
                .contains("query")
        );
    }
}
