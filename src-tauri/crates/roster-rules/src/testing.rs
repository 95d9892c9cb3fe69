//! Test users: cells by property name, bound to a rule's slots.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};

use crate::{AssignedPlan, Rule, UserValues};

/// One cell of a test user.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Text(&'static str),
    Items(Vec<&'static str>),
    Plans(Vec<AssignedPlan>),
}

/// A user as cells by property name; missing cells are empty.
#[derive(Debug, Clone, Default)]
pub(crate) struct TestUser {
    pub name: &'static str,
    cells: BTreeMap<&'static str, Cell>,
}

impl TestUser {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn named(name: &'static str) -> Self {
        Self {
            name,
            ..Self::default()
        }
    }

    pub(crate) fn with(mut self, property: &'static str, cell: Cell) -> Self {
        self.cells.insert(property, cell);
        self
    }

    pub(crate) fn text(self, property: &'static str, value: &'static str) -> Self {
        self.with(property, Cell::Text(value))
    }

    pub(crate) fn items(self, property: &'static str, items: &[&'static str]) -> Self {
        self.with(property, Cell::Items(items.to_vec()))
    }

    /// The user as [`UserValues`] for `rule`'s slots.
    pub(crate) fn bind<'a>(&'a self, rule: &'a Rule) -> Bound<'a> {
        Bound {
            user: self,
            names: rule.properties().iter().map(|p| p.name.as_str()).collect(),
        }
    }
}

/// A [`TestUser`] seen through a rule's slots.
pub(crate) struct Bound<'a> {
    user: &'a TestUser,
    names: Vec<&'a str>,
}

impl Bound<'_> {
    fn cell(&self, slot: usize) -> Option<&Cell> {
        self.names
            .get(slot)
            .and_then(|name| self.user.cells.get(name))
    }
}

impl UserValues for Bound<'_> {
    fn text(&self, slot: usize) -> Option<&str> {
        match self.cell(slot) {
            Some(Cell::Text(text)) if !text.is_empty() => Some(text),
            _ => None,
        }
    }

    fn items(&self, slot: usize) -> Vec<&str> {
        match self.cell(slot) {
            Some(Cell::Items(items)) => items.clone(),
            _ => Vec::new(),
        }
    }

    fn plans(&self, slot: usize) -> Vec<AssignedPlan> {
        match self.cell(slot) {
            Some(Cell::Plans(plans)) => plans.clone(),
            _ => Vec::new(),
        }
    }
}

/// What `system.now` means in the tests: 2024-06-15T12:00:00Z.
pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 15, 12, 0, 0).unwrap()
}

/// An assigned plan.
pub(crate) fn plan(id: &str, status: &str, service: &str) -> AssignedPlan {
    AssignedPlan {
        service_plan_id: id.to_owned(),
        capability_status: status.to_owned(),
        service: service.to_owned(),
    }
}
