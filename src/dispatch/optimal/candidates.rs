//! Who may take each request, found once: the sites (technicians' bases)
//! near it with a technician who could serve it alone, its nearest
//! requests (whose routes are the natural places for it), and which
//! requests any plan could serve at all.

use crate::dispatch::days::Req;
use crate::dispatch::eligibility::LegCache;
use crate::dispatch::eligibility::TechTable;
use crate::model::Scenario;
use crate::spatial::GeoIndex;
use rayon::prelude::*;
use std::time::Instant;

/// The most candidate technicians a request takes from one site.
pub(crate) const PER_SITE: usize = 24;

/// The search's view of who may take what.
pub(crate) struct Candidates {
    /// Per request: the nearest sites with a technician who could serve it
    /// alone, nearest first.
    pub sites: Vec<Vec<u32>>,
    /// Per request: the technicians at those sites who could serve it
    /// alone, by site (nearest first); at most [`PER_SITE`] of a site, a
    /// run that starts at a place of the site's list that depends on the
    /// request.
    pub techs: Vec<Vec<u32>>,
    /// Per request: its nearest other requests, nearest first.
    pub near: Vec<Vec<u32>>,
    /// Per request: some technician could serve it alone (else no plan can,
    /// and leaving it out costs nothing).
    pub servable: Vec<bool>,
    /// Per request: the deadline came before its candidates were looked
    /// for (it has none, and is not servable).
    pub late: Vec<bool>,
}

impl Candidates {
    /// Candidates of every request, in parallel: up to `sites` sites and
    /// `near` nearest requests each; technicians no farther than `max_km`
    /// road km from the request. Requests reached after the deadline get
    /// none.
    pub fn new(
        s: &Scenario,
        table: &TechTable,
        reqs: &[Req],
        (sites, near, max_km): (usize, usize, f64),
        deadline: Instant,
    ) -> Candidates {
        let found: Vec<Option<(Vec<u32>, Vec<u32>)>> = s
            .requests()
            .par_iter()
            .zip(reqs)
            .enumerate()
            .map(|(i, (r, req))| {
                let (mut near_sites, mut techs): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
                if Instant::now() >= deadline {
                    return None;
                }
                if !req.needs.known || sites == 0 {
                    return Some((near_sites, techs));
                }
                let radius = table.search_radius_km(s.travel(), r, max_km);
                let mut legs = LegCache::default();
                // The technicians of the site being walked, before they are kept.
                let mut here: Vec<u32> = Vec::new();
                let keep = |here: &mut Vec<u32>, techs: &mut Vec<u32>| {
                    // A site with more candidates than PER_SITE lends each request
                    // a different run of them, so that all of them get work.
                    let m = here.len();
                    if m > PER_SITE {
                        let from = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 33;
                        let from = from as usize % m;
                        techs.extend((0..PER_SITE).map(|k| here[(from + k) % m]));
                    } else {
                        techs.extend_from_slice(here);
                    }
                    here.clear();
                };
                for (t, km) in table.eligible_near(&req.needs, r.location) {
                    if km > radius {
                        break;
                    }
                    let site = table.site_of(t);
                    let new_site = near_sites.last() != Some(&site) && !near_sites.contains(&site);
                    if new_site && near_sites.len() >= sites {
                        break;
                    }
                    let leg = legs.get(s, table, t, r.location);
                    if table.alone(s, t, r, &req.needs, leg, max_km).is_some() {
                        if new_site {
                            keep(&mut here, &mut techs);
                            near_sites.push(site);
                        }
                        here.push(t as u32);
                    }
                }
                keep(&mut here, &mut techs);
                Some((near_sites, techs))
            })
            .collect();
        let late: Vec<bool> = found.iter().map(Option::is_none).collect();
        let (found, techs): (Vec<Vec<u32>>, Vec<Vec<u32>>) =
            found.into_iter().map(Option::unwrap_or_default).unzip();
        let servable = found.iter().map(|f| !f.is_empty()).collect();
        if Instant::now() >= deadline {
            return Candidates {
                sites: found,
                techs,
                near: vec![Vec::new(); s.requests().len()],
                servable,
                late,
            };
        }
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
                if near == 0 || late[i] || Instant::now() >= deadline {
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
            techs,
            near: nearest,
            servable,
            late,
        }
    }
}
