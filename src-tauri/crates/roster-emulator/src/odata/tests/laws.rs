//! Table-driven laws over pseudo-random filters: boolean algebra holds for every fixture user, and the
//! parsers never panic on arbitrary input (deterministic generator, no timing, no external crates).

use super::*;

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const ATOMS: &[&str] = &[
    "displayName eq 'Adele Vance'",
    "startswith(displayName,'a')",
    "userType eq 'Member'",
    "userType ne 'Guest'",
    "department eq null",
    "accountEnabled eq true",
    "createdDateTime ge 2024-01-01T00:00:00Z",
    "endswith(mail,'@contoso.com')",
    "proxyAddresses/any(p:startswith(p,'smtp:'))",
    "assignedLicenses/$count eq 0",
    "id in ('u1','u4')",
    "givenName le 'B'",
];

fn random_expr(rng: &mut Rng, depth: u32) -> String {
    if depth == 0 || rng.next().is_multiple_of(3) {
        return rng.pick(ATOMS).to_owned();
    }
    match rng.next() % 3 {
        0 => format!(
            "({}) and ({})",
            random_expr(rng, depth - 1),
            random_expr(rng, depth - 1)
        ),
        1 => format!(
            "({}) or ({})",
            random_expr(rng, depth - 1),
            random_expr(rng, depth - 1)
        ),
        _ => format!("not ({})", random_expr(rng, depth - 1)),
    }
}

fn matches_of(f: &str) -> Vec<bool> {
    let p = plan_ok(EntitySet::Users, &with_aq(filter(f)));
    users().iter().map(|u| p.matches(u)).collect()
}

#[test]
fn boolean_laws_hold_for_random_filters() {
    let mut rng = Rng(42);
    for _ in 0..150 {
        let a = random_expr(&mut rng, 3);
        let b = random_expr(&mut rng, 2);
        let (ma, mb) = (matches_of(&a), matches_of(&b));
        let not_a = matches_of(&format!("not ({a})"));
        let and = matches_of(&format!("({a}) and ({b})"));
        let or = matches_of(&format!("({a}) or ({b})"));
        for i in 0..ma.len() {
            assert_eq!(not_a[i], !ma[i], "not ({a}) on user {i}");
            assert_eq!(and[i], ma[i] && mb[i], "({a}) and ({b}) on user {i}");
            assert_eq!(or[i], ma[i] || mb[i], "({a}) or ({b}) on user {i}");
        }
        // De Morgan.
        assert_eq!(
            matches_of(&format!("not (({a}) and ({b}))")),
            matches_of(&format!("not ({a}) or not ({b})"))
        );
    }
}

#[test]
fn parsers_never_panic_on_arbitrary_input() {
    const ALPHABET: &[&str] = &[
        "displayName",
        "eq",
        "ne",
        "and",
        "or",
        "not",
        "in",
        "(",
        ")",
        ",",
        "'",
        "''",
        "'a'",
        "/",
        ":",
        "any",
        "all",
        "x",
        "$count",
        "0",
        "-1",
        "true",
        "null",
        "2024-01-01T00:00:00Z",
        "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
        "startswith",
        "\"",
        "\\",
        "AND",
        "OR",
        "displayName:",
        " ",
        "é",
        "#",
        "+",
    ];
    let mut rng = Rng(7);
    for _ in 0..3000 {
        let len = (rng.next() % 12) as usize;
        let text: String = (0..len)
            .map(|_| rng.pick(ALPHABET))
            .collect::<Vec<_>>()
            .join(if rng.next().is_multiple_of(2) {
                " "
            } else {
                ""
            });
        for raw in [
            with_aq(filter(&text)),
            RawQuery {
                search: Some(text.clone()),
                eventual: true,
                ..RawQuery::default()
            },
            RawQuery {
                orderby: Some(text.clone()),
                ..with_aq(RawQuery::default())
            },
            RawQuery {
                select: Some(text.clone()),
                expand: Some(text.clone()),
                ..RawQuery::default()
            },
        ] {
            if let Err(e) = crate::odata::plan(EntitySet::Users, &raw, None) {
                assert!(matches!(e.status, 400 | 501), "{text:?}: {e:?}");
                assert!(!e.message.is_empty());
            }
        }
    }
}
