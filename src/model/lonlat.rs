//! Serde for `geo::Point<f64>` as a `[lon, lat]` pair (GeoJSON order).

use geo::Point;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub(crate) fn serialize<S: Serializer>(p: &Point<f64>, s: S) -> Result<S::Ok, S::Error> {
    [p.x(), p.y()].serialize(s)
}

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Point<f64>, D::Error> {
    let [lon, lat] = <[f64; 2]>::deserialize(d)?;
    Ok(Point::new(lon, lat))
}

pub(crate) mod option {
    use geo::Point;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        p: &Option<Point<f64>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        p.map(|p| [p.x(), p.y()]).serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Point<f64>>, D::Error> {
        Ok(Option::<[f64; 2]>::deserialize(d)?.map(|[lon, lat]| Point::new(lon, lat)))
    }
}

/// Whether a point is finite WGS84: lon in [-180, 180], lat in [-90, 90].
pub(crate) fn is_valid(p: Point<f64>) -> bool {
    p.x().is_finite()
        && p.y().is_finite()
        && (-180.0..=180.0).contains(&p.x())
        && (-90.0..=90.0).contains(&p.y())
}
