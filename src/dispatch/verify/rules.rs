//! The checker's own statement of the rules it shares with the strategies:
//! the tolerance of its comparisons, the catalog's minutes on site at a
//! technician's levels, who works for which outlet, and a city's region.

use super::violation::{At, Out, ViolationCode};
use crate::model::{
    CategoryId, CityId, OutletId, RegionId, Scenario, ServiceRequest, SkillLevel, Technician,
};

/// Relative tolerance of every comparison of figures and times.
pub(super) const TOL: f64 = 1e-6;

/// Equal within the checker's tolerance; an infinity or NaN is close to nothing but itself.
pub(super) fn close(a: f64, b: f64) -> bool {
    a == b
        || (a.is_finite() && b.is_finite() && (a - b).abs() <= TOL * a.abs().max(b.abs()).max(1.0))
}

/// Whether `x` is above `limit` by more than the checker's tolerance.
pub(super) fn above(x: f64, limit: f64) -> bool {
    x > limit + TOL * limit.abs().max(1.0)
}

/// The region of a city, `None` for a city the scenario does not have.
pub(super) fn region(s: &Scenario, city: CityId) -> Option<RegionId> {
    s.city(city).map(|c| c.region)
}

/// Whether technician `t` works for `outlet`; reports a
/// [`ViolationCode::WrongOutlet`] at `at` when it does not.
pub(super) fn works_for(t: &Technician, outlet: OutletId, at: At, out: &mut Out) -> bool {
    if t.outlet == outlet {
        return true;
    }
    out.add(
        ViolationCode::WrongOutlet,
        at,
        format!("the technician works for outlet {}", t.outlet),
    );
    false
}

/// Minutes on site of technician `t` of outlet `o` at request `r`, or the
/// first category it does not cover at the level the difficulty needs.
pub(super) fn service_minutes(
    s: &Scenario,
    t: &Technician,
    outlet_categories: &[CategoryId],
    r: &ServiceRequest,
) -> Result<f64, String> {
    let need = SkillLevel::for_difficulty(r.difficulty);
    let mut minutes = 0.0;
    for &c in &r.categories {
        let level = t.skills.iter().find(|k| k.category == c).map(|k| k.level);
        match (level, s.category(c)) {
            (Some(level), Some(cat)) if level >= need && outlet_categories.contains(&c) => {
                minutes += s.catalog().service_minutes(cat, r.kind, level);
            }
            _ => {
                return Err(format!(
                    "category {c} at level {need:?} is not covered (technician has {level:?}, outlet serves it: {})",
                    outlet_categories.contains(&c)
                ));
            }
        }
    }
    Ok(minutes)
}

#[cfg(test)]
mod tests {
    use super::close;

    #[test]
    fn an_infinite_or_missing_figure_is_close_to_nothing_else() {
        assert!(close(1.0, 1.0 + 1e-9));
        assert!(!close(1.0, 1.1));
        for x in [0.0, 5.0, 1e308, f64::NEG_INFINITY] {
            assert!(!close(f64::INFINITY, x), "{x}");
            assert!(!close(x, f64::INFINITY), "{x}");
            assert!(!close(f64::NAN, x), "{x}");
        }
        assert!(close(f64::INFINITY, f64::INFINITY));
    }
}
