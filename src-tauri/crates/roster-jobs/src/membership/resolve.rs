//! Resolving input rows to directory objects: object ids through `directoryObjects/getByIds`
//! (1,000 per call), UPNs and mail addresses through `userPrincipalName in (...)` on `/users`,
//! then `mail in (...)` on `/users` and on `/contacts` (organisational contacts), 15 values per
//! filter, 20 filters per `$batch` call. A guest user and a contact for the same person often
//! share a mail address: such a value is [`Lookup::Ambiguous`]. Every request selects what a row
//! shows, users' `userType` included, so a guest is known as one ([`ResolvedObject::is_guest`]).

use super::MembershipError;
use roster_core::job::odata_string;
use roster_graph::{BatchRequest, ErrorKind, GraphClient, GraphError, ListQuery, Resource};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

/// Values per `in (...)` filter (Graph allows 15).
pub const IN_FILTER_VALUES: usize = 15;

/// A directory object a row resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedObject {
    /// Object id (lower case).
    pub id: String,
    /// `@odata.type` without the `#microsoft.graph.` prefix: `user`, `group`, `device`, ...
    pub object_type: String,
    /// Display name.
    pub display_name: Option<String>,
    /// User principal name (users only).
    pub user_principal_name: Option<String>,
    /// For groups: whether it is a Microsoft 365 group (which cannot be nested).
    #[serde(default)]
    pub is_m365_group: bool,
    /// For users: Graph's `userType` (`Member` or `Guest`; absent for some old accounts, and in
    /// previews stored before it was read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<String>,
}

impl ResolvedObject {
    /// Reads an object from Graph JSON; `default_type` applies when `@odata.type` is absent
    /// (e.g. items of `/users`).
    pub fn from_json(value: &Value, default_type: &str) -> Option<Self> {
        let id = value["id"].as_str()?.to_ascii_lowercase();
        let object_type = value["@odata.type"]
            .as_str()
            .map(|t| t.trim_start_matches("#microsoft.graph.").to_owned())
            .unwrap_or_else(|| default_type.to_owned());
        let text = |k: &str| value[k].as_str().map(str::to_owned);
        let is_m365_group = value["groupTypes"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x.as_str() == Some("Unified")));
        Some(Self {
            id,
            object_type,
            display_name: text("displayName"),
            user_principal_name: text("userPrincipalName"),
            is_m365_group,
            user_type: text("userType"),
        })
    }

    /// Whether it is a guest user (`userType` `Guest`, compared as Graph does, ignoring case).
    pub fn is_guest(&self) -> bool {
        self.user_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("guest"))
    }
}

/// What `getByIds` selects: what a row shows of any type it may resolve to (`userType` of users,
/// `groupTypes` of groups; a type without a property simply lacks it). `@odata.type` comes
/// regardless.
const BY_ID_SELECT: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "userType",
    "groupTypes",
];

/// What a value resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Exactly one object.
    Found(ResolvedObject),
    /// Nothing.
    NotFound,
    /// Several objects (users and organisational contacts) share the mail address.
    Ambiguous(Vec<ResolvedObject>),
}

/// Normalises an object id: braces off, lower case.
pub fn normalise_id(value: &str) -> String {
    value
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
}

/// Resolves object ids; the answer is keyed by [`normalise_id`].
pub async fn resolve_ids(
    client: &GraphClient,
    ids: &[String],
) -> Result<HashMap<String, Lookup>, MembershipError> {
    let mut out: HashMap<String, Lookup> = ids
        .iter()
        .map(|id| (normalise_id(id), Lookup::NotFound))
        .collect();
    if ids.is_empty() {
        return Ok(out);
    }
    let wanted: Vec<String> = out.keys().cloned().collect();
    for object in client.get_by_ids_select(&wanted, &[], BY_ID_SELECT).await? {
        if let Some(found) = ResolvedObject::from_json(&object, "directoryObject") {
            out.insert(found.id.clone(), Lookup::Found(found));
        }
    }
    Ok(out)
}

/// Resolves UPNs and mail addresses: to users by `userPrincipalName` first, then to users and
/// organisational contacts by `mail` (two or more objects: [`Lookup::Ambiguous`]). The answer is
/// keyed by the lower-cased value, with whether contacts were searched: a caller who may not
/// read contacts (403 on `/contacts`) resolves mail addresses against users only (`false`).
pub async fn resolve_names(
    client: &GraphClient,
    values: &[String],
) -> Result<(HashMap<String, Lookup>, bool), MembershipError> {
    let mut keys: Vec<String> = values.iter().map(|v| v.to_lowercase()).collect();
    keys.sort();
    keys.dedup();
    let by_upn = objects_where(client, USERS, "userPrincipalName", &keys).await?;
    let mut out = HashMap::with_capacity(keys.len());
    let mut left = Vec::new();
    for key in keys {
        match by_upn.get(&key).map(Vec::as_slice) {
            Some([one, ..]) => {
                out.insert(key, Lookup::Found(one.clone()));
            }
            _ => left.push(key),
        }
    }
    let mut by_mail = objects_where(client, USERS, "mail", &left).await?;
    let contacts_read = match objects_where(client, CONTACTS, "mail", &left).await {
        Ok(contacts) => {
            for (key, objects) in contacts {
                by_mail.entry(key).or_default().extend(objects);
            }
            true
        }
        Err(MembershipError::Graph(e)) if e.kind() == ErrorKind::Permission => false,
        Err(e) => return Err(e),
    };
    for key in left {
        let lookup = match by_mail.get(&key).map(Vec::as_slice) {
            None | Some([]) => Lookup::NotFound,
            Some([one]) => Lookup::Found(one.clone()),
            Some(many) => Lookup::Ambiguous(many.to_vec()),
        };
        out.insert(key, lookup);
    }
    Ok((out, contacts_read))
}

/// A collection searched by [`objects_where`]: its path, the resource kind for query rules,
/// the properties to select and the `@odata.type` its items have.
struct Collection {
    path: &'static str,
    resource: Resource,
    select: &'static [&'static str],
    object_type: &'static str,
}

const USERS: &Collection = &Collection {
    path: "/users",
    resource: Resource::Users,
    select: &["id", "displayName", "userPrincipalName", "mail", "userType"],
    object_type: "user",
};

const CONTACTS: &Collection = &Collection {
    path: "/contacts",
    resource: Resource::Other,
    select: &["id", "displayName", "mail", "mailNickname"],
    object_type: "orgContact",
};

/// Objects of `collection` whose `property` equals one of `keys` (case-insensitively), grouped
/// by that value.
async fn objects_where(
    client: &GraphClient,
    collection: &Collection,
    property: &str,
    keys: &[String],
) -> Result<HashMap<String, Vec<ResolvedObject>>, MembershipError> {
    let mut found: HashMap<String, Vec<ResolvedObject>> = HashMap::new();
    if keys.is_empty() {
        return Ok(found);
    }
    let requests: Vec<BatchRequest> = keys
        .chunks(IN_FILTER_VALUES)
        .enumerate()
        .map(|(i, chunk)| {
            let list: Vec<String> = chunk.iter().map(|k| odata_string(k)).collect();
            let query = ListQuery::new()
                .select(collection.select.iter().copied())
                .filter(format!("{property} in ({})", list.join(",")))
                .top(999);
            BatchRequest::list(i.to_string(), collection.path, &query, collection.resource)
        })
        .collect();
    let responses = client.batch(requests.clone()).await?;
    for (request, response) in requests.iter().zip(responses) {
        if let Some(error) = response.error(request) {
            return Err(error.into());
        }
        let items = response
            .body
            .as_ref()
            .and_then(|b| b["value"].as_array())
            .cloned()
            .unwrap_or_default();
        for item in items {
            let Some(key) = item[property].as_str().map(str::to_lowercase) else {
                continue;
            };
            if let Some(object) = ResolvedObject::from_json(&item, collection.object_type) {
                let entry = found.entry(key).or_default();
                if !entry.iter().any(|o| o.id == object.id) {
                    entry.push(object);
                }
            }
        }
    }
    Ok(found)
}

impl From<GraphError> for MembershipError {
    fn from(e: GraphError) -> Self {
        MembershipError::Graph(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_read_type_and_names() {
        let o = ResolvedObject::from_json(
            &json!({"@odata.type": "#microsoft.graph.group", "id": "ABC", "displayName": "T", "groupTypes": ["Unified"]}),
            "x",
        )
        .unwrap();
        assert_eq!(o.id, "abc");
        assert_eq!(o.object_type, "group");
        assert!(o.is_m365_group);
        let u =
            ResolvedObject::from_json(&json!({"id": "u", "userPrincipalName": "a@b.com"}), "user")
                .unwrap();
        assert_eq!(u.object_type, "user");
        assert_eq!(u.user_principal_name.as_deref(), Some("a@b.com"));
        assert!(!u.is_guest(), "no userType: not known as a guest");
        let guest =
            ResolvedObject::from_json(&json!({"id": "g", "userType": "Guest"}), "user").unwrap();
        assert!(guest.is_guest());
        assert!(ResolvedObject::from_json(&json!({}), "user").is_none());
        assert_eq!(normalise_id("{ABCD}"), "abcd");
    }

    #[test]
    fn objects_stored_before_user_type_was_read_still_load() {
        let stored = json!({"id": "u", "objectType": "user", "displayName": "Ann", "userPrincipalName": "ann@contoso.com"});
        let object: ResolvedObject = serde_json::from_value(stored).unwrap();
        assert_eq!(object.user_type, None);
        assert!(!object.is_guest());
    }
}
