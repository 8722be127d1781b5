//! Who may take each request, found once: the sites (technicians' bases)
//! near it with a technician who could serve it alone, its nearest
//! requests (whose routes are the natural places for it), and which
//! requests any plan could serve at all.

use crate::dispatch::days::Req;
use crate::dispatch::eligibility::LegCache;
use crate::dispatch::table::TechTable;
use crate::model::Scenario;
use crate::spatial::GeoIndex;
use rayon::prelude::*;

/// The search's view of who may take what.
pub(crate) struct Candidates {
    /// Per request: the nearest sites with a technician who could serve it
    /// alone, nearest first.
    pub sites: Vec<Vec<u32>>,
    /// Per request: its nearest other requests, nearest first.
    pub near: Vec<Vec<u32>>,
    /// Per request: some technician could serve it alone (else no plan can,
    /// and leaving it out costs nothing).
    pub servable: Vec<bool>,
    /// Per site: its technicians, ascending.
    pub site_techs: Vec<Vec<u32>>,
}

impl Candidates {
    /// Candidates of every request, in parallel: up to `sites` sites and
    /// `near` nearest requests each; technicians no farther than `max_km`
    /// road km from the request.
    pub fn new(
        s: &Scenario,
        table: &TechTable,
        reqs: &[Req],
        sites: usize,
        near: usize,
        max_km: f64,
    ) -> Candidates {
        let mut site_techs: Vec<Vec<u32>> = vec![Vec::new(); table.sites()];
        for (t, &site) in table.site_of.iter().enumerate() {
            site_techs[site as usize].push(t as u32);
        }
        let found: Vec<Vec<u32>> = s
            .requests()
            .par_iter()
            .zip(reqs)
            .map(|(r, req)| {
                let mut out: Vec<u32> = Vec::with_capacity(sites);
                if !req.needs.known || sites == 0 {
                    return out;
                }
                let radius = table.search_radius_km(s.travel(), r, max_km);
                let mut legs = LegCache::default();
                for (t, km) in table.eligible_near(&req.needs, r.location) {
                    if km > radius || out.len() >= sites {
                        break;
                    }
                    let site = table.site_of[t];
                    if out.contains(&site) {
                        continue;
                    }
                    let leg = legs.get(s, table, t, r.location);
                    if table.alone(s, t, r, &req.needs, leg, max_km).is_some() {
                        out.push(site);
                    }
                }
                out
            })
            .collect();
        let servable = found.iter().map(|f| !f.is_empty()).collect();
        let index = GeoIndex::new(
            s.requests()
                .iter()
                .enumerate()
                .map(|(i, r)| (r.location, i as u32)),
        );
        let nearest: Vec<Vec<u32>> = s
            .requests()
            .par_iter()
            .enumerate()
            .map(|(i, r)| {
                if near == 0 {
                    return Vec::new();
                }
                index
                    .k_nearest_where(r.location, near + 1, f64::INFINITY, |&j| j as usize != i)
                    .into_iter()
                    .map(|(j, _)| j)
                    .take(near)
                    .collect()
            })
            .collect();
        Candidates {
            sites: found,
            near: nearest,
            servable,
            site_techs,
        }
    }
}
