//! Which Microsoft identity platform and Graph deployment an account lives in: the national clouds of
//! graph-api.md §11.6, or a custom authority such as the local emulator.

use serde::{Deserialize, Serialize};

/// A Microsoft cloud: where to sign in and which Graph root the tokens are for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Cloud {
    /// The global service (also Microsoft 365 GCC moderate).
    Global,
    /// US Government L4 (GCC High).
    UsGov,
    /// US Government L5 (DoD).
    UsGovDod,
    /// China, operated by 21Vianet.
    China,
    /// Any other authority host and Graph root, e.g. the emulator at `http://127.0.0.1:PORT`.
    Custom {
        /// The authority host, scheme and host without a tenant (`http://127.0.0.1:8080`).
        authority_host: String,
        /// The Graph service root without a version (`http://127.0.0.1:8080`).
        graph_root: String,
    },
}

impl Cloud {
    /// The authority host, e.g. `https://login.microsoftonline.com` (no trailing slash).
    pub fn authority_host(&self) -> &str {
        match self {
            Self::Global => "https://login.microsoftonline.com",
            Self::UsGov | Self::UsGovDod => "https://login.microsoftonline.us",
            Self::China => "https://login.partner.microsoftonline.cn",
            Self::Custom { authority_host, .. } => authority_host.trim_end_matches('/'),
        }
    }

    /// The Graph service root, e.g. `https://graph.microsoft.com` (no version, no trailing slash).
    pub fn graph_root(&self) -> &str {
        match self {
            Self::Global => "https://graph.microsoft.com",
            Self::UsGov => "https://graph.microsoft.us",
            Self::UsGovDod => "https://dod-graph.microsoft.us",
            Self::China => "https://microsoftgraph.chinacloudapi.cn",
            Self::Custom { graph_root, .. } => graph_root.trim_end_matches('/'),
        }
    }

    /// The emulator (or any single host serving both the identity platform and Graph) at `root`.
    pub fn custom(root: &str) -> Self {
        let root = root.trim_end_matches('/').to_owned();
        Self::Custom {
            authority_host: root.clone(),
            graph_root: root,
        }
    }

    /// Parses a cloud name as a user types it: `global`, `usgov`, `usgovdod` (or `dod`), `china`;
    /// anything starting with `http://` or `https://` is a custom root.
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "global" | "public" | "azurecloud" => Some(Self::Global),
            "usgov" | "gcchigh" | "azureusgovernment" => Some(Self::UsGov),
            "usgovdod" | "dod" => Some(Self::UsGovDod),
            "china" | "azurechinacloud" => Some(Self::China),
            lower if lower.starts_with("http://") || lower.starts_with("https://") => {
                Some(Self::custom(name))
            }
            _ => None,
        }
    }

    /// Refuses a custom authority or Graph root that would carry tokens in the clear: plain `http` is
    /// allowed only for the loopback (`localhost`, `127.0.0.0/8`, `[::1]`: the emulator on this
    /// machine); anything else must be `https`.
    pub fn check_transport(&self) -> Result<(), String> {
        let Self::Custom {
            authority_host,
            graph_root,
        } = self
        else {
            return Ok(());
        };
        for (what, root) in [("authority", authority_host), ("Graph root", graph_root)] {
            let url = url::Url::parse(root)
                .map_err(|e| format!("The {what} '{root}' is not a valid URL ({e})."))?;
            let secure = match url.scheme() {
                "https" => true,
                "http" => is_loopback(&url),
                _ => false,
            };
            if !secure {
                return Err(format!(
                    "The {what} '{root}' is not an https address. Tokens travel only over https, or over plain \
                     http to this machine (localhost, 127.0.0.1, [::1]) for the emulator; use https://…"
                ));
            }
        }
        Ok(())
    }

    /// The `.default` scope of Graph in this cloud, for app-only tokens. A custom root (the emulator)
    /// still issues tokens for the global Graph resource, as it stands in for it.
    pub fn graph_default_scope(&self) -> String {
        match self {
            Self::Custom { .. } => "https://graph.microsoft.com/.default".to_owned(),
            _ => format!("{}/.default", self.graph_root()),
        }
    }
}

/// Whether `url` points at this machine.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_clouds_match_the_reference_table() {
        assert_eq!(
            Cloud::Global.authority_host(),
            "https://login.microsoftonline.com"
        );
        assert_eq!(Cloud::Global.graph_root(), "https://graph.microsoft.com");
        assert_eq!(
            Cloud::UsGov.authority_host(),
            "https://login.microsoftonline.us"
        );
        assert_eq!(Cloud::UsGov.graph_root(), "https://graph.microsoft.us");
        assert_eq!(
            Cloud::UsGovDod.graph_root(),
            "https://dod-graph.microsoft.us"
        );
        assert_eq!(
            Cloud::China.authority_host(),
            "https://login.partner.microsoftonline.cn"
        );
        assert_eq!(
            Cloud::China.graph_root(),
            "https://microsoftgraph.chinacloudapi.cn"
        );
    }

    #[test]
    fn plain_http_only_to_this_machine() {
        assert!(Cloud::Global.check_transport().is_ok());
        for good in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://LOCALHOST:1",
            "http://[::1]:8080",
            "https://graph.example.com",
        ] {
            assert!(Cloud::custom(good).check_transport().is_ok(), "{good}");
        }
        for bad in [
            "http://graph.example.com",
            "http://10.0.0.1",
            "http://localhost.evil.example",
            "ftp://127.0.0.1",
            "not a url",
        ] {
            assert!(Cloud::custom(bad).check_transport().is_err(), "{bad}");
        }
    }

    #[test]
    fn names_and_custom_roots_parse() {
        assert_eq!(Cloud::parse("USGov"), Some(Cloud::UsGov));
        assert_eq!(Cloud::parse("dod"), Some(Cloud::UsGovDod));
        let emulator = Cloud::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(emulator.authority_host(), "http://127.0.0.1:8080");
        assert_eq!(emulator.graph_root(), "http://127.0.0.1:8080");
        assert_eq!(
            emulator.graph_default_scope(),
            "https://graph.microsoft.com/.default"
        );
        assert_eq!(
            Cloud::UsGov.graph_default_scope(),
            "https://graph.microsoft.us/.default"
        );
        assert_eq!(Cloud::parse("mars"), None);
    }
}
