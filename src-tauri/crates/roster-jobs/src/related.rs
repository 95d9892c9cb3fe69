//! Reading one directory-object relationship of many objects into one CSV: the members or owners
//! of many groups, the groups of many users. One engine for all of them, with every row carrying
//! the object it was read for.
//!
//! The first pages of 20 objects come in one `$batch` call (most fit in one page), with the next
//! `group_lookahead` batches fetched while the current one is written; an object with more pages
//! continues through the pipelined pager, a checkpoint per page. Objects are read in the order
//! given, items in Graph order, so re-runs and resumed runs write identical files.
//!
//! A user's groups, nested included, also say whether the user is in each group directly: the
//! direct groups (`/memberOf`) of the same 20 users come in a second `$batch` beside the first.

use crate::JobError;
use crate::context::JobContext;
use crate::sink::Sink;
use crate::users::page_error;
use roster_core::columns::{Column, Membership, PageReader, RowContext, render_row};
use roster_graph::query::encode_segment;
use roster_graph::{
    BatchRequest, BatchResponse, Continuation, ErrorKind, GraphError, ListQuery, Method, Page,
    Pager, Resource,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::{HashSet, VecDeque};

/// An object whose relationship is read: a group (id, display name) or a user (id, UPN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Subject {
    pub(crate) id: String,
    pub(crate) name: String,
}

/// The relationship read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    /// `GET /groups/{id}/members`.
    Members,
    /// `GET /groups/{id}/owners`: users and service principals
    /// (<https://learn.microsoft.com/graph/api/group-list-owners>).
    Owners,
    /// `GET /users/{id}/memberOf` (cast to groups by the query).
    MemberOf,
    /// `GET /users/{id}/transitiveMemberOf` (cast to groups by the query).
    TransitiveMemberOf,
}

/// `microsoft.graph.group`: the cast that keeps directory roles and administrative units out of
/// `memberOf` and `transitiveMemberOf`. Graph serves casts on these relationships in advanced query
/// mode only (`ConsistencyLevel: eventual` and `$count=true`;
/// <https://learn.microsoft.com/graph/api/user-list-memberof>, "Request headers", and example 3).
pub(crate) const GROUP_CAST: &str = "microsoft.graph.group";

impl Relation {
    /// The collection's path for object `id`.
    pub(crate) fn path(self, id: &str) -> String {
        let id = encode_segment(id);
        match self {
            Self::Members => format!("/groups/{id}/members"),
            Self::Owners => format!("/groups/{id}/owners"),
            Self::MemberOf => format!("/users/{id}/memberOf"),
            Self::TransitiveMemberOf => format!("/users/{id}/transitiveMemberOf"),
        }
    }

    /// The permission the listing's token needs.
    fn scopes(self) -> &'static [&'static str] {
        match self {
            Self::Members | Self::Owners => &["GroupMember.Read.All"],
            Self::MemberOf | Self::TransitiveMemberOf => &["User.Read.All"],
        }
    }

    /// What the rows list, for messages.
    fn items(self) -> &'static str {
        match self {
            Self::Members => "members",
            Self::Owners => "owners",
            Self::MemberOf | Self::TransitiveMemberOf => "groups",
        }
    }

    /// What the subjects are, for messages.
    fn subject(self) -> &'static str {
        match self {
            Self::Members | Self::Owners => "group",
            Self::MemberOf | Self::TransitiveMemberOf => "user",
        }
    }

    /// The row context naming `subject`.
    pub(crate) fn row(self, subject: &Subject) -> RowContext<'_> {
        match self {
            Self::Members | Self::Owners => RowContext {
                group_id: Some(&subject.id),
                group_name: Some(&subject.name),
                ..RowContext::default()
            },
            Self::MemberOf | Self::TransitiveMemberOf => RowContext {
                user_id: Some(&subject.id),
                user_principal_name: Some(&subject.name),
                ..RowContext::default()
            },
        }
    }
}

/// Whether a failure concerns only one object (gone, hidden, refused), so the job goes on.
pub(crate) fn subject_level(error: &GraphError) -> bool {
    error.kind().is_per_item()
        || matches!(
            error.kind(),
            ErrorKind::Permission | ErrorKind::UnsupportedQuery
        )
}

/// Where a walk is: the subject being read and the continuation inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Position {
    /// Index of the subject being read.
    pub(crate) index: usize,
    /// Continuation inside the subject (or the queue's first unit) being read.
    pub(crate) next: Option<Continuation>,
    /// Transitive member walk: groups still to read for the current group, the one being read first.
    #[serde(default)]
    pub(crate) queue: VecDeque<crate::members::Unit>,
}

/// First pages fetched ahead: the relationship's, and for a user's nested groups the direct ones.
type Fetched = (
    Vec<BatchResponse<Box<RawValue>>>,
    Option<Vec<BatchResponse<Value>>>,
);

/// Aborts a spawned fetch when the job stops.
struct Ahead(tokio::task::JoinHandle<Result<Fetched, GraphError>>);

impl Drop for Ahead {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Reads `relation` of every subject, in order.
pub(crate) struct Walk<'a> {
    pub(crate) ctx: &'a JobContext,
    pub(crate) columns: &'a [Column],
    pub(crate) query: &'a ListQuery,
    pub(crate) subjects: &'a [Subject],
    pub(crate) relation: Relation,
    /// Renders pages straight from their bodies, when the columns allow it.
    pub(crate) reader: Option<PageReader>,
}

impl Walk<'_> {
    /// A walk of `relation` over `subjects` with `query`.
    pub(crate) fn new<'a>(
        ctx: &'a JobContext,
        columns: &'a [Column],
        query: &'a ListQuery,
        subjects: &'a [Subject],
        relation: Relation,
    ) -> Walk<'a> {
        Walk {
            ctx,
            columns,
            query,
            subjects,
            relation,
            reader: PageReader::new(columns),
        }
    }

    fn advanced(&self) -> bool {
        self.query.needs_advanced(Resource::Members)
    }

    /// Whether rows need the user's direct groups (the `membership` column of nested groups).
    fn needs_direct(&self) -> bool {
        self.relation == Relation::TransitiveMemberOf
            && self.columns.iter().any(|c| {
                c.source
                    == roster_core::columns::ColumnSource::Computed(
                        roster_core::columns::Computed::Membership,
                    )
            })
    }

    pub(crate) fn continuation(&self, link: String) -> Continuation {
        Continuation {
            next_link: link,
            advanced: self.advanced(),
            scopes: self
                .relation
                .scopes()
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            count: None,
        }
    }

    /// Writes the rows of `items`, read for `subject`.
    pub(crate) fn write(
        &self,
        sink: &mut Sink,
        subject: &Subject,
        items: &[Value],
        path: Option<&str>,
        direct: Option<&HashSet<String>>,
    ) -> Result<(), JobError> {
        let mut row = self.relation.row(subject);
        row.nesting_path = path;
        for item in items {
            if let Some(direct) = direct {
                let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
                row.membership = Some(if direct.contains(id) {
                    Membership::Direct
                } else {
                    Membership::Inherited
                });
            }
            sink.row(render_row(self.columns, item, &row))?;
        }
        Ok(())
    }

    fn warn(&self, sink: &mut Sink, subject: &Subject, error: &GraphError) {
        sink.warn(format!(
            "{} '{}' ({}): {}",
            self.relation.subject(),
            subject.name,
            subject.id,
            error.message
        ));
    }

    fn first_pages(&self, start: usize) -> Ahead {
        let end = (start + roster_graph::MAX_BATCH).min(self.subjects.len());
        let chunk = &self.subjects[start..end];
        let requests: Vec<BatchRequest> = chunk
            .iter()
            .enumerate()
            .map(|(i, s)| {
                BatchRequest::list(
                    i.to_string(),
                    &self.relation.path(&s.id),
                    self.query,
                    Resource::Members,
                )
            })
            .collect();
        let direct: Option<Vec<BatchRequest>> = self.needs_direct().then(|| {
            chunk
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    BatchRequest::list(
                        i.to_string(),
                        &Relation::MemberOf.path(&s.id),
                        &direct_query(),
                        Resource::Members,
                    )
                })
                .collect()
        });
        let client = self.ctx.client.clone();
        Ahead(tokio::spawn(async move {
            match direct {
                None => Ok((client.batch_raw(requests).await?, None)),
                Some(direct) => {
                    let (pages, direct) =
                        tokio::try_join!(client.batch_raw(requests), client.batch(direct))?;
                    Ok((pages, Some(direct)))
                }
            }
        }))
    }

    /// The direct groups of a user from its `$batch` answer, later pages read too.
    async fn direct_groups(
        &self,
        response: BatchResponse<Value>,
        subject: &Subject,
    ) -> Result<Option<HashSet<String>>, JobError> {
        let request = BatchRequest::new("0", Method::GET, Relation::MemberOf.path(&subject.id));
        if let Some(error) = response.error(&request) {
            return if subject_level(&error) {
                Ok(None)
            } else {
                Err(error.into())
            };
        }
        let body = response.body.unwrap_or(Value::Null);
        let mut ids = ids_of(body.get("value"));
        if let Some(link) = body.get("@odata.nextLink").and_then(Value::as_str) {
            let pager: Pager<Value> = self
                .ctx
                .client
                .resume(&self.ctx.rebase(self.continuation(link.to_owned())));
            let rest = self.ctx.or_cancel(pager.collect_all()).await??;
            ids.extend(
                rest.iter()
                    .filter_map(|g| g.get("id")?.as_str().map(str::to_owned)),
            );
        }
        Ok(Some(ids))
    }

    /// The direct groups of one user, read on their own (a resumed user).
    async fn direct_groups_of(
        &self,
        subject: &Subject,
    ) -> Result<Option<HashSet<String>>, JobError> {
        if !self.needs_direct() {
            return Ok(None);
        }
        let pager: Pager<Value> = self.ctx.client.list(
            &Relation::MemberOf.path(&subject.id),
            &direct_query(),
            Resource::Members,
            Relation::MemberOf.scopes(),
        )?;
        match self.ctx.or_cancel(pager.collect_all()).await? {
            Ok(groups) => Ok(Some(
                groups
                    .iter()
                    .filter_map(|g| g.get("id")?.as_str().map(str::to_owned))
                    .collect(),
            )),
            Err(e) if subject_level(&e) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Reads the rest of subject `index` from `pager`, a checkpoint per page.
    async fn rest_of_subject(
        &self,
        sink: &mut Sink,
        index: usize,
        mut pager: Pager<Value>,
        direct: Option<&HashSet<String>>,
    ) -> Result<(), JobError> {
        let subject = &self.subjects[index];
        let reader = self.reader.as_ref().filter(|_| direct.is_none());
        loop {
            self.ctx.next_step(sink).await?;
            let page = if let Some(reader) = reader {
                match self.ctx.or_cancel(pager.next_raw_page()).await? {
                    None => None,
                    Some(Ok(raw)) => {
                        let row = self.relation.row(subject);
                        reader
                            .read_page(&raw.body, &row, |cells| sink.row(cells.iter()))
                            .map_err(|e| page_error(e, self.relation.items()))?;
                        Some(Ok(Page {
                            items: Vec::new(),
                            next_link: raw.next_link,
                            count: raw.count,
                        }))
                    }
                    Some(Err(e)) => Some(Err(e)),
                }
            } else {
                self.ctx.or_cancel(pager.next_page()).await?
            };
            let Some(page) = page else {
                return Ok(());
            };
            let page = match page {
                Ok(page) => page,
                Err(e) if subject_level(&e) => {
                    self.warn(sink, subject, &e);
                    let next = Position {
                        index: index + 1,
                        ..Position::default()
                    };
                    sink.commit(self.ctx, &next).await?;
                    return Ok(());
                }
                Err(e) => return Err(e.into()),
            };
            self.write(sink, subject, &page.items, None, direct)?;
            let position = match pager.continuation() {
                Some(next) => Position {
                    index,
                    next: Some(next),
                    queue: VecDeque::new(),
                },
                None => Position {
                    index: index + 1,
                    ..Position::default()
                },
            };
            sink.commit(self.ctx, &position).await?;
        }
    }

    /// Writes the rows of a subject's first page (a `$batch` item's body) and returns its
    /// `@odata.nextLink`.
    fn first_page(
        &self,
        sink: &mut Sink,
        subject: &Subject,
        body: Option<&RawValue>,
        direct: Option<&HashSet<String>>,
    ) -> Result<Option<String>, JobError> {
        let Some(body) = body else {
            return Ok(None);
        };
        if let Some(reader) = self.reader.as_ref().filter(|_| direct.is_none()) {
            let row = self.relation.row(subject);
            let read = reader
                .read_collection(body.get().as_bytes(), &row, |cells| sink.row(cells.iter()))
                .map_err(|e| page_error(e, self.relation.items()))?;
            return Ok(read.next_link);
        }
        let body: Value = serde_json::from_str(body.get()).map_err(|e| {
            JobError::Internal(format!(
                "a page of {} is not JSON ({e})",
                self.relation.items()
            ))
        })?;
        let items = body
            .get("value")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        self.write(sink, subject, items, None, direct)?;
        Ok(body
            .get("@odata.nextLink")
            .and_then(Value::as_str)
            .map(str::to_owned))
    }

    /// Reads every subject from `position` on.
    pub(crate) async fn run(&self, sink: &mut Sink, position: Position) -> Result<(), JobError> {
        let mut index = position.index;
        if let Some(next) = position.next
            && index < self.subjects.len()
        {
            let direct = self.direct_groups_of(&self.subjects[index]).await?;
            let pager = self.ctx.client.resume(&self.ctx.rebase(next));
            self.rest_of_subject(sink, index, pager, direct.as_ref())
                .await?;
            index += 1;
        }
        let starts: Vec<usize> = (index..self.subjects.len())
            .step_by(roster_graph::MAX_BATCH)
            .collect();
        let mut ahead: VecDeque<(usize, Ahead)> = VecDeque::new();
        let mut to_fetch = starts.iter().copied();
        for start in to_fetch.by_ref().take(self.ctx.group_lookahead) {
            ahead.push_back((start, self.first_pages(start)));
        }
        while let Some((start, mut fetch)) = ahead.pop_front() {
            self.ctx.next_step(sink).await?;
            let (responses, direct) = self
                .ctx
                .or_cancel(&mut fetch.0)
                .await?
                .map_err(|e| JobError::Internal(format!("a batch of reads stopped ({e})")))??;
            if let Some(next_start) = to_fetch.next() {
                ahead.push_back((next_start, self.first_pages(next_start)));
            }
            let mut direct = direct.map(Vec::into_iter);
            let end = (start + roster_graph::MAX_BATCH).min(self.subjects.len());
            for (offset, response) in responses.into_iter().enumerate() {
                let si = start + offset;
                let subject = &self.subjects[si];
                let direct_set = match direct.as_mut().and_then(Iterator::next) {
                    Some(answer) => self.direct_groups(answer, subject).await?,
                    None => None,
                };
                self.one_subject(sink, si, response, direct_set.as_ref())
                    .await?;
            }
            let next = Position {
                index: end,
                ..Position::default()
            };
            sink.commit(self.ctx, &next).await?;
        }
        Ok(())
    }

    /// Writes subject `si` from its first page's answer, then its further pages.
    async fn one_subject(
        &self,
        sink: &mut Sink,
        si: usize,
        response: BatchResponse<Box<RawValue>>,
        direct: Option<&HashSet<String>>,
    ) -> Result<(), JobError> {
        let subject = &self.subjects[si];
        let request = BatchRequest::new("0", Method::GET, self.relation.path(&subject.id));
        if let Some(error) = response.error(&request) {
            if !subject_level(&error) {
                return Err(error.into());
            }
            self.warn(sink, subject, &error);
            return Ok(());
        }
        let Some(link) = self.first_page(sink, subject, response.body.as_deref(), direct)? else {
            return Ok(());
        };
        let next = self.continuation(link);
        let position = Position {
            index: si,
            next: Some(next.clone()),
            queue: VecDeque::new(),
        };
        sink.commit(self.ctx, &position).await?;
        let pager = self.ctx.client.resume(&self.ctx.rebase(next));
        self.rest_of_subject(sink, si, pager, direct).await
    }
}

/// The ids of a user's direct groups: `memberOf` cast to groups, ids only, largest pages.
fn direct_query() -> ListQuery {
    let mut query = ListQuery::new().select(["id"]).top(999);
    query.cast = Some(GROUP_CAST.to_owned());
    query
}

fn ids_of(value: Option<&Value>) -> HashSet<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|g| g.get("id")?.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_and_rows_follow_the_relation() {
        assert_eq!(Relation::Owners.path("g 1"), "/groups/g%201/owners");
        assert_eq!(
            Relation::TransitiveMemberOf.path("u"),
            "/users/u/transitiveMemberOf"
        );
        let subject = Subject {
            id: "u1".into(),
            name: "ann@contoso.com".into(),
        };
        let row = Relation::MemberOf.row(&subject);
        assert_eq!(row.user_principal_name, Some("ann@contoso.com"));
        assert_eq!(row.group_id, None);
        assert_eq!(
            Relation::Members.row(&subject).group_name,
            Some("ann@contoso.com")
        );
        let query = direct_query();
        assert!(query.needs_advanced(Resource::Members));
        assert_eq!(
            query.path_and_query("/users/u/memberOf", Resource::Members),
            "/users/u/memberOf/microsoft.graph.group?$select=id&$top=999&$count=true"
        );
        assert_eq!(
            ids_of(Some(&json!([{"id": "a"}, {"id": "b"}, {}]))),
            HashSet::from(["a".to_owned(), "b".to_owned()])
        );
    }

    #[test]
    fn positions_round_trip() {
        let p = Position {
            index: 3,
            next: Some(Continuation {
                next_link: "http://h/v1.0/groups/g/members?$skiptoken=x".into(),
                advanced: false,
                scopes: vec!["GroupMember.Read.All".into()],
                count: None,
            }),
            queue: VecDeque::from([crate::members::Unit {
                id: "g".into(),
                path: vec!["A".into()],
                chain: vec!["g".into()],
            }]),
        };
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(serde_json::from_value::<Position>(v).unwrap(), p);
    }
}
