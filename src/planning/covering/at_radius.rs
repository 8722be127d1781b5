//! A covering problem at one radius, as the set-covering instance the engine solves.

use super::CoverProblem;
use super::sc::Sc;

/// The set-covering instance of a problem at one radius: one column per
/// site that is not open yet and reaches a row, one row per customer that no
/// open site serves and some site reaches.
pub(super) struct AtRadius {
    pub sc: Sc,
    /// The site of each column.
    pub site: Vec<usize>,
    /// The customer of each row.
    pub customer: Vec<usize>,
    /// Customers no site reaches, sorted.
    pub uncovered: Vec<usize>,
}

impl AtRadius {
    /// With `unit`, every column costs 1 (the p-center's decision).
    pub fn new(p: &CoverProblem, radius: f64, unit: bool) -> AtRadius {
        let mut col_of = vec![u32::MAX; p.sites()];
        let mut site = Vec::new();
        let mut rows = Vec::new();
        let mut customer = Vec::new();
        let mut uncovered = Vec::new();
        for (j, arcs) in p.arcs.iter().enumerate() {
            let near = || arcs.iter().filter(|a| a.1 <= radius).map(|a| a.0 as usize);
            if near().any(|s| p.fixed[s]) {
                continue;
            }
            let row: Vec<u32> = near()
                .map(|s| {
                    if col_of[s] == u32::MAX {
                        col_of[s] = site.len() as u32;
                        site.push(s);
                    }
                    col_of[s]
                })
                .collect();
            if row.is_empty() {
                uncovered.push(j);
            } else {
                rows.push(row);
                customer.push(j);
            }
        }
        let cost = site
            .iter()
            .map(|&s| if unit { 1.0 } else { p.cost[s] })
            .collect();
        AtRadius {
            sc: Sc::new(cost, rows),
            site,
            customer,
            uncovered,
        }
    }

    /// The fixed-open sites and the sites of the selected columns, sorted.
    pub fn open(&self, p: &CoverProblem, sel: &[bool]) -> Vec<usize> {
        let mut open: Vec<usize> = (0..p.sites()).filter(|&s| p.fixed[s]).collect();
        open.extend(self.site.iter().zip(sel).filter(|x| *x.1).map(|x| *x.0));
        open.sort_unstable();
        open
    }
}
