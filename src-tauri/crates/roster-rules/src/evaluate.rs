//! Evaluating a parsed rule for one user, whose values come through [`UserValues`] by slot.
//!
//! Comparisons of text ignore case (the docs: "Regex and string operations aren't case
//! sensitive"); constants were lower-cased at parse time and ASCII values are compared without
//! allocating.
//!
//! # Semantics the docs leave open
//!
//! These are decisions, each tested below:
//!
//! 1. **Null is the empty text.** A CSV cell cannot tell an empty value from a missing one, so for
//!    text an empty cell (`None`, or `Some("")`) is compared as `""`: `-eq null` and `-eq ""` both
//!    hold for it, `-startsWith "a"` does not, `-match "^$"` does.
//! 2. **Negative operators are exact negations.** `-ne`, `-notStartsWith`, `-notEndsWith`,
//!    `-notContains`, `-notMatch` and `-notIn` are true exactly when their positive operator is
//!    false, for null values too: `user.department -ne "Sales"` and
//!    `user.department -notIn ["Sales"]` hold for a user without department.
//! 3. **An operator written directly on a text list** (`user.otherMails -endsWith "@x.com"`, as the
//!    docs' examples do) holds when any item matches; a negative one holds when no item matches
//!    the positive operator (so it holds for an empty list). `-eq null` on a list holds when the
//!    list has no non-empty item; `-ne null` when it has one.
//! 4. **`-any` on an empty collection is false, `-all` is true** (so the docs'
//!    `user.assignedPlans -all (assignedPlan.servicePlanId -eq null)` selects users without plans).
//! 5. **Booleans.** A cell reading `true`/`false` in any case (spaces around ignored) is that
//!    boolean; an empty cell is null. A cell reading anything else is a value that is neither true
//!    nor false nor null: `-eq true`/`-eq false`/`-eq null` are false for it, their `-ne` true.
//! 6. **Dates.** A cell that parses as an ISO 8601 date is that instant (a date alone is midnight
//!    UTC, a time without offset is UTC). A cell that does not parse equals nothing and is not
//!    null: `-eq`, `-le`, `-ge` and `-eq null` are false for it, `-ne` true. For an empty cell
//!    `-le`/`-ge` are false. `-eq` compares instants exactly. When `system.now -plus …` leaves the
//!    calendar's range, `-eq`, `-le` and `-ge` are false and `-ne` true.
//! 7. **Direct Reports** holds when the `manager` cell equals the manager id, ignoring case and
//!    surrounding spaces.

use chrono::{DateTime, Utc};

use crate::ast::{Collection, DateOp, DateValue, Expr, Pattern, TextTest};
use crate::dates::{parse_date, shift};
use crate::properties::ItemField;
use crate::text::{contains_fold, ends_with_fold, eq_fold, starts_with_fold};

/// One user's values, by slot (index into [`crate::Rule::properties`]).
pub trait UserValues {
    /// A single-valued property's value as written in the file; `None` when the cell is empty
    /// (null).
    fn text(&self, slot: usize) -> Option<&str>;
    /// A multi-valued property's items (`TextList`; `MemberOf` gives group ids); empty when none.
    fn items(&self, slot: usize) -> Vec<&str>;
    /// The assigned plans (`AssignedPlans`).
    fn plans(&self, slot: usize) -> Vec<AssignedPlan>;
}

/// One of a user's assigned service plans, as a condition on `assignedPlans` reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssignedPlan {
    /// `assignedPlan.servicePlanId`: the plan's GUID.
    pub service_plan_id: String,
    /// `assignedPlan.capabilityStatus`: `Enabled`, `Suspended`, `Deleted`, ….
    pub capability_status: String,
    /// `assignedPlan.service`: the service's name, such as `exchange` or `SCO`.
    pub service: String,
}

/// The item a condition inside `-any`/`-all` reads.
#[derive(Clone, Copy)]
enum Item<'a> {
    None,
    Text(&'a str),
    Plan(&'a AssignedPlan),
}

/// Whether `expr` holds for `user`, `now` being what `system.now` means.
pub(crate) fn evaluate<U: UserValues + ?Sized>(expr: &Expr, user: &U, now: DateTime<Utc>) -> bool {
    eval(expr, user, now, Item::None)
}

fn eval<U: UserValues + ?Sized>(expr: &Expr, user: &U, now: DateTime<Utc>, item: Item<'_>) -> bool {
    match expr {
        Expr::Or(parts) => parts.iter().any(|e| eval(e, user, now, item)),
        Expr::And(parts) => parts.iter().all(|e| eval(e, user, now, item)),
        Expr::Not(inner) => !eval(inner, user, now, item),
        Expr::Text { slot, test } => test.holds(user.text(*slot)),
        Expr::List { slot, test } => test.holds_for_list(&user.items(*slot)),
        Expr::Bool {
            slot,
            negated,
            value,
        } => bool_holds(user.text(*slot), *value) != *negated,
        Expr::Date { slot, op, value } => date_holds(user.text(*slot), *op, *value, now),
        Expr::Quantified {
            slot,
            all,
            over,
            body,
        } => {
            let check = |item| eval(body, user, now, item);
            match over {
                Collection::Texts | Collection::Groups => {
                    quantify(*all, user.items(*slot).into_iter().map(Item::Text), check)
                }
                Collection::Plans => {
                    quantify(*all, user.plans(*slot).iter().map(Item::Plan), check)
                }
            }
        }
        Expr::Item { field, test } => test.holds(field_value(*field, item)),
        Expr::DirectReports { slot, manager } => user
            .text(*slot)
            .is_some_and(|id| eq_fold(id.trim(), manager)),
    }
}

/// `-any` (some item satisfies `check`) or `-all` (every item does; true for none).
fn quantify<'a>(
    all: bool,
    mut items: impl Iterator<Item = Item<'a>>,
    check: impl Fn(Item<'a>) -> bool,
) -> bool {
    if all {
        items.all(check)
    } else {
        items.any(check)
    }
}

/// What `field` reads of the current item.
fn field_value(field: ItemField, item: Item<'_>) -> Option<&str> {
    match (field, item) {
        (ItemField::Value, Item::Text(text)) => Some(text),
        (ItemField::ServicePlanId, Item::Plan(plan)) => Some(&plan.service_plan_id),
        (ItemField::CapabilityStatus, Item::Plan(plan)) => Some(&plan.capability_status),
        (ItemField::Service, Item::Plan(plan)) => Some(&plan.service),
        _ => None,
    }
}

impl TextTest {
    /// Whether the test holds for a single value (`None` is null, compared as `""`).
    fn holds(&self, value: Option<&str>) -> bool {
        self.pattern.matches(value.unwrap_or("")) != self.negated
    }

    /// Whether the test holds for a list: any item for a positive operator, no item for a
    /// negative one; `-eq null` when no item has a value.
    fn holds_for_list(&self, items: &[&str]) -> bool {
        let positive = match self.pattern {
            Pattern::Null => items.iter().all(|item| item.is_empty()),
            ref pattern => items.iter().any(|item| pattern.matches(item)),
        };
        positive != self.negated
    }
}

impl Pattern {
    fn matches(&self, value: &str) -> bool {
        match self {
            Self::Null => value.is_empty(),
            Self::Eq(constant) => eq_fold(value, constant),
            Self::StartsWith(constant) => starts_with_fold(value, constant),
            Self::EndsWith(constant) => ends_with_fold(value, constant),
            Self::Contains(constant) => contains_fold(value, constant),
            Self::Match(regex) => regex.is_match(value),
            Self::In(set) => set.contains(value),
        }
    }
}

/// A boolean cell: `Ok(None)` empty, `Ok(Some(b))` true/false, `Err(())` anything else.
fn read_bool(cell: Option<&str>) -> Result<Option<bool>, ()> {
    let Some(cell) = cell.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    if cell.eq_ignore_ascii_case("true") {
        Ok(Some(true))
    } else if cell.eq_ignore_ascii_case("false") {
        Ok(Some(false))
    } else {
        Err(())
    }
}

/// Whether a boolean cell equals `value` (`None` is null).
fn bool_holds(cell: Option<&str>, value: Option<bool>) -> bool {
    read_bool(cell) == Ok(value)
}

/// Whether a date cell compares with `value` by `op` at `now`.
fn date_holds(cell: Option<&str>, op: DateOp, value: DateValue, now: DateTime<Utc>) -> bool {
    let cell = cell.filter(|c| !c.trim().is_empty());
    let target = match value {
        DateValue::Null => {
            let is_null = cell.is_none();
            return if op == DateOp::Ne { !is_null } else { is_null };
        }
        DateValue::At(at) => Some(at),
        DateValue::Now(None) => Some(now),
        DateValue::Now(Some((plus, duration))) => shift(now, duration, plus),
    };
    let date = cell.and_then(parse_date);
    let holds = |compare: fn(&DateTime<Utc>, &DateTime<Utc>) -> bool| {
        date.zip(target).is_some_and(|(d, t)| compare(&d, &t))
    };
    match op {
        DateOp::Eq => holds(DateTime::eq),
        DateOp::Ne => !holds(DateTime::eq),
        DateOp::Le => holds(DateTime::le),
        DateOp::Ge => holds(DateTime::ge),
    }
}

#[cfg(test)]
mod tests;
