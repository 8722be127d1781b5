//! The regional service center's rule: the nearest technician of the
//! request's own sales region first, whatever the policy allows.

use super::{DispatchStrategy, Nearest, Plan};
use crate::error::Result;
use crate::model::Scenario;

/// [`Nearest`], but each request stays in its sales region while any
/// technician of the region in reach has room, even when the policy's
/// [`RegionRule::Freely`](crate::RegionRule::Freely) would let it cross for a
/// nearer one. Under the other region rules it is `Nearest`.
///
/// # Example
/// ```
/// use servnet::{DispatchStrategy, RegionNearest, RegionRule, generate::{Generator, Preset}};
/// let mut policy = servnet::Policy::default();
/// policy.region = RegionRule::Freely;
/// let day = Generator::new(Preset::National).requests(300).seed(1).policy(policy).build()?;
/// let plan = RegionNearest::new().dispatch(&day)?;
/// assert!(servnet::verify(&day, &plan).is_empty());
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RegionNearest {
    inner: Nearest,
}

impl RegionNearest {
    /// The default reach of [`Nearest`] (300 road km).
    pub fn new() -> Self {
        RegionNearest::default()
    }

    /// The farthest a technician may travel, in road km.
    pub fn max_km(mut self, km: f64) -> Self {
        self.inner = self.inner.max_km(km);
        self
    }
}

impl DispatchStrategy for RegionNearest {
    fn name(&self) -> &str {
        "region_nearest"
    }

    fn dispatch(&self, s: &Scenario) -> Result<Plan> {
        let mut plan = self.inner.region_first().dispatch(s)?;
        plan.strategy = self.name().to_string();
        Ok(plan)
    }
}
