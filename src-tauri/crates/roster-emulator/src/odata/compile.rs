//! Turns a parsed `$filter` into an [`Expr`]: resolves property names against the CSDL table, checks
//! every operator against the per-property rules, type-checks literals, and records whether the filter
//! needs an advanced query.

use super::ODataError;
use super::expr::{Expr, Lit, Path, Root, Test};
use super::meta::{
    EntityType, element_type, find_complex_property, find_property, is_collection, is_complex,
};
use super::parse::{Ast, CmpOp, Func, LambdaKind, Literal};
use super::rules::{Ops, Rule, rule};
use super::schema::PropertyDef;
use super::text::parse_timestamp;

/// The entity types a query may see and the names its errors use.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope {
    pub(crate) types: &'static [EntityType],
}

impl Scope {
    /// `microsoft.graph.user` for one type, `microsoft.graph.directoryObject` for mixed collections.
    pub(crate) fn type_name(&self) -> &'static str {
        match self.types {
            [one] => one.qualified_name(),
            _ => "microsoft.graph.directoryObject",
        }
    }

    /// `User` for one type, `DirectoryObject` for mixed collections.
    pub(crate) fn resource(&self) -> &'static str {
        match self.types {
            [one] => one.resource_name(),
            _ => "DirectoryObject",
        }
    }

    /// Resolves a top-level property name (case-insensitive) on any of the scope's types.
    pub(crate) fn property(&self, name: &str) -> Result<&'static PropertyDef, ODataError> {
        self.types
            .iter()
            .find_map(|t| find_property(*t, name))
            .ok_or_else(|| not_found(name, self.type_name()))
    }

    /// The filter rule of a canonical property name, from the first type that has one.
    pub(crate) fn rule(&self, canonical: &str) -> Option<&'static Rule> {
        self.types.iter().find_map(|t| rule(*t, canonical))
    }
}

/// Graph's error for an unknown property name.
pub(crate) fn not_found(name: &str, type_name: &str) -> ODataError {
    ODataError::bad_request(format!(
        "Could not find a property named '{name}' on type '{type_name}'."
    ))
}

/// Why a filter needs an advanced query; decides the error message when AQ is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AqNeed {
    /// An operator that needs AQ on every property (`ne`, `not`, `endsWith`, `eq null`).
    Operator(&'static str),
    /// A property that needs AQ for every operator, or a `$count` segment on it.
    Property(&'static str),
}

/// The result of compiling a `$filter`.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) expr: Expr,
    pub(crate) aq_need: Option<AqNeed>,
    /// The first operator in the filter, for messages on AQ-only collections.
    pub(crate) first_op: &'static str,
    /// Whether `signInActivity` is referenced (page size limit 500).
    pub(crate) uses_sign_in_activity: bool,
    /// A property that can be filtered only without AQ.
    pub(crate) aq_forbidden: Option<&'static str>,
}

struct Lambda<'a> {
    var: &'a str,
    elem: &'static str,
    rule: &'static Rule,
}

struct Resolved {
    path: Path,
    edm: &'static str,
    rule: &'static Rule,
    in_lambda: bool,
    count: bool,
}

struct Compiler {
    scope: Scope,
    aq_need: Option<AqNeed>,
    aq_forbidden: Option<&'static str>,
    first_op: Option<&'static str>,
    top_props: Vec<&'static str>,
}

/// Compiles a parsed filter for `scope`.
pub(crate) fn compile(ast: &Ast, scope: Scope) -> Result<Compiled, ODataError> {
    let mut c = Compiler {
        scope,
        aq_need: None,
        aq_forbidden: None,
        first_op: None,
        top_props: Vec::new(),
    };
    let expr = c.expr(ast, None, false)?;
    let uses_sign_in_activity = c.top_props.contains(&"signInActivity");
    if uses_sign_in_activity && c.top_props.iter().any(|p| *p != "signInActivity") {
        // signInActivity can't be combined with other filterable properties (graph-api.md §3.1).
        return Err(c.unsupported("signInActivity"));
    }
    Ok(Compiled {
        expr,
        aq_need: c.aq_need,
        first_op: c.first_op.unwrap_or("eq"),
        uses_sign_in_activity,
        aq_forbidden: c.aq_forbidden,
    })
}

impl Compiler {
    fn unsupported(&self, prop: &str) -> ODataError {
        ODataError::unsupported(format!(
            "Unsupported or invalid query filter clause specified for property '{prop}' of resource '{}'.",
            self.scope.resource()
        ))
    }

    fn need(&mut self, need: AqNeed) {
        self.aq_need.get_or_insert(need);
    }

    fn saw_op(&mut self, op: &'static str) {
        self.first_op.get_or_insert(op);
    }

    fn expr(
        &mut self,
        ast: &Ast,
        lam: Option<&Lambda<'_>>,
        negated: bool,
    ) -> Result<Expr, ODataError> {
        Ok(match ast {
            Ast::Or(items) => Expr::Or(self.all(items, lam, negated)?),
            Ast::And(items) => Expr::And(self.all(items, lam, negated)?),
            Ast::Not(inner) => {
                self.saw_op("not");
                self.need(AqNeed::Operator("not"));
                Expr::Not(Box::new(self.expr(inner, lam, true)?))
            }
            Ast::Cmp { path, op, lit } => self.cmp(path, *op, lit, lam, negated)?,
            Ast::In { path, lits } => {
                self.saw_op("in");
                let r = self.resolve(path, lam)?;
                self.check(&r, Ops::IN, negated)?;
                let lits = lits
                    .iter()
                    .map(|l| match l {
                        Literal::Null => Err(ODataError::bad_request(
                            "Invalid filter clause: null is not allowed in an 'in' list.",
                        )),
                        l => typed(r.edm, l, CmpOp::Eq),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Expr::Test(r.path, Test::In(lits.into()))
            }
            Ast::Call { func, path, lit } => {
                let (op, word) = match func {
                    Func::StartsWith => (Ops::STARTS, "startsWith"),
                    Func::EndsWith => (Ops::ENDS, "endsWith"),
                };
                self.saw_op(word);
                let r = self.resolve(path, lam)?;
                if r.edm != "Edm.String" {
                    return Err(self.unsupported(r.rule.name));
                }
                self.check(&r, op, negated)?;
                if *func == Func::EndsWith {
                    self.need(AqNeed::Operator("endsWith"));
                }
                let Literal::Str(s) = lit else {
                    return Err(ODataError::bad_request(format!(
                        "Invalid filter clause: {word} expects a string literal as its second argument."
                    )));
                };
                let s: Box<str> = s.to_lowercase().into();
                let test = match func {
                    Func::StartsWith => Test::StartsWith(s),
                    Func::EndsWith => Test::EndsWith(s),
                };
                Expr::Test(r.path, test)
            }
            Ast::Lambda {
                path,
                kind,
                var,
                body,
            } => {
                self.saw_op("any");
                if lam.is_some() {
                    return Err(ODataError::unsupported(
                        "Nested lambda expressions are not supported in $filter.",
                    ));
                }
                let r = self.resolve(path, None)?;
                if !is_collection(r.edm) || r.count {
                    return Err(self.unsupported(r.rule.name));
                }
                if *kind == LambdaKind::All || r.rule.any_ops == Ops::NONE {
                    return Err(self.unsupported(r.rule.name));
                }
                if negated && !r.rule.ops.has(Ops::NOT) {
                    return Err(self.unsupported(r.rule.name));
                }
                let body = match body {
                    None => None,
                    Some(body) => {
                        let inner = Lambda {
                            var,
                            elem: element_type(r.edm),
                            rule: r.rule,
                        };
                        Some(Box::new(self.expr(body, Some(&inner), false)?))
                    }
                };
                Expr::Any(r.path, body)
            }
        })
    }

    fn all(
        &mut self,
        items: &[Ast],
        lam: Option<&Lambda<'_>>,
        negated: bool,
    ) -> Result<Vec<Expr>, ODataError> {
        items.iter().map(|a| self.expr(a, lam, negated)).collect()
    }

    fn cmp(
        &mut self,
        path: &[String],
        op: CmpOp,
        lit: &Literal,
        lam: Option<&Lambda<'_>>,
        negated: bool,
    ) -> Result<Expr, ODataError> {
        self.saw_op(op.word());
        let r = self.resolve(path, lam)?;
        if r.count {
            self.check(&r, Ops::COUNT, negated)?;
            self.need(AqNeed::Property(r.rule.name));
            let Literal::Int(n) = lit else {
                return Err(incompatible("Edm.Int32", lit, op));
            };
            return Ok(Expr::Count(r.path, op, *n));
        }
        if *lit == Literal::Null {
            if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                return Err(self.unsupported(r.rule.name));
            }
            self.check(&r, Ops::NULL, negated)?;
            self.need(AqNeed::Operator(op.word()));
            return Ok(Expr::Test(r.path, Test::Cmp(op, Lit::Null)));
        }
        let needed = match op {
            CmpOp::Eq => Ops::EQ,
            CmpOp::Ne => Ops::NE,
            _ => Ops::RANGE,
        };
        self.check(&r, needed, negated)?;
        if op == CmpOp::Ne {
            self.need(AqNeed::Operator("ne"));
        }
        let lit = typed(r.edm, lit, op)?;
        Ok(Expr::Test(r.path, Test::Cmp(op, lit)))
    }

    /// Checks that the resolved property supports `op` (and `not`, when negated); notes AQ-only properties.
    fn check(&mut self, r: &Resolved, op: Ops, negated: bool) -> Result<(), ODataError> {
        let allowed = if r.in_lambda {
            r.rule.any_ops
        } else {
            r.rule.ops
        };
        let shape_ok = r.count || r.in_lambda || !is_collection(r.edm);
        if !shape_ok || !allowed.has(op) || (negated && !r.rule.ops.has(Ops::NOT)) {
            return Err(self.unsupported(r.rule.name));
        }
        if r.rule.aq_all {
            self.need(AqNeed::Property(r.rule.name));
        }
        if r.rule.no_aq {
            self.aq_forbidden.get_or_insert(r.rule.name);
        }
        Ok(())
    }

    fn resolve(
        &mut self,
        path: &[String],
        lam: Option<&Lambda<'_>>,
    ) -> Result<Resolved, ODataError> {
        let Some((first, rest)) = path.split_first() else {
            return Err(ODataError::bad_request(
                "Invalid filter clause: empty property path.",
            ));
        };
        let mut segs = Vec::with_capacity(path.len());
        let (root, mut edm, rule, in_lambda) = match lam {
            Some(l) if l.var == first => (Root::Item, l.elem, l.rule, true),
            _ => {
                let def = self.scope.property(first)?;
                if !self.top_props.contains(&def.name) {
                    self.top_props.push(def.name);
                }
                let rule = self
                    .scope
                    .rule(def.name)
                    .ok_or_else(|| self.unsupported(def.name))?;
                segs.push(def.name);
                (Root::Entity, def.edm, rule, false)
            }
        };
        let mut count = false;
        for (i, seg) in rest.iter().enumerate() {
            if seg == "$count" && i + 1 == rest.len() && is_collection(edm) {
                count = true;
                break;
            }
            let def = find_complex_property(edm, seg).ok_or_else(|| not_found(seg, edm))?;
            segs.push(def.name);
            edm = def.edm;
        }
        if !count && is_complex(edm) {
            // Comparing a whole complex value is never supported.
            return Err(self.unsupported(rule.name));
        }
        Ok(Resolved {
            path: Path {
                root,
                segs: segs.into(),
            },
            edm,
            rule,
            in_lambda,
            count,
        })
    }
}

fn literal_type(lit: &Literal) -> &'static str {
    match lit {
        Literal::Null => "null",
        Literal::Bool(_) => "Edm.Boolean",
        Literal::Int(_) => "Edm.Int32",
        Literal::Str(_) => "Edm.String",
        Literal::Guid(_) => "Edm.Guid",
        Literal::DateTime(s) if s.len() == 10 => "Edm.Date",
        Literal::DateTime(_) => "Edm.DateTimeOffset",
    }
}

fn incompatible(edm: &str, lit: &Literal, op: CmpOp) -> ODataError {
    ODataError::bad_request(format!(
        "A binary operator with incompatible types was detected. Found operand types '{edm}' and '{}' for operator kind '{}'.",
        literal_type(lit),
        op.kind()
    ))
}

/// Type-checks a literal against the property's type and converts it to its evaluation form.
fn typed(edm: &str, lit: &Literal, op: CmpOp) -> Result<Lit, ODataError> {
    let edm = element_type(edm);
    let string_like =
        edm == "Edm.String" || (edm.starts_with("microsoft.graph.") && !is_complex(edm));
    Ok(match lit {
        Literal::Str(s) if string_like => Lit::Str(s.to_lowercase().into()),
        Literal::Guid(g) if edm == "Edm.Guid" => Lit::Guid(g.to_ascii_lowercase().into()),
        Literal::Bool(b) if edm == "Edm.Boolean" => Lit::Bool(*b),
        Literal::Int(n) if matches!(edm, "Edm.Int32" | "Edm.Int64" | "Edm.Int16" | "Edm.Byte") => {
            Lit::Int(*n)
        }
        Literal::DateTime(s) if edm == "Edm.DateTimeOffset" => match parse_timestamp(s) {
            Some(t) => Lit::Time(t),
            None => {
                return Err(ODataError::bad_request(format!(
                    "Invalid filter clause: '{s}' is not a valid Edm.DateTimeOffset value."
                )));
            }
        },
        _ => return Err(incompatible(edm, lit, op)),
    })
}
