//! The shape of a JSON format, and a walk of a tree against it that reports
//! every field of the wrong type, missing, unknown or given twice, by its path.

use super::tree::Node;
use crate::error::{Problem, ProblemCode};
use std::collections::{HashMap, HashSet};

/// The type of a field.
pub(crate) enum Ty {
    /// A whole number from 0 to the bound.
    Uint(u64),
    /// Any number.
    Float,
    /// A string.
    Str,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// A list of any length.
    List(&'static Ty),
    /// A list of exactly this many.
    Array(&'static Ty, usize),
    /// The type, or `null`.
    Option(&'static Ty),
    /// An object.
    Obj(&'static Obj),
    /// An object whose field `tag` names its variant.
    Tagged(&'static str, &'static [(&'static str, &'static Obj)]),
}

/// A field of an object.
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) ty: Ty,
    pub(crate) need: Need,
}

/// Whether a field must be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// It must; a missing one is reported with the object's keys.
    Required,
    /// It has a default.
    Optional,
    /// It must, but a missing one is reported where the field is read.
    Apart,
}

/// A required field.
pub(crate) const fn req(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        need: Need::Required,
    }
}

/// A field with a default.
pub(crate) const fn opt(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        need: Need::Optional,
    }
}

/// A required field whose absence is reported where it is read.
pub(crate) const fn apart(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        need: Need::Apart,
    }
}

/// An object: its fields, and the entity problems inside it are reported for
/// (its `id` too), when it is one; `None` keeps the enclosing entity.
pub(crate) struct Obj {
    pub(crate) entity: Option<&'static str>,
    pub(crate) fields: &'static [Field],
}

/// The entity and id problems are reported for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    pub(crate) entity: &'static str,
    pub(crate) id: Option<u64>,
}

impl Ctx {
    /// The context of `node`, an object of `obj`.
    pub(crate) fn of(self, obj: &Obj, node: &Node) -> Ctx {
        match obj.entity {
            Some(entity) => Ctx {
                entity,
                id: node.get("id").and_then(Node::as_u64),
            },
            None => self,
        }
    }
}

/// `path.name`, or `name` at the top.
pub(crate) fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn describe_ty(ty: &Ty) -> String {
    match ty {
        Ty::Uint(max) => format!("a whole number in 0..={max}"),
        Ty::Float => "a number".into(),
        Ty::Str => "a string".into(),
        Ty::Enum(names) => format!("one of {}", names.join(", ")),
        Ty::List(_) => "a list".into(),
        Ty::Array(_, n) => format!("a list of {n}"),
        Ty::Option(t) => format!("{} or null", describe_ty(t)),
        Ty::Obj(_) | Ty::Tagged(..) => "an object".into(),
    }
}

/// Collects the problems of a walk.
#[derive(Default)]
pub(crate) struct Walker {
    pub(crate) problems: Vec<Problem>,
}

impl Walker {
    fn push(&mut self, code: ProblemCode, ctx: Ctx, field: String, message: String) {
        self.problems
            .push(Problem::new(code, ctx.entity, ctx.id, field, message));
    }

    fn wrong(&mut self, ctx: Ctx, path: &str, ty: &Ty, node: &Node) {
        let message = match (ty, node) {
            (Ty::Enum(names), Node::String(s)) => {
                format!("`{s}` is none of {}", names.join(", "))
            }
            _ => format!("expected {}, found {}", describe_ty(ty), node.describe()),
        };
        self.push(ProblemCode::Shape, ctx, path.to_string(), message);
    }

    /// Walks `node` as a `ty` at `path`; returns whether it has the shape.
    pub(crate) fn value(&mut self, node: &Node, ty: &Ty, path: &str, ctx: Ctx) -> bool {
        let before = self.problems.len();
        match (ty, node) {
            (Ty::Uint(max), Node::Number(n)) if n.as_u64().is_some_and(|v| v <= *max) => {}
            (Ty::Float, Node::Number(_)) | (Ty::Str, Node::String(_)) => {}
            (Ty::Enum(names), Node::String(s)) if names.contains(&s.as_str()) => {}
            (Ty::List(item), Node::Array(items)) => {
                for (i, x) in items.iter().enumerate() {
                    self.value(x, item, &format!("{path}[{i}]"), ctx);
                }
            }
            (Ty::Array(item, n), Node::Array(items)) if items.len() == *n => {
                for (i, x) in items.iter().enumerate() {
                    self.value(x, item, &format!("{path}[{i}]"), ctx);
                }
            }
            (Ty::Option(_), Node::Null) => {}
            (Ty::Option(inner), _) => {
                self.value(node, inner, path, ctx);
            }
            (Ty::Obj(obj), Node::Object(_)) => {
                self.object(node, obj, path, ctx);
            }
            (Ty::Tagged(tag, variants), Node::Object(_)) => {
                let tag_path = join(path, tag);
                let names: Vec<&str> = variants.iter().map(|(n, _)| *n).collect();
                match node.get(tag) {
                    Some(Node::String(s)) if names.contains(&s.as_str()) => {
                        if let Some((_, obj)) = variants.iter().find(|(n, _)| n == s) {
                            let ctx = ctx.of(obj, node);
                            self.fields(node, obj, &[tag], path, ctx);
                        }
                    }
                    Some(other) => {
                        let message = match other {
                            Node::String(s) => format!("`{s}` is none of {}", names.join(", ")),
                            _ => format!(
                                "expected one of {}, found {}",
                                names.join(", "),
                                other.describe()
                            ),
                        };
                        self.push(ProblemCode::Shape, ctx, tag_path, message);
                    }
                    None => self.push(
                        ProblemCode::Shape,
                        ctx,
                        tag_path,
                        format!("missing: give one of {}", names.join(", ")),
                    ),
                }
            }
            _ => self.wrong(ctx, path, ty, node),
        }
        self.problems.len() == before
    }

    /// Walks an object of `obj` at `path`; returns whether it has the shape.
    pub(crate) fn object(&mut self, node: &Node, obj: &'static Obj, path: &str, ctx: Ctx) -> bool {
        let before = self.problems.len();
        if matches!(node, Node::Object(_)) {
            let ctx = ctx.of(obj, node);
            self.fields(node, obj, &[], path, ctx);
        } else {
            self.wrong(ctx, path, &Ty::Obj(obj), node);
        }
        self.problems.len() == before
    }

    /// The keys of an object: each known and given once, the required ones
    /// present; then the value of every known field.
    fn fields(&mut self, node: &Node, obj: &Obj, extra: &[&str], path: &str, ctx: Ctx) {
        self.keys(node, obj, extra, path, ctx);
        for f in obj.fields {
            if let Some(v) = node.get(f.name) {
                self.value(v, &f.ty, &join(path, f.name), ctx);
            }
        }
    }

    /// Only the keys of an object: unknown, duplicate and missing ones.
    pub(crate) fn keys(&mut self, node: &Node, obj: &Obj, extra: &[&str], path: &str, ctx: Ctx) {
        let Node::Object(entries) = node else {
            return;
        };
        let known: Vec<&str> = obj
            .fields
            .iter()
            .map(|f| f.name)
            .chain(extra.iter().copied())
            .collect();
        let mut count: HashMap<&str, usize> = HashMap::new();
        for (key, _) in entries {
            *count.entry(key.as_str()).or_insert(0) += 1;
        }
        let mut explained: Vec<&str> = Vec::new();
        let mut reported: HashSet<&str> = HashSet::new();
        for (key, _) in entries {
            if !reported.insert(key.as_str()) {
                continue;
            }
            if count[key.as_str()] > 1 {
                self.push(
                    ProblemCode::DuplicateKey,
                    ctx,
                    join(path, key),
                    format!("`{key}` is given {} times", count[key.as_str()]),
                );
            }
            if known.contains(&key.as_str()) {
                continue;
            }
            let message = match close(key, &known) {
                Some(name) => {
                    if !count.contains_key(name) {
                        explained.push(name);
                    }
                    format!("unknown field; did you mean `{name}`?")
                }
                None => format!("unknown field; the known fields are {}", known.join(", ")),
            };
            self.push(ProblemCode::UnknownField, ctx, join(path, key), message);
        }
        for f in obj.fields {
            if f.need == Need::Required
                && !count.contains_key(f.name)
                && !explained.contains(&f.name)
            {
                self.push(
                    ProblemCode::Shape,
                    ctx,
                    join(path, f.name),
                    format!("missing: give {}", describe_ty(&f.ty)),
                );
            }
        }
    }
}

/// The known name closest to a misspelt one, when one is close: a few
/// letters apart, or one the start of the other.
pub(crate) fn close<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    if word.len() > 64 {
        return None;
    }
    known
        .iter()
        .filter_map(|&name| {
            let d = distance(word, name);
            let longest = word.chars().count().max(name.chars().count());
            let prefix = !word.is_empty() && (name.starts_with(word) || word.starts_with(name));
            (d <= (longest / 3).max(2) || prefix).then_some((d, name))
        })
        .min()
        .map(|(_, name)| name)
}

/// Edit distance (insertions, deletions, substitutions, adjacent swaps).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_found_and_far_ones_are_not() {
        let known = ["priority", "received_min", "window", "id"];
        assert_eq!(close("priorty", &known), Some("priority"));
        assert_eq!(close("recieved_min", &known), Some("received_min"));
        assert_eq!(close("colour", &known), None);
        assert_eq!(
            close("speed", &["detour_factor", "speed_kmh"]),
            Some("speed_kmh")
        );
        assert_eq!(
            close("level_factor", &["categories", "level_time_factor"]),
            Some("level_time_factor")
        );
        assert_eq!(
            close("regoin", &["rules", "region", "reach_km"]),
            Some("region")
        );
    }
}
