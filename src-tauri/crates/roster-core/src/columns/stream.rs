//! Collection bodies straight to cells: [`PageReader`] walks a Graph page's `value` array and
//! renders each item's cells while parsing, borrowing strings from the body, so a million-user
//! download builds no JSON tree per user. The cells are exactly what [`render_row`] gives for the
//! same item (tested against it); columns that need several properties at once (a group type)
//! or calls of their own (authentication methods) are not supported here, and [`PageReader::new`] says so by returning `None`.
//!
//! [`render_row`]: super::render_row

use super::render::render_value;
use super::{Column, ColumnSource, Computed, MemberType, RowContext, property_cell};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// How one column's cell is read.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// From the property at this index of [`PageReader::keys`], as [`ColumnSource`] says.
    Key(usize, ColumnSource),
    /// From the row context (group id/name, nesting path, member count).
    Context(Computed),
    /// The member type, from `@odata.type` at this index of [`PageReader::keys`].
    MemberType(usize),
    /// From the whole value of the property at this index (a path into it, licences, a readable
    /// complex value, days since sign-in), as [`property_cell`] renders it.
    Whole(usize, ColumnSource),
}

/// Renders the items of collection bodies into CSV cells for a fixed list of columns.
#[derive(Debug, Clone)]
pub struct PageReader {
    keys: Vec<&'static str>,
    slots: Vec<Slot>,
}

/// A property value as read, before a column renders it.
enum Raw<'a> {
    Null,
    Bool(bool),
    Text(Cow<'a, str>),
    Number(serde_json::Number),
    Complex(Value),
}

impl Raw<'_> {
    /// The value as a JSON tree, for cells that look inside it.
    fn to_value(&self) -> Value {
        match self {
            Raw::Null => Value::Null,
            Raw::Bool(b) => Value::Bool(*b),
            Raw::Text(text) => Value::String(text.to_string()),
            Raw::Number(n) => Value::Number(n.clone()),
            Raw::Complex(value) => value.clone(),
        }
    }
}

impl PageReader {
    /// A reader for `columns`, or `None` when a column needs more than one property of the
    /// item (use [`render_row`](super::render_row) on parsed values then).
    pub fn new(columns: &[Column]) -> Option<Self> {
        let mut keys: Vec<&'static str> = Vec::new();
        let mut slots = Vec::with_capacity(columns.len());
        for column in columns {
            if let Some(name) = property_cell::property_of(column.source) {
                let index = keys.iter().position(|k| *k == name).unwrap_or_else(|| {
                    keys.push(name);
                    keys.len() - 1
                });
                slots.push(Slot::Whole(index, column.source));
                continue;
            }
            let slot = match column.source {
                ColumnSource::Property(name)
                | ColumnSource::FirstOf(name)
                | ColumnSource::Joined(name) => {
                    let index = keys.iter().position(|k| *k == name).unwrap_or_else(|| {
                        keys.push(name);
                        keys.len() - 1
                    });
                    Slot::Key(index, column.source)
                }
                ColumnSource::Computed(Computed::MemberType) => {
                    let name = "@odata.type";
                    let index = keys.iter().position(|k| *k == name).unwrap_or_else(|| {
                        keys.push(name);
                        keys.len() - 1
                    });
                    Slot::MemberType(index)
                }
                ColumnSource::Computed(
                    c @ (Computed::ParentGroupId
                    | Computed::ParentGroupName
                    | Computed::NestingPath
                    | Computed::MemberCount
                    | Computed::ParentUserId
                    | Computed::ParentUserPrincipalName),
                ) => Slot::Context(c),
                ColumnSource::Path(_)
                | ColumnSource::License(_)
                | ColumnSource::Readable(_)
                | ColumnSource::AuthMethod(_)
                | ColumnSource::Computed(_) => {
                    return None;
                }
            };
            slots.push(slot);
        }
        Some(Self { keys, slots })
    }

    /// Reads the collection body `body` (`{..., "value": [ {...}, ... ], ...}`) and calls `row`
    /// with the cells of each item, in order. Stops at the first error `row` returns.
    pub fn read_page<'a, E>(
        &self,
        body: &'a [u8],
        ctx: &RowContext<'a>,
        row: impl FnMut(&[Cow<'a, str>]) -> Result<(), E>,
    ) -> Result<u64, PageError<E>> {
        self.read_collection(body, ctx, row).map(|read| read.rows)
    }

    /// [`read_page`](Self::read_page), also returning the body's `@odata.nextLink` (when it is a
    /// string), for pages that come without one read from the headers, e.g. inside `$batch`.
    pub fn read_collection<'a, E>(
        &self,
        body: &'a [u8],
        ctx: &RowContext<'a>,
        mut row: impl FnMut(&[Cow<'a, str>]) -> Result<(), E>,
    ) -> Result<PageRead, PageError<E>> {
        let mut failure = None;
        let mut rows = 0u64;
        let mut next_link = None;
        let mut de = serde_json::Deserializer::from_slice(body);
        let envelope = Envelope {
            reader: self,
            ctx,
            row: &mut row,
            failure: &mut failure,
            rows: &mut rows,
            next_link: &mut next_link,
        };
        let parsed = de.deserialize_map(envelope).and_then(|()| de.end());
        match (parsed, failure) {
            (_, Some(e)) => Err(PageError::Row(e)),
            (Err(e), None) => Err(PageError::Json(e)),
            (Ok(()), None) => Ok(PageRead { rows, next_link }),
        }
    }

    /// Fills `cells` (cleared first, so one buffer serves every row) with one item's cells; the
    /// group id, name and nesting path are borrowed from `ctx`, not copied per row.
    fn cells<'a>(
        &self,
        values: &[Option<Raw<'a>>],
        ctx: &RowContext<'a>,
        cells: &mut Vec<Cow<'a, str>>,
    ) {
        cells.clear();
        cells.extend(self.slots.iter().map(|slot| match *slot {
            Slot::Key(index, source) => match values[index].as_ref() {
                None => Cow::Borrowed(""),
                Some(raw) => render(raw, source),
            },
            Slot::Whole(index, source) => {
                let value = values[index].as_ref().map(Raw::to_value);
                Cow::Owned(property_cell::cell(source, value.as_ref(), ctx))
            }
            Slot::MemberType(index) => {
                let odata_type = match values[index].as_ref() {
                    Some(Raw::Text(t)) => t.as_ref(),
                    _ => "",
                };
                Cow::Borrowed(MemberType::of_odata_type(odata_type).as_str())
            }
            Slot::Context(Computed::ParentGroupId) => {
                Cow::Borrowed(ctx.group_id.unwrap_or_default())
            }
            Slot::Context(Computed::ParentGroupName) => {
                Cow::Borrowed(ctx.group_name.unwrap_or_default())
            }
            Slot::Context(Computed::NestingPath) => {
                Cow::Borrowed(ctx.nesting_path.unwrap_or_default())
            }
            Slot::Context(Computed::ParentUserId) => Cow::Borrowed(ctx.user_id.unwrap_or_default()),
            Slot::Context(Computed::ParentUserPrincipalName) => {
                Cow::Borrowed(ctx.user_principal_name.unwrap_or_default())
            }
            Slot::Context(_) => {
                Cow::Owned(ctx.member_count.map(|n| n.to_string()).unwrap_or_default())
            }
        }));
    }
}

/// What [`PageReader::read_collection`] read besides the rows it handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRead {
    /// Items read (rows written).
    pub rows: u64,
    /// The body's `@odata.nextLink`, when it has one that is a string.
    pub next_link: Option<String>,
}

/// Why a page could not be read.
#[derive(Debug)]
pub enum PageError<E> {
    /// The body is not a collection of JSON objects.
    Json(serde_json::Error),
    /// The row callback failed.
    Row(E),
}

fn render<'a>(raw: &Raw<'a>, source: ColumnSource) -> Cow<'a, str> {
    match (raw, source) {
        (Raw::Complex(Value::Array(items)), ColumnSource::FirstOf(_)) => {
            Cow::Owned(items.first().map(render_value).unwrap_or_default())
        }
        (_, ColumnSource::FirstOf(_)) => Cow::Borrowed(""),
        (Raw::Complex(Value::Array(items)), ColumnSource::Joined(_)) => {
            Cow::Owned(items.iter().map(render_value).collect::<Vec<_>>().join(";"))
        }
        (Raw::Null, _) => Cow::Borrowed(""),
        (Raw::Bool(true), _) => Cow::Borrowed("True"),
        (Raw::Bool(false), _) => Cow::Borrowed("False"),
        (Raw::Text(text), _) => text.clone(),
        (Raw::Number(n), _) => Cow::Owned(n.to_string()),
        (Raw::Complex(value), _) => Cow::Owned(render_value(value)),
    }
}

struct Envelope<'r, 'c, F, E> {
    reader: &'r PageReader,
    ctx: &'r RowContext<'c>,
    row: &'r mut F,
    failure: &'r mut Option<E>,
    rows: &'r mut u64,
    next_link: &'r mut Option<String>,
}

impl<'de, F, E> Visitor<'de> for Envelope<'_, 'de, F, E>
where
    F: FnMut(&[Cow<'de, str>]) -> Result<(), E>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Graph collection object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.0 == "value" {
                map.next_value_seed(Items {
                    reader: self.reader,
                    ctx: self.ctx,
                    row: &mut *self.row,
                    failure: &mut *self.failure,
                    rows: &mut *self.rows,
                })?;
            } else if key.0 == "@odata.nextLink" {
                if let Value::String(link) = map.next_value::<Value>()? {
                    *self.next_link = Some(link);
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Items<'r, 'c, F, E> {
    reader: &'r PageReader,
    ctx: &'r RowContext<'c>,
    row: &'r mut F,
    failure: &'r mut Option<E>,
    rows: &'r mut u64,
}

impl<'de, F, E> DeserializeSeed<'de> for Items<'_, 'de, F, E>
where
    F: FnMut(&[Cow<'de, str>]) -> Result<(), E>,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, F, E> Visitor<'de> for Items<'_, 'de, F, E>
where
    F: FnMut(&[Cow<'de, str>]) -> Result<(), E>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let width = self.reader.keys.len();
        let mut values: Vec<Option<Raw<'de>>> = Vec::with_capacity(width);
        let mut cells: Vec<Cow<'de, str>> = Vec::with_capacity(self.reader.slots.len());
        loop {
            values.clear();
            values.resize_with(width, || None);
            let item = Item {
                keys: &self.reader.keys,
                values: &mut values,
            };
            if seq.next_element_seed(item)?.is_none() {
                return Ok(());
            }
            self.reader.cells(&values, self.ctx, &mut cells);
            if let Err(e) = (self.row)(&cells) {
                *self.failure = Some(e);
                return Err(de::Error::custom("stopped by the row writer"));
            }
            *self.rows += 1;
        }
    }
}

struct Item<'v, 'a> {
    keys: &'v [&'static str],
    values: &'v mut Vec<Option<Raw<'a>>>,
}

impl<'de> DeserializeSeed<'de> for Item<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Item<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Graph sends properties in a fixed order: try the one after the last match first.
        let mut guess = 0usize;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let found = if self.keys.get(guess) == Some(&&*key.0) {
                Some(guess)
            } else {
                self.keys.iter().position(|k| *k == key.0)
            };
            match found {
                Some(index) => {
                    self.values[index] = Some(map.next_value::<RawValue<'de>>()?.0);
                    guess = index + 1;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A member name, borrowed from the body when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor).map(Key)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

struct RawValue<'a>(Raw<'a>);

impl<'de> de::Deserialize<'de> for RawValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor).map(RawValue)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Raw::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Raw::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Raw::Number(v.into()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Raw::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Raw::Null, Raw::Number))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Raw::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Raw::Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Raw::Text(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Raw::Complex(value))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Raw::Complex(value))
    }
}

use serde::Deserialize as _;

#[cfg(test)]
mod tests {
    use super::super::{parse_user_columns, render_row};
    use super::*;
    use serde_json::json;

    fn cells_both_ways(
        columns: &[Column],
        body: &Value,
        ctx: &RowContext<'_>,
    ) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let expected: Vec<Vec<String>> = body["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| render_row(columns, item, ctx))
            .collect();
        let text = serde_json::to_vec(body).unwrap();
        let reader = PageReader::new(columns).unwrap();
        let mut got = Vec::new();
        let rows = reader
            .read_page(&text, ctx, |cells| {
                got.push(cells.iter().map(|c| c.to_string()).collect::<Vec<_>>());
                Ok::<(), ()>(())
            })
            .unwrap();
        assert_eq!(rows as usize, got.len());
        (got, expected)
    }

    #[test]
    fn cells_match_render_row_for_every_json_shape() {
        let columns = parse_user_columns(
            "objectId,displayName,accountEnabled,telephoneNumber,alternateEmailAddress,mobile,\
             employeeHireDate,assignedLicenses,proxyAddresses,onPremisesExtensionAttributes",
        )
        .unwrap();
        let body = json!({
            "@odata.context": "x",
            "@odata.nextLink": "https://graph/v1.0/users?$skiptoken=a",
            "value": [
                {"id": "1", "displayName": "Ann \"A\" \u{e9}\\n", "accountEnabled": true,
                 "businessPhones": ["+1 1", "+1 2"], "otherMails": ["a@x", "b@x"],
                 "mobilePhone": null, "employeeHireDate": "2024-01-31T09:12:45Z",
                 "assignedLicenses": [{"skuId": "s", "disabledPlans": []}],
                 "proxyAddresses": [], "onPremisesExtensionAttributes": {"extensionAttribute1": "v", "n": 1.5}},
                {"accountEnabled": false, "businessPhones": [], "otherMails": "odd",
                 "id": "2", "extra": {"nested": [1, 2]}, "mobilePhone": 42},
                {}
            ]
        });
        let (got, expected) = cells_both_ways(&columns, &body, &RowContext::default());
        assert_eq!(got, expected);
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn bad_bodies_and_row_errors_are_reported() {
        let columns = parse_user_columns("portal").unwrap();
        let columns: Vec<Column> = columns
            .into_iter()
            .filter(|c| !c.needs_auth_methods())
            .collect();
        let reader = PageReader::new(&columns).unwrap();
        let ctx = RowContext::default();
        let ok = |_: &[Cow<'_, str>]| Ok::<(), &str>(());
        assert!(matches!(
            reader.read_page(br#"{"value":[{"id":"1"},"#, &ctx, ok),
            Err(PageError::Json(_))
        ));
        assert!(matches!(
            reader.read_page(br#"{"value":[{"id":"1"}]}"#, &ctx, |_| Err("disk full")),
            Err(PageError::Row("disk full"))
        ));
        assert_eq!(
            reader
                .read_page(br#"{"@odata.count":0,"value":[]}"#, &ctx, ok)
                .unwrap(),
            0
        );
    }

    #[test]
    fn member_cells_match_render_row_with_group_context() {
        let columns = super::super::member_columns(false);
        let reader = PageReader::new(&columns).unwrap();
        let body = json!({"value": [
            {"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Ann",
             "userPrincipalName": "ann@x", "mail": null},
            {"@odata.type": "#microsoft.graph.group", "id": "g1", "displayName": "Nested"},
            {"@odata.type": "#microsoft.graph.device", "id": "d1", "displayName": "PC"},
            {"id": "x"}
        ]});
        let ctx = RowContext {
            group_id: Some("g0"),
            group_name: Some("All staff"),
            ..RowContext::default()
        };
        let expected: Vec<Vec<String>> = body["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| render_row(&columns, item, &ctx))
            .collect();
        let text = serde_json::to_vec(&body).unwrap();
        let mut got = Vec::new();
        reader
            .read_page(&text, &ctx, |cells| {
                got.push(cells.iter().map(|c| c.to_string()).collect::<Vec<_>>());
                Ok::<(), ()>(())
            })
            .unwrap();
        assert_eq!(got, expected);
        assert!(got.iter().any(|row| row.iter().any(|c| c == "device")));
    }

    #[test]
    fn collections_give_the_cells_and_next_link_the_parsed_tree_gives() {
        // The body of a `$batch` item, as the old path read it: a `Value` tree, `render_row` per
        // member and `@odata.nextLink` from the tree.
        let columns = super::super::member_columns(false);
        let reader = PageReader::new(&columns).unwrap();
        let ctx = RowContext {
            group_id: Some("g0"),
            group_name: Some("Sales \"EMEA\""),
            ..RowContext::default()
        };
        let link = "https://graph/v1.0/groups/g0/members?$skiptoken=a%2Bb";
        for body in [
            json!({"@odata.context": "x", "value": [
                {"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Ann\n",
                 "userPrincipalName": "ann@x", "mail": null},
                {"@odata.type": "#microsoft.graph.orgContact", "id": "c1", "mail": "c@x"}
            ], "@odata.nextLink": link}),
            json!({"@odata.nextLink": link, "value": []}),
            json!({"value": [{"id": "u2"}]}),
            json!({"@odata.nextLink": null, "value": [{"id": "u3"}]}),
        ] {
            let expected: Vec<Vec<String>> = body["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| render_row(&columns, item, &ctx))
                .collect();
            let raw: Box<serde_json::value::RawValue> =
                serde_json::from_str(&body.to_string()).unwrap();
            let mut got = Vec::new();
            let read = reader
                .read_collection(raw.get().as_bytes(), &ctx, |cells| {
                    got.push(cells.iter().map(|c| c.to_string()).collect::<Vec<_>>());
                    Ok::<(), ()>(())
                })
                .unwrap();
            assert_eq!(got, expected, "{body}");
            assert_eq!(read.rows as usize, expected.len());
            assert_eq!(
                read.next_link.as_deref(),
                body.get("@odata.nextLink").and_then(Value::as_str)
            );
        }
    }

    #[test]
    fn multi_property_columns_are_not_supported() {
        let groups = super::super::group_default_columns();
        assert!(
            groups
                .iter()
                .any(|c| c.source == ColumnSource::Computed(Computed::GroupType))
        );
        assert!(PageReader::new(&groups).is_none());
        let with_auth = parse_user_columns("objectId,authenticationEmail").unwrap();
        assert!(PageReader::new(&with_auth).is_none());
    }

    #[test]
    fn cells_inside_one_property_match_render_row_with_skus_and_start_time() {
        let columns = parse_user_columns(
            "objectId,manager/userPrincipalName,lastSignInDateTime,daysSinceLastSignIn,licenses,\
             licenseNames,licenseDisabledPlans,employeeOrgData,identities,extensionAttribute2",
        )
        .unwrap();
        let skus = super::super::SkuCatalogue::from_graph(&json!({"value": [
            {"skuId": "s1", "skuPartNumber": "SPE_E3", "servicePlans": [
                {"servicePlanId": "p1", "servicePlanName": "SWAY"}]}
        ]}));
        let ctx = RowContext {
            skus: Some(&skus),
            as_of: chrono::DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
                .ok()
                .map(|d| d.with_timezone(&chrono::Utc)),
            ..RowContext::default()
        };
        let body = json!({"value": [
            {"id": "1", "manager": {"userPrincipalName": "boss@x"},
             "signInActivity": {"lastSignInDateTime": "2026-02-27T10:00:00Z",
                                "lastNonInteractiveSignInDateTime": null},
             "assignedLicenses": [{"skuId": "s1", "disabledPlans": ["p1"]}, {"skuId": "s2"}],
             "employeeOrgData": {"division": "Retail", "costCenter": null},
             "identities": [{"signInType": "userPrincipalName", "issuer": "x"}],
             "onPremisesExtensionAttributes": {"extensionAttribute2": "two"}},
            {"id": "2", "manager": null, "signInActivity": null, "assignedLicenses": [],
             "employeeOrgData": null, "identities": [], "onPremisesExtensionAttributes": null},
            {}
        ]});
        let (got, expected) = cells_both_ways(&columns, &body, &ctx);
        assert_eq!(got, expected);
        assert_eq!(
            got[0],
            [
                "1",
                "boss@x",
                "2026-02-27T10:00:00Z",
                "1",
                "SPE_E3; s2",
                "Microsoft 365 E3; s2",
                "SPE_E3: SWAY",
                "Retail / ",
                "signInType: userPrincipalName; issuer: x",
                "two"
            ]
        );
    }
}
