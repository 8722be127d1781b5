//! The Lagrangian relaxation of "each customer is served once": with a
//! multiplier `u_j` per customer, facility i is worth
//! `ρ_i = fixed_i + Σ_j min(0, c_ij − u_j)`, and the relaxation opens the
//! facilities fixed open plus the best free ones the count allows. Its value
//! `Σ_j u_j + Σ_open ρ_i` is a lower bound for every multiplier vector.

use super::Count;
use super::core::{Core, Fix};

/// The relaxation at one multiplier vector.
pub(super) struct Relaxed {
    /// The bound `Σ_j u_j + Σ_open ρ_i`.
    pub value: f64,
    /// Facilities open in the relaxation (fixed-open ones included).
    pub chosen: Vec<bool>,
    /// Per free facility, how much the bound rises when it is forced to the
    /// other side (infinite when the count forbids it).
    pub penalty: Vec<f64>,
}

/// Evaluates the relaxation; `None` when the fixings break the count rule.
///
/// `arcs` are the customers' arcs (by cost), perhaps without facilities
/// closed everywhere in the subtree.
pub(super) fn relax(
    core: &Core,
    arcs: &[Vec<(u32, f64)>],
    fix: &[Fix],
    u: &[f64],
) -> Option<Relaxed> {
    let n = core.n;
    let mut rho: Vec<f64> = core.fixed.clone();
    for (j, arcs) in arcs.iter().enumerate() {
        let uj = u[j];
        for &(i, c) in arcs {
            if c >= uj {
                break;
            }
            rho[i as usize] += c - uj;
        }
    }
    let mut value: f64 = u.iter().sum();
    let mut chosen = vec![false; n];
    let mut forced = 0;
    let mut free: Vec<u32> = Vec::with_capacity(n);
    for i in 0..n {
        match fix[i] {
            Fix::Open => {
                chosen[i] = true;
                value += rho[i];
                if !core.always[i] {
                    forced += 1;
                }
            }
            Fix::Free => free.push(i as u32),
            Fix::Closed => {}
        }
    }
    free.sort_by(|&a, &b| rho[a as usize].total_cmp(&rho[b as usize]).then(a.cmp(&b)));
    let room = match core.limit() {
        Some(p) => p.checked_sub(forced)?,
        None => free.len(),
    };
    let exactly = matches!(core.count, Count::Exactly(_));
    if exactly && free.len() < room {
        return None;
    }
    // The number of free facilities the relaxation opens.
    let take = if exactly {
        room
    } else {
        free.iter()
            .take(room)
            .take_while(|&&i| rho[i as usize] < 0.0)
            .count()
    };
    for &i in &free[..take] {
        chosen[i as usize] = true;
        value += rho[i as usize];
    }
    let last_in = take.checked_sub(1).map(|k| rho[free[k] as usize]);
    let first_out = free.get(take).map(|&i| rho[i as usize]);
    let mut penalty = vec![0.0; n];
    for (k, &i) in free.iter().enumerate() {
        let r = rho[i as usize];
        penalty[i as usize] = if k < take {
            // Forced closed: the next free facility takes its place, if the rule wants one.
            let next = first_out.unwrap_or(f64::INFINITY);
            if exactly { next - r } else { next.min(0.0) - r }
        } else if exactly || take == room {
            // Forced open: it replaces the worst chosen one.
            match last_in {
                Some(l) => r - l,
                None => f64::INFINITY,
            }
        } else {
            r
        };
    }
    Some(Relaxed {
        value,
        chosen,
        penalty,
    })
}

/// The subgradient `1 − (the number of open facilities with c_ij < u_j)` of
/// each customer, into `g`; returns `Σ g_j²`.
pub(super) fn subgradient(
    arcs: &[Vec<(u32, f64)>],
    u: &[f64],
    chosen: &[bool],
    g: &mut [f64],
) -> f64 {
    let mut norm = 0.0;
    for (j, arcs) in arcs.iter().enumerate() {
        let mut served = 0.0;
        for &(i, c) in arcs {
            if c >= u[j] {
                break;
            }
            if chosen[i as usize] {
                served += 1.0;
            }
        }
        g[j] = 1.0 - served;
        norm += g[j] * g[j];
    }
    norm
}
