//! Whether a text has exactly a shape, checked while it is parsed, without
//! building anything: the fast path of the readers. Only when it has not
//! is the text read as a tree and walked, to say where.
//!
//! serde's derives alone are not enough: they take a list for a struct (its
//! fields by position, the missing ones at their defaults).

use super::shape::{Ctx, Need, Obj, Ty, Walker};
use super::tree::Node;
use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Whether `text` is JSON of exactly the shape `ty`: no unknown, duplicate
/// or missing key, every value of its type.
pub(crate) fn fits(text: &str, ty: &'static Ty) -> bool {
    let mut de = serde_json::Deserializer::from_str(text);
    Fits(ty).deserialize(&mut de).is_ok() && de.end().is_ok()
}

#[derive(Clone, Copy)]
struct Fits(&'static Ty);

fn no<E: Error>() -> Result<(), E> {
    Err(E::custom("not of the shape"))
}

impl<'de> DeserializeSeed<'de> for Fits {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Fits {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value of the shape")
    }

    fn visit_bool<E: Error>(self, _: bool) -> Result<(), E> {
        no()
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<(), E> {
        match self.0 {
            Ty::Uint(max) if v <= *max => Ok(()),
            Ty::Float => Ok(()),
            Ty::Option(inner) => Fits(inner).visit_u64(v),
            _ => no(),
        }
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<(), E> {
        match self.0 {
            Ty::Uint(max) if u64::try_from(v).is_ok_and(|v| v <= *max) => Ok(()),
            Ty::Float => Ok(()),
            Ty::Option(inner) => Fits(inner).visit_i64(v),
            _ => no(),
        }
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<(), E> {
        match self.0 {
            Ty::Float => Ok(()),
            Ty::Option(inner) => Fits(inner).visit_f64(v),
            _ => no(),
        }
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<(), E> {
        match self.0 {
            Ty::Str => Ok(()),
            Ty::Enum(names) if names.contains(&v) => Ok(()),
            Ty::Option(inner) => Fits(inner).visit_str(v),
            _ => no(),
        }
    }

    fn visit_unit<E: Error>(self) -> Result<(), E> {
        match self.0 {
            Ty::Option(_) => Ok(()),
            _ => no(),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        match self.0 {
            Ty::List(item) => {
                while seq.next_element_seed(Fits(item))?.is_some() {}
                Ok(())
            }
            Ty::Array(item, n) => {
                let mut count = 0;
                while seq.next_element_seed(Fits(item))?.is_some() {
                    count += 1;
                }
                if count == *n { Ok(()) } else { no() }
            }
            Ty::Option(inner) => Fits(inner).visit_seq(seq),
            _ => no(),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        match self.0 {
            Ty::Obj(obj) => object(obj, map),
            Ty::Tagged(..) => {
                // Small objects whose variant is known only at their tag: walk them as a tree.
                let node = Node::deserialize(MapAccessDeserializer::new(map))?;
                let ctx = Ctx {
                    entity: "travel",
                    id: None,
                };
                if Walker::default().value(&node, self.0, "", ctx) {
                    Ok(())
                } else {
                    no()
                }
            }
            Ty::Option(inner) => Fits(inner).visit_map(map),
            _ => no(),
        }
    }
}

fn object<'de, A: MapAccess<'de>>(obj: &'static Obj, mut map: A) -> Result<(), A::Error> {
    let mut seen = vec![false; obj.fields.len()];
    while let Some(key) = map.next_key::<String>()? {
        let Some(i) = obj.fields.iter().position(|f| f.name == key) else {
            return no();
        };
        if std::mem::replace(&mut seen[i], true) {
            return no();
        }
        map.next_value_seed(Fits(&obj.fields[i].ty))?;
    }
    let complete = obj
        .fields
        .iter()
        .zip(&seen)
        .all(|(f, &seen)| seen || f.need == Need::Optional);
    if complete { Ok(()) } else { no() }
}
