//! Cells made from one top-level property of an object, however complex: a path into it
//! (`signInActivity/lastSignInDateTime`), a licence column (`assignedLicenses`), a complex value
//! made readable, days since the last sign-in (`signInActivity`). [`render_row`] and the streaming
//! [`PageReader`] both go through here, so they give the same cells.
//!
//! [`render_row`]: super::render_row
//! [`PageReader`]: super::PageReader

use super::render::render_value;
use super::{
    ColumnSource, Computed, RowContext, days_since_last_sign_in, license_cell, readable_cell,
};
use serde_json::Value;

/// The one top-level property `source` reads when it is one of the sources handled here.
pub(super) fn property_of(source: ColumnSource) -> Option<&'static str> {
    match source {
        ColumnSource::Path(path) => path.first().copied(),
        ColumnSource::License(_) => Some("assignedLicenses"),
        ColumnSource::Readable(name) => Some(name),
        ColumnSource::Computed(Computed::DaysSinceLastSignIn) => Some("signInActivity"),
        _ => None,
    }
}

/// The cell of `source` (one [`property_of`] names) given that property's value.
pub(super) fn cell(source: ColumnSource, value: Option<&Value>, ctx: &RowContext<'_>) -> String {
    let Some(value) = value else {
        return String::new();
    };
    match source {
        ColumnSource::Path(path) => path[1..]
            .iter()
            .try_fold(value, |v, key| v.get(key))
            .map(render_value)
            .unwrap_or_default(),
        ColumnSource::License(field) => license_cell(field, value, ctx.skus),
        ColumnSource::Readable(name) => readable_cell(name, value),
        ColumnSource::Computed(Computed::DaysSinceLastSignIn) => ctx
            .as_of
            .and_then(|as_of| days_since_last_sign_in(value, as_of))
            .map(|days| days.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}
