//! The dynamic membership rule language: tokens (for colouring), parse, and evaluation of every
//! rule that parses against a small fixed table of users (empty, odd and ordinary values).
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use roster_rules::{AssignedPlan, PropertyKind, Rule, UserValues};

/// Three users: ordinary values, odd values, nothing at all.
const TEXTS: [&str; 3] = ["Sales", " true ", ""];
const DATES: [&str; 3] = ["2024-05-01", "2020-06-10T18:13:20Z", "not a date"];
const BOOLS: [&str; 3] = ["true", "FALSE", "maybe"];
const MANAGERS: [&str; 3] = ["aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb", "x", ""];

struct User<'r> {
    index: usize,
    rule: &'r Rule,
}

impl UserValues for User<'_> {
    fn text(&self, slot: usize) -> Option<&str> {
        let value = match self.rule.properties().get(slot)?.kind {
            PropertyKind::Boolean => BOOLS[self.index],
            PropertyKind::DateTime => DATES[self.index],
            PropertyKind::Manager => MANAGERS[self.index],
            _ => TEXTS[self.index],
        };
        (!value.is_empty()).then_some(value)
    }

    fn items(&self, slot: usize) -> Vec<&str> {
        match (self.rule.properties().get(slot).map(|p| p.kind), self.index) {
            (Some(PropertyKind::MemberOf), 0) => vec!["aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"],
            (_, 0) => vec!["smtp:ann@contoso.com", "SMTP:Ann@Contoso.com"],
            (_, 1) => vec!["", "x", "\u{e9}\u{301}"],
            _ => Vec::new(),
        }
    }

    fn plans(&self, _slot: usize) -> Vec<AssignedPlan> {
        match self.index {
            0 => vec![AssignedPlan {
                service_plan_id: "efb87545-963c-4e0d-99df-69c6916d9eb0".into(),
                capability_status: "Enabled".into(),
                service: "exchange".into(),
            }],
            1 => vec![AssignedPlan::default()],
            _ => Vec::new(),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let characters = source.chars().count();
    let tokens = roster_rules::tokens(&source);
    for token in &tokens {
        assert!(
            token.start <= token.end && token.end <= characters,
            "{token:?}"
        );
    }
    assert!(tokens.windows(2).all(|w| w[0].end <= w[1].start));
    let Ok(rule) = roster_rules::parse(&source) else {
        return;
    };
    let Some(now) = Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0).single() else {
        return;
    };
    for index in 0..TEXTS.len() {
        rule.evaluate(&User { index, rule: &rule }, now);
    }
});
