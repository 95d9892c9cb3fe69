//! Splitting one download into disjoint, exhaustive slices by ranges of a string property, so that
//! several chains of pages are read at once: on a real tenant a page takes about a second before
//! its first byte, and one chain of nextLinks, not Graph's limits, bounds a large export.
//!
//! A slice is `PROPERTY ge 'LOWER' and PROPERTY le 'UPPER'`, combined with the person's own filter.
//! Graph offers `ge` and `le` without advanced query headers, but neither `gt` nor `lt`, on:
//! - users' `userPrincipalName` (Learn "user resource type": "eq, ne, not, ge, le, in,
//!   startsWith, endsWith");
//! - groups' `displayName` (Learn "group resource type": "eq, ne, not, ge, le, in, startsWith").
//!
//! Of these, only `ne`, `not` and `endsWith` need advanced query (Learn "Advanced query
//! capabilities on Microsoft Entra ID objects"; graph-api.md §1.3 and §3.1).
//!
//! The bounds are made of digits and lowercase letters only. They ascend in ordinal and in
//! case-insensitive order alike, so the slices cover every value between them, whatever
//! characters it has. Whether two slices can share an object depends on the property: a UPN
//! always has `@`, a bound never, so no UPN equals a bound; a group may be named exactly like one (`b`), and is then in the slice below (`le 'b'`) and the
//! one above (`ge 'b'`): the planning's counts then add up to more than the whole's, and a group
//! named so after planning is written by the slice below only ([`KeyRange::shares_lower_bound`]).
//!
//! Exactness is checked before a row is read: the slices' `$count`s must add up to the whole's,
//! or the download reads one chain instead (and says so).

use crate::JobError;
use crate::context::JobContext;
use futures::StreamExt;
use roster_graph::{GraphClient, GraphError, ListQuery, Pager};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a download slices: its collection, the property its ranges are of, and the words and
/// codes of its notices.
#[derive(Debug)]
pub(crate) struct Sliced {
    /// The collection, `/users` or `/groups`.
    pub path: &'static str,
    /// The string property the ranges are of.
    pub property: &'static str,
    /// What the collection holds, in the notices' English (`users`, `groups`).
    pub noun: &'static str,
    /// Lists the collection with a query (`GET path`).
    pub list: fn(&GraphClient, &ListQuery) -> Result<Pager<Value>, GraphError>,
    /// The code of the notice that the slices' counts do not add up to the whole's.
    pub inexact_code: &'static str,
    /// The code of the notice that the rows read differ from the counts planned.
    pub changed_code: &'static str,
}

/// Users by `userPrincipalName`.
pub(crate) const USERS: Sliced = Sliced {
    path: "/users",
    property: "userPrincipalName",
    noun: "users",
    list: GraphClient::list_users,
    inexact_code: "download.notice.slicesInexact",
    changed_code: "download.notice.directoryChanged",
};

/// Groups by `displayName`.
pub(crate) const GROUPS: Sliced = Sliced {
    path: "/groups",
    property: "displayName",
    noun: "groups",
    list: GraphClient::list_groups,
    inexact_code: "download.notice.groupSlicesInexact",
    changed_code: "download.notice.groupsChanged",
};

/// The characters a bound is made of, in ascending order.
const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// How long a bound grows when one prefix holds too many users (`a`, `ab`, `abc`, ...): tenants
/// whose UPNs share a long prefix (`student000123@`) are cut where they differ.
const MAX_PREFIX: usize = 16;

/// The most `$count` requests one plan sends (37 per cut; each costs one resource unit).
const MAX_COUNTS: usize = 400;

/// Slices per reader: more, smaller slices keep every reader busy to the end.
const SLICES_PER_READER: u64 = 3;

/// `$count` requests sent at once while planning.
const COUNTS_AT_ONCE: usize = 16;

/// A range of the sliced property: from `lower` (included) to `upper` (excluded, unless an object's
/// value equals it: see [`Sliced::bounds_are_values`]); `None` is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeyRange {
    /// The lowest value of the range.
    pub lower: Option<String>,
    /// The bound above the range.
    pub upper: Option<String>,
}

impl KeyRange {
    /// Every value.
    pub fn all() -> Self {
        Self {
            lower: None,
            upper: None,
        }
    }

    /// The `$filter` clause of the range over `property` (`None` for every value).
    pub fn clause(&self, property: &str) -> Option<String> {
        let lower = self.lower.as_ref().map(|b| format!("{property} ge '{b}'"));
        let upper = self.upper.as_ref().map(|b| format!("{property} le '{b}'"));
        match (lower, upper) {
            (Some(l), Some(u)) => Some(format!("{l} and {u}")),
            (l, u) => l.or(u),
        }
    }

    /// `base` narrowed to the range of `property`: its filter and the range's, both holding.
    pub fn narrow(&self, base: &ListQuery, property: &str) -> ListQuery {
        let mut query = base.clone();
        query.filter = match (base.filter.as_deref(), self.clause(property)) {
            (Some(f), Some(c)) => Some(format!("({f}) and {c}")),
            (f, c) => c.or(f.map(str::to_owned)),
        };
        query
    }

    /// Whether an object whose sliced property is `value` is in the slice below this one too:
    /// it equals the bound the two share, which the slice below holds by `le` as this one does by
    /// `ge` (compared case-insensitively, as Graph orders these strings). The slice below writes
    /// it. Only a group's name can: a UPN never equals a bound.
    pub fn shares_lower_bound(&self, value: &str) -> bool {
        self.lower
            .as_deref()
            .is_some_and(|bound| value.chars().flat_map(char::to_lowercase).eq(bound.chars()))
    }

    /// The range cut at every one-character extension of `prefix` (the range's own lower bound,
    /// or empty for the first cut): `[a, b)` becomes `[a, a0)`, `[a0, a1)`, ..., `[az, b)`.
    fn cut(&self) -> Vec<Self> {
        let prefix = self.lower.clone().unwrap_or_default();
        let mut bounds: Vec<Option<String>> = vec![self.lower.clone()];
        bounds.extend(ALPHABET.iter().map(|&c| {
            let mut bound = prefix.clone();
            bound.push(char::from(c));
            Some(bound)
        }));
        bounds.push(self.upper.clone());
        bounds.dedup();
        bounds
            .windows(2)
            .map(|pair| Self {
                lower: pair[0].clone(),
                upper: pair[1].clone(),
            })
            .collect()
    }

    /// Whether [`KeyRange::cut`] applies: every value, or a range `[p, next)` whose values all
    /// start with `p`. Not the first range of a cut, `[p, p0)` (`p` and a character below `0`),
    /// nor the open range below `0`.
    fn can_cut(&self) -> bool {
        match (&self.lower, &self.upper) {
            (None, None) => true,
            (None, Some(_)) => false,
            (Some(l), upper) => {
                l.len() < MAX_PREFIX && upper.as_deref() != Some(format!("{l}0").as_str())
            }
        }
    }
}

/// A slice to read: its range and how many objects Graph counted in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlannedSlice {
    /// The range.
    pub range: KeyRange,
    /// Objects counted in it when planned.
    pub counted: u64,
}

/// Why a download is not split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoSlices {
    /// Too few objects to gain anything.
    Small,
    /// The ranges' counts do not add up to the whole's (said in the job's notices).
    Inexact { whole: u64, sum: u64 },
}

/// Plans slices of `what` over the `whole` objects `base` selects for `readers` reading at once: ranges are
/// cut further only while one holds more than a reader's share (a larger one would finish last;
/// smaller ones gain nothing worth their `$count`s), then neighbours are joined into slices of
/// about a third of a share, so that readers that finish early take the next.
pub(crate) async fn plan(
    ctx: &JobContext,
    what: &Sliced,
    base: &ListQuery,
    whole: u64,
    readers: u64,
) -> Result<Result<Vec<PlannedSlice>, NoSlices>, JobError> {
    let share = whole.div_ceil(readers.max(1)).max(1);
    let target = share.div_ceil(SLICES_PER_READER).max(1);
    let mut counted: Vec<(KeyRange, u64)> = vec![(KeyRange::all(), whole)];
    let mut requests = 0;
    while let Some(at) = counted
        .iter()
        .position(|(range, n)| *n > share && range.can_cut())
    {
        let (range, expected) = counted.remove(at);
        let parts = range.cut();
        requests += parts.len();
        if requests > MAX_COUNTS {
            counted.insert(at, (range, expected));
            break;
        }
        let counts = count_ranges(ctx, what, base, &parts).await?;
        let sum: u64 = counts.iter().sum();
        if sum != expected {
            return Ok(Err(NoSlices::Inexact {
                whole: expected,
                sum,
            }));
        }
        for (offset, part) in parts.into_iter().zip(counts).enumerate() {
            counted.insert(at + offset, part);
        }
    }
    let slices = merge(counted, target);
    if slices.len() < 2 {
        return Ok(Err(NoSlices::Small));
    }
    Ok(Ok(slices))
}

/// Joins neighbouring ranges into slices of at most `target` objects (a range alone may exceed it);
/// empty ranges join their neighbours.
fn merge(counted: Vec<(KeyRange, u64)>, target: u64) -> Vec<PlannedSlice> {
    let mut slices: Vec<PlannedSlice> = Vec::new();
    for (range, n) in counted {
        match slices.last_mut() {
            Some(last) if last.counted + n <= target || n == 0 => {
                last.range.upper = range.upper;
                last.counted += n;
            }
            _ => slices.push(PlannedSlice { range, counted: n }),
        }
    }
    slices
}

/// The `$count` of each range (several at once).
async fn count_ranges(
    ctx: &JobContext,
    what: &Sliced,
    base: &ListQuery,
    ranges: &[KeyRange],
) -> Result<Vec<u64>, JobError> {
    type Count<'a> = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<u64, roster_graph::GraphError>> + Send + 'a>,
    >;
    // The requests are made before the stream, which then holds no closure across an await.
    let requests: Vec<Count<'_>> = ranges
        .iter()
        .map(|range| {
            let query = range.narrow(base, what.property);
            Box::pin(async move { ctx.client.count(what.path, &query).await }) as Count<'_>
        })
        .collect();
    let counts = futures::stream::iter(requests)
        .buffered(COUNTS_AT_ONCE)
        .collect::<Vec<_>>();
    let counts = ctx.or_cancel(counts).await?;
    counts
        .into_iter()
        .map(|c| c.map_err(JobError::from))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(lower: Option<&str>, upper: Option<&str>) -> KeyRange {
        KeyRange {
            lower: lower.map(str::to_owned),
            upper: upper.map(str::to_owned),
        }
    }

    #[test]
    fn clauses_use_only_ge_and_le_and_keep_the_persons_filter() {
        let upn = USERS.property;
        assert_eq!(KeyRange::all().clause(upn), None);
        assert_eq!(
            range(None, Some("0")).clause(upn).unwrap(),
            "userPrincipalName le '0'"
        );
        assert_eq!(
            range(Some("ab"), Some("ac")).clause(upn).unwrap(),
            "userPrincipalName ge 'ab' and userPrincipalName le 'ac'"
        );
        let base = ListQuery::new().filter("accountEnabled eq false or userType eq 'Guest'");
        assert_eq!(
            range(Some("z"), None).narrow(&base, upn).filter.unwrap(),
            "(accountEnabled eq false or userType eq 'Guest') and userPrincipalName ge 'z'"
        );
        assert_eq!(
            KeyRange::all().narrow(&base, upn).filter,
            base.filter,
            "every UPN: the person's filter alone"
        );
    }

    #[test]
    fn group_slices_range_over_display_name_and_keep_the_persons_filter() {
        let base = ListQuery::new().filter("securityEnabled eq true");
        assert_eq!(
            range(Some("b"), Some("c"))
                .narrow(&base, GROUPS.property)
                .filter
                .unwrap(),
            "(securityEnabled eq true) and displayName ge 'b' and displayName le 'c'"
        );
        assert_eq!(
            range(None, Some("0")).clause(GROUPS.property).unwrap(),
            "displayName le '0'"
        );
        assert_eq!((GROUPS.path, USERS.path), ("/groups", "/users"));
    }

    #[test]
    fn cuts_are_contiguous_ascending_and_cover_the_range() {
        let first = KeyRange::all().cut();
        assert_eq!(first.len(), ALPHABET.len() + 1);
        assert_eq!(first[0], range(None, Some("0")));
        assert_eq!(first[36], range(Some("z"), None));
        let deeper = range(Some("m"), Some("n")).cut();
        assert_eq!(deeper[0], range(Some("m"), Some("m0")));
        assert_eq!(deeper.last().unwrap(), &range(Some("mz"), Some("n")));
        for cuts in [&first, &deeper] {
            for pair in cuts.windows(2) {
                assert_eq!(pair[0].upper, pair[1].lower, "no gap, no overlap");
                let (a, b) = (pair[0].upper.clone().unwrap(), pair[1].upper.clone());
                if let Some(b) = b {
                    assert!(a < b && a.to_lowercase() < b.to_lowercase(), "{a} < {b}");
                }
            }
        }
        for bound in first.iter().chain(&deeper).filter_map(|r| r.lower.as_ref()) {
            assert!(!bound.contains('@'), "a bound is never a UPN");
        }
    }

    #[test]
    fn only_a_value_equal_to_the_lower_bound_belongs_to_the_slice_below() {
        let slice = range(Some("b"), Some("c"));
        assert!(slice.shares_lower_bound("b"));
        assert!(
            slice.shares_lower_bound("B"),
            "case-insensitive, as Graph's le and ge"
        );
        for other in ["b ", "ba", "bé", "a", "c", ""] {
            assert!(
                !slice.shares_lower_bound(other),
                "{other:?} is this slice's own"
            );
        }
        assert!(
            !KeyRange::all().shares_lower_bound(""),
            "the first slice has no neighbour below"
        );
    }

    #[test]
    fn only_ranges_of_one_prefix_are_cut_again() {
        assert!(KeyRange::all().can_cut());
        assert!(!range(None, Some("0")).can_cut(), "below 0: no prefix");
        assert!(range(Some("m"), Some("n")).can_cut());
        assert!(range(Some("z"), None).can_cut());
        assert!(
            !range(Some("m"), Some("m0")).can_cut(),
            "m followed by a character below 0"
        );
        assert!(range(Some("m0"), Some("m1")).can_cut());
        assert!(!range(Some(&"a".repeat(MAX_PREFIX)), None).can_cut());
    }

    #[test]
    fn neighbours_merge_up_to_the_target_and_empty_ranges_disappear() {
        let counted = vec![
            (range(None, Some("a")), 0),
            (range(Some("a"), Some("b")), 40),
            (range(Some("b"), Some("c")), 50),
            (range(Some("c"), Some("d")), 0),
            (range(Some("d"), Some("e")), 120),
            (range(Some("e"), None), 10),
        ];
        let slices = merge(counted, 100);
        let shape: Vec<(Option<String>, Option<String>, u64)> = slices
            .into_iter()
            .map(|s| (s.range.lower, s.range.upper, s.counted))
            .collect();
        assert_eq!(
            shape,
            [
                (None, Some("d".to_owned()), 90),
                (Some("d".to_owned()), Some("e".to_owned()), 120),
                (Some("e".to_owned()), None, 10),
            ]
        );
    }
}
