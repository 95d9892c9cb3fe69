//! `$search`: tokenization (graph-api.md §3.2), clause syntax, AND/OR, escapes, startsWith fallback.

use super::*;
use crate::odata::search::value_has_token_prefix;
use crate::odata::search_tokens;

fn search(set: EntitySet, q: &str) -> QueryPlan {
    let raw = RawQuery {
        search: Some(q.to_owned()),
        eventual: true,
        ..RawQuery::default()
    };
    plan_ok(set, &raw)
}

fn groups_matching(q: &str) -> Vec<String> {
    ids(&search(EntitySet::Groups, q), &groups())
}

#[test]
fn tokenizer_splits_on_lower_to_upper_case_change() {
    assert_eq!(search_tokens("HelloWorld"), ["hello", "world"]);
}

#[test]
fn tokenizer_keeps_upper_then_lower_together() {
    assert_eq!(search_tokens("HELLOworld"), ["helloworld"]);
}

#[test]
fn tokenizer_splits_symbols_and_adds_the_joined_word() {
    assert_eq!(
        search_tokens("hello.world"),
        ["hello", "world", "helloworld"]
    );
}

#[test]
fn tokenizer_splits_digits() {
    assert_eq!(search_tokens("hello123world"), ["hello", "123", "world"]);
}

#[test]
fn tokenizer_splits_spaces() {
    assert_eq!(search_tokens("  One  Video "), ["one", "video"]);
}

#[test]
fn word_prefix_matching() {
    assert!(value_has_token_prefix("HelloWorld sales", "wor"));
    assert!(value_has_token_prefix("hello.world", "hellow"));
    assert!(!value_has_token_prefix("HELLOworld", "world"));
    assert!(value_has_token_prefix("hello123world", "123"));
    assert!(!value_has_token_prefix("Adele Vance", "ance"));
}

#[test]
fn display_name_search_is_word_prefix_in_any_order() {
    assert_eq!(groups_matching("\"displayName:video one\""), ["g6"]);
    assert_eq!(groups_matching("\"displayName:Sec\""), ["g2", "g3"]);
    assert_eq!(groups_matching("\"displayName:ops\""), ["g2"]);
    // No "contains" semantics.
    assert_eq!(
        groups_matching("\"displayName:ales\""),
        Vec::<String>::new()
    );
}

#[test]
fn description_search_uses_the_same_tokens() {
    assert_eq!(groups_matching("\"description:world\""), ["g1", "g2", "g4"]);
    assert_eq!(groups_matching("\"description:helloworld\""), ["g2", "g5"]);
    assert_eq!(groups_matching("\"description:123\""), ["g4"]);
}

#[test]
fn other_properties_behave_like_starts_with() {
    let p = search(EntitySet::Users, "\"mail:adelev@\"");
    assert_eq!(ids(&p, &users()), ["u1"]);
    let p = search(EntitySet::Users, "\"userPrincipalName:contoso\"");
    assert_eq!(ids(&p, &users()), Vec::<String>::new());
    let p = search(EntitySet::Users, "\"proxyAddresses:smtp:alex\"");
    assert_eq!(ids(&p, &users()), ["u2"]);
}

#[test]
fn or_and_and_with_parentheses() {
    assert_eq!(
        groups_matching("\"displayName:OneVideo\" OR \"displayName:sales\""),
        ["g1", "g6"]
    );
    assert_eq!(
        groups_matching("\"displayName:OneVideo\" OR \"displayName:Distribution\""),
        ["g4", "g6"]
    );
    assert_eq!(
        groups_matching("\"description:One\" AND (\"displayName:Video\" OR \"displayName:Drive\")"),
        ["g6"]
    );
    assert_eq!(
        groups_matching("\"displayName:mail\" AND \"description:security\""),
        ["g3"]
    );
}

#[test]
fn and_binds_tighter_than_or_in_search() {
    assert_eq!(
        groups_matching(
            "\"displayName:sales\" OR \"displayName:mail\" AND \"description:nothing\""
        ),
        ["g1"]
    );
}

#[test]
fn search_is_case_insensitive() {
    assert_eq!(groups_matching("\"DISPLAYNAME:SALES\""), ["g1"]);
}

#[test]
fn escaped_quotes_inside_clauses() {
    let mut objs = groups();
    objs[0].0.push(("mailNickname", s("say\"hi")));
    let p = search(EntitySet::Groups, "\"mailNickname:say\\\"h\"");
    assert_eq!(ids(&p, &objs), ["g1"]);
}

#[test]
fn lower_case_operators_are_a_syntax_error() {
    let raw = RawQuery {
        search: Some("\"displayName:a\" or \"displayName:b\"".into()),
        eventual: true,
        ..RawQuery::default()
    };
    assert_eq!(plan_err(EntitySet::Groups, &raw).code, "Request_BadRequest");
}

#[test]
fn clause_without_property_is_rejected() {
    let raw = RawQuery {
        search: Some("\"sales\"".into()),
        eventual: true,
        ..RawQuery::default()
    };
    assert_eq!(plan_err(EntitySet::Groups, &raw).code, "Request_BadRequest");
}

#[test]
fn unterminated_clause_is_rejected() {
    let raw = RawQuery {
        search: Some("\"displayName:sales".into()),
        eventual: true,
        ..RawQuery::default()
    };
    assert_eq!(plan_err(EntitySet::Groups, &raw).code, "Request_BadRequest");
}

#[test]
fn unknown_search_property_names_the_type() {
    let raw = RawQuery {
        search: Some("\"colour:red\"".into()),
        eventual: true,
        ..RawQuery::default()
    };
    let e = plan_err(EntitySet::Groups, &raw);
    assert_eq!(
        e.message,
        "Could not find a property named 'colour' on type 'microsoft.graph.group'."
    );
}

#[test]
fn members_search_with_cast_and_orderby() {
    let raw = with_aq(RawQuery {
        search: Some("\"displayName:Al\"".into()),
        orderby: Some("displayName".into()),
        select: Some("displayName,id".into()),
        ..RawQuery::default()
    });
    let p = crate::odata::plan(EntitySet::Members, &raw, Some("microsoft.graph.user")).unwrap();
    assert_eq!(ids(&p, &users()), ["u2"]);
    assert!(p.has_order());
}

#[test]
fn every_token_of_a_display_name_finds_its_group() {
    let objs = groups();
    for g in &objs {
        let (Some(Value::Str(id)), Some(Value::Str(name))) = (g.get("id"), g.get("displayName"))
        else {
            continue;
        };
        for token in search_tokens(name) {
            for cut in 1..=token.len() {
                let Some(prefix) = token.get(..cut) else {
                    continue;
                };
                let hits = ids(
                    &search(EntitySet::Groups, &format!("\"displayName:{prefix}\"")),
                    &objs,
                );
                assert!(
                    hits.contains(&id.to_owned()),
                    "{prefix:?} should find {name:?}"
                );
            }
        }
    }
}

#[test]
fn ascii_fast_path_agrees_with_the_unicode_path() {
    use crate::odata::search::unicode_has_token_prefix;
    let values = [
        "HelloWorld sales",
        "hello.world ops",
        "hello123world list",
        "HELLOworld devices",
        "  One  Video ",
        "a-b_c.d e",
        "R&D Team 2024",
        "x",
        "",
    ];
    let queries = [
        "",
        "h",
        "hel",
        "world",
        "helloworld",
        "123",
        "ops",
        "one",
        "vid",
        "abcd",
        "rd",
        "d",
        "2024",
        "team",
        "zz",
        "b_c",
    ];
    for v in values {
        for q in queries {
            assert_eq!(
                value_has_token_prefix(v, q),
                unicode_has_token_prefix(v, q),
                "{v:?} / {q:?}"
            );
        }
    }
}
