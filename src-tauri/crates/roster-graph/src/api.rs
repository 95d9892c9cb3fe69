//! The calls Roster's jobs make: list users, groups and members, read single objects, resolve ids,
//! count, and change group membership.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::client::{GraphClient, GraphRequest};
use crate::error::{ErrorKind, GraphError};
use crate::pager::{Continuation, Pager};
use crate::query::{ListQuery, Resource, encode_segment, encode_value};

/// Graph's limit of ids per `directoryObjects/getByIds` call.
pub const MAX_GET_BY_IDS: usize = 1000;
/// Graph's limit of references per `members@odata.bind` PATCH.
pub const MAX_BIND: usize = 20;

const READ_USERS: &[&str] = &["User.Read.All"];
const READ_GROUPS: &[&str] = &["GroupMember.Read.All"];
const WRITE_MEMBERS: &[&str] = &["GroupMember.ReadWrite.All"];
/// Changing a group's own properties (its membership rule): Microsoft Graph v1.0 "Update group".
const WRITE_GROUPS: &[&str] = &["Group.ReadWrite.All"];
const READ_DIRECTORY: &[&str] = &["Directory.Read.All"];
const READ_ME: &[&str] = &["User.Read"];

impl GraphClient {
    /// A pager over any collection at `path` (e.g. `/devices`) with `query`, typed as `T`.
    /// Fails early when the query cannot be sent as written (e.g. `$expand` with advanced query mode).
    pub fn list<T>(
        &self,
        path: &str,
        query: &ListQuery,
        resource: Resource,
        scopes: &[&str],
    ) -> Result<Pager<T>, GraphError>
    where
        T: DeserializeOwned + Send + 'static,
    {
        if let Some(problem) = query.problem(resource) {
            return Err(GraphError::usage(problem));
        }
        let request = GraphRequest::get(query.path_and_query(path, resource))
            .advanced(query.needs_advanced(resource))
            .scopes(scopes.iter().copied());
        Ok(Pager::new(self.clone(), request))
    }

    /// Continues a listing from a stored [`Continuation`].
    pub fn resume<T>(&self, continuation: &Continuation) -> Pager<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let request = GraphRequest::get(continuation.next_link.clone())
            .advanced(continuation.advanced)
            .scopes(continuation.scopes.iter().cloned());
        Pager::new(self.clone(), request)
    }

    /// `GET /users` with `query`.
    pub fn list_users(&self, query: &ListQuery) -> Result<Pager<Value>, GraphError> {
        self.list("/users", query, Resource::Users, READ_USERS)
    }

    /// `GET /groups` with `query`.
    pub fn list_groups(&self, query: &ListQuery) -> Result<Pager<Value>, GraphError> {
        self.list("/groups", query, Resource::Groups, READ_GROUPS)
    }

    /// `GET /groups/{id}/members` (or `transitiveMembers`) with `query`; items carry `@odata.type`.
    pub fn list_members(
        &self,
        group_id: &str,
        query: &ListQuery,
        transitive: bool,
    ) -> Result<Pager<Value>, GraphError> {
        let relation = if transitive {
            "transitiveMembers"
        } else {
            "members"
        };
        self.list(
            &format!("/groups/{}/{relation}", encode_segment(group_id)),
            query,
            Resource::Members,
            READ_GROUPS,
        )
    }

    /// `GET /me/ownedObjects/microsoft.graph.group`: the groups the signed-in user owns.
    pub fn owned_groups(&self, query: &ListQuery) -> Result<Pager<Value>, GraphError> {
        let query = ListQuery {
            cast: Some("microsoft.graph.group".into()),
            ..query.clone()
        };
        self.list("/me/ownedObjects", &query, Resource::Members, READ_ME)
    }

    /// `GET /users/{id | userPrincipalName}` with `$select` (empty = Graph's default properties).
    pub async fn get_user(&self, id_or_upn: &str, select: &[&str]) -> Result<Value, GraphError> {
        let url = with_select(&format!("/users/{}", encode_segment(id_or_upn)), select);
        self.send(GraphRequest::get(url).scopes(READ_USERS.iter().copied()))
            .await?
            .json()
    }

    /// `GET /groups/{id}` with `$select` (empty = Graph's default properties).
    pub async fn get_group(&self, id: &str, select: &[&str]) -> Result<Value, GraphError> {
        let url = with_select(&format!("/groups/{}", encode_segment(id)), select);
        self.send(GraphRequest::get(url).scopes(READ_GROUPS.iter().copied()))
            .await?
            .json()
    }

    /// `POST /directoryObjects/getByIds`: resolves ids to objects (each with `@odata.type`), 1000 per
    /// call; `types` narrows to e.g. `["user", "group"]`. Unknown ids are simply absent from the result.
    pub async fn get_by_ids(
        &self,
        ids: &[String],
        types: &[&str],
    ) -> Result<Vec<Value>, GraphError> {
        self.get_by_ids_select(ids, types, &[]).await
    }

    /// [`get_by_ids`](Self::get_by_ids) with `$select` (empty = Graph's default properties): the
    /// properties of every type wanted, e.g. `userType` and `groupTypes`; a type without one of
    /// them simply lacks it. Graph accepts `$select` here and charges less for it (graph-api.md
    /// §2.6 and §8.3: 2 resource units instead of 5).
    pub async fn get_by_ids_select(
        &self,
        ids: &[String],
        types: &[&str],
        select: &[&str],
    ) -> Result<Vec<Value>, GraphError> {
        let mut objects = Vec::with_capacity(ids.len());
        let path = with_select("/directoryObjects/getByIds", select);
        for chunk in ids.chunks(MAX_GET_BY_IDS) {
            let mut body = json!({ "ids": chunk });
            if !types.is_empty() {
                body["types"] = json!(types);
            }
            let request = GraphRequest::new(Method::POST, path.as_str())
                .json(body)
                .scopes(READ_DIRECTORY.iter().copied());
            let page: GetByIds = self.send(request).await?.json()?;
            objects.extend(page.value);
        }
        Ok(objects)
    }

    /// `GET {path}/$count` (advanced query mode, `text/plain` answer), e.g. `count("/users", &q)` or
    /// `count("/groups/{id}/members", &q)`; only the query's filter and search are used.
    pub async fn count(&self, path: &str, query: &ListQuery) -> Result<u64, GraphError> {
        let mut url = format!("{}/$count", path.trim_end_matches('/'));
        let mut params = Vec::new();
        if let Some(filter) = &query.filter {
            params.push(format!("$filter={}", encode_value(filter)));
        }
        if let Some(search) = &query.search {
            params.push(format!("$search={}", encode_value(search)));
        }
        if !params.is_empty() {
            url = format!("{url}?{}", params.join("&"));
        }
        let response = self
            .send(
                GraphRequest::get(url)
                    .advanced(true)
                    .header("Accept", "text/plain"),
            )
            .await?;
        let text = String::from_utf8_lossy(&response.body);
        text.trim()
            .trim_start_matches('\u{feff}')
            .parse::<u64>()
            .map_err(|_| {
                GraphError::new(
                    ErrorKind::Decode,
                    format!(
                        "expected a number from $count, got '{}'",
                        text.chars().take(40).collect::<String>()
                    ),
                    response.request.clone(),
                )
            })
    }

    /// `PATCH /groups/{id}` with `members@odata.bind`: adds up to 20 members at once, all or nothing.
    pub async fn add_members(
        &self,
        group_id: &str,
        member_ids: &[String],
    ) -> Result<(), GraphError> {
        if member_ids.is_empty() {
            return Ok(());
        }
        if member_ids.len() > MAX_BIND {
            return Err(GraphError::usage(format!(
                "add_members takes at most {MAX_BIND} ids per call (got {}); split the list",
                member_ids.len()
            )));
        }
        let refs: Vec<String> = member_ids
            .iter()
            .map(|id| self.directory_object_url(id))
            .collect();
        let request = GraphRequest::new(
            Method::PATCH,
            format!("/groups/{}", encode_segment(group_id)),
        )
        .json(json!({ "members@odata.bind": refs }))
        .scopes(WRITE_MEMBERS.iter().copied());
        self.send(request).await.map(drop)
    }

    /// `PATCH /groups/{id}` with `membershipRule`: gives a dynamic group a new rule (Entra then
    /// recomputes its members). Needs `Group.ReadWrite.All`.
    pub async fn set_membership_rule(&self, group_id: &str, rule: &str) -> Result<(), GraphError> {
        let request = GraphRequest::new(
            Method::PATCH,
            format!("/groups/{}", encode_segment(group_id)),
        )
        .json(json!({ "membershipRule": rule }))
        .scopes(WRITE_GROUPS.iter().copied());
        self.send(request).await.map(drop)
    }

    /// `POST /groups/{id}/members/$ref`: adds one member. An existing member gives
    /// [`ErrorKind::AlreadyExists`].
    pub async fn add_member(&self, group_id: &str, member_id: &str) -> Result<(), GraphError> {
        let request = GraphRequest::new(
            Method::POST,
            format!("/groups/{}/members/$ref", encode_segment(group_id)),
        )
        .json(json!({ "@odata.id": self.directory_object_url(member_id) }))
        .scopes(WRITE_MEMBERS.iter().copied());
        self.send(request).await.map(drop)
    }

    /// `DELETE /groups/{id}/members/{memberId}/$ref`: removes one member (never the object itself). A
    /// non-member gives [`ErrorKind::NotPresent`].
    pub async fn remove_member(&self, group_id: &str, member_id: &str) -> Result<(), GraphError> {
        let url = format!(
            "/groups/{}/members/{}/$ref",
            encode_segment(group_id),
            encode_segment(member_id)
        );
        let request = GraphRequest::new(Method::DELETE, url).scopes(WRITE_MEMBERS.iter().copied());
        self.send(request).await.map(drop)
    }
}

#[derive(serde::Deserialize)]
struct GetByIds {
    #[serde(default)]
    value: Vec<Value>,
}

/// `path?$select=a,b`, or `path` when `select` is empty.
fn with_select(path: &str, select: &[&str]) -> String {
    if select.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?$select={}", encode_value(&select.join(",")))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::token::{AccessToken, StaticToken};

    fn client() -> GraphClient {
        GraphClient::builder(
            "http://127.0.0.1:1",
            Arc::new(StaticToken(AccessToken::new("t"))),
        )
        .build()
        .unwrap()
    }

    #[test]
    fn select_is_appended_only_when_given() {
        assert_eq!(with_select("/users/a", &[]), "/users/a");
        assert_eq!(
            with_select("/users/a", &["id", "mail"]),
            "/users/a?$select=id,mail"
        );
    }

    #[test]
    fn lists_refuse_queries_graph_would_reject() {
        let err = client()
            .list_users(&ListQuery::new().top(5000))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Usage);
        assert!(err.to_string().contains("1..999"));
        assert!(client().list_users(&ListQuery::new().top(999)).is_ok());
    }

    #[tokio::test]
    async fn add_members_checks_the_limit_before_sending() {
        let ids: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
        let err = client().add_members("g", &ids).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Usage);
        assert!(client().add_members("g", &[]).await.is_ok());
    }
}
