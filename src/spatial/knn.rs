//! Allocation-free, depth-first branch-and-bound k-nearest search over the
//! nodes of the R\*-tree.
//!
//! rstar's incremental nearest-neighbour iterator keeps a priority queue of
//! every node and leaf it has seen (and allocates once that queue outgrows a
//! small inline buffer). For "k nearest passing a filter" a depth-first
//! descent that visits children in order of their lower-bound distance and
//! prunes against the current k-th distance does much less work and needs
//! no heap at all: the recursion depth is the tree height.
//!
//! Exactness: a node's squared box distance is computed with the same
//! arithmetic as a leaf's squared distance, after clamping the query into
//! the box; clamping moves each coordinate difference towards zero, and
//! rounding is monotone, so the box distance is never larger than the
//! distance of any leaf inside it. Pruning is strict (`>`), so items tied
//! with the current k-th distance are always seen, which makes the final
//! tie-break by payload independent of the tree's shape.

use rstar::primitives::GeomWithData;
use rstar::{AABB, ParentNode, RStarInsertionStrategy, RTreeNode, RTreeParams};

use super::chord2_to_km;

/// R-tree node sizes for 3D points: bulk loading splits a full node into
/// 2 × 2 × 2 slabs, so `MAX_SIZE = 8` keeps bulk-loaded nodes full and small
/// (measured best for the k-nearest queries of `benches/spatial.rs`).
#[derive(Debug, Clone, Copy)]
pub(super) struct SphereParams;

impl RTreeParams for SphereParams {
    const MIN_SIZE: usize = 4;
    const MAX_SIZE: usize = 8;
    const REINSERTION_COUNT: usize = 2;
    type DefaultInsertionStrategy = RStarInsertionStrategy;
}

pub(super) type Entry<T> = GeomWithData<[f64; 3], T>;

/// Children sorted on the stack up to this many. Bulk loading in 3D splits
/// a node into `c³` slabs with `c = ⌈∛MAX_SIZE⌉`, so a node may hold up to
/// `c³` children (and up to `MAX_SIZE` after insertions). Larger nodes,
/// which rstar does not build, are still searched correctly, just unsorted.
const SORT_CAP: usize = {
    let max = <SphereParams as rstar::RTreeParams>::MAX_SIZE;
    let mut c = 1;
    while c * c * c < max {
        c += 1;
    }
    if c * c * c > max + 1 {
        c * c * c
    } else {
        max + 1
    }
};

/// Squared distance between two 3D points (same summation order as rstar).
#[inline]
fn dist2(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    let dz = a[2] - b[2];
    dz * dz + (dy * dy + dx * dx)
}

/// Squared distance from `q` to the box (0 inside). Never panics, whatever
/// the box (an empty box just yields a huge distance).
#[inline]
fn box_dist2(env: &AABB<[f64; 3]>, q: &[f64; 3]) -> f64 {
    let (lo, hi) = (env.lower(), env.upper());
    // Per axis, the gap from q to the box (0 inside), signed like `leaf - q`
    // so that the arithmetic matches `dist2` for the nearest point of the box.
    let gap = |i: usize| {
        if q[i] < lo[i] {
            lo[i] - q[i]
        } else if q[i] > hi[i] {
            hi[i] - q[i]
        } else {
            0.0
        }
    };
    let (dx, dy, dz) = (gap(0), gap(1), gap(2));
    dz * dz + (dy * dy + dx * dx)
}

/// Receives accepted candidates and says how far the search must still go.
pub(super) trait Collect<T> {
    /// Takes a candidate that passed the filter and the distance cap;
    /// returns the new pruning threshold (squared chord), if it shrank.
    fn accept(&mut self, payload: T, d2: f64) -> Option<f64>;
}

/// Keeps every candidate within the `k` smallest squared distances, sorted
/// by `(d2, payload)`; items tied with the `k`-th are all kept.
pub(super) struct TopK<'a, T> {
    pub(super) k: usize,
    pub(super) out: &'a mut Vec<(T, f64)>,
}

impl<T: Ord + Copy> Collect<T> for TopK<'_, T> {
    #[inline]
    fn accept(&mut self, payload: T, d2: f64) -> Option<f64> {
        let pos = self
            .out
            .partition_point(|&(t, d)| d < d2 || (d == d2 && t <= payload));
        self.out.insert(pos, (payload, d2));
        let kth = self.out.get(self.k.checked_sub(1)?)?.1;
        while self.out.last().is_some_and(|&(_, d)| d > kth) {
            self.out.pop();
        }
        Some(kth)
    }
}

/// Keeps the single nearest candidate, smallest payload on ties.
pub(super) struct Best<T> {
    pub(super) best: Option<(T, f64)>,
}

impl<T: Ord + Copy> Collect<T> for Best<T> {
    #[inline]
    fn accept(&mut self, payload: T, d2: f64) -> Option<f64> {
        let better = match self.best {
            None => true,
            Some((t, d)) => d2 < d || (d2 == d && payload < t),
        };
        if better {
            self.best = Some((payload, d2));
        }
        self.best.map(|(_, d)| d)
    }
}

/// One search: query vector, pruning threshold, distance cap and filter.
pub(super) struct Search<F, C> {
    pub(super) q: [f64; 3],
    /// Squared-chord threshold: the cap's bound at first, then the current
    /// k-th distance. Subtrees and leaves strictly beyond it are skipped.
    pub(super) threshold: f64,
    /// Exact cap in km, checked per accepted candidate when finite.
    pub(super) max_km: f64,
    pub(super) filter: F,
    pub(super) collect: C,
}

impl<F, C> Search<F, C> {
    /// Searches the subtree under `node`.
    pub(super) fn visit<T>(&mut self, node: &ParentNode<Entry<T>>)
    where
        T: Copy,
        F: FnMut(&T) -> bool,
        C: Collect<T>,
    {
        let children = node.children();
        if children.len() > SORT_CAP {
            for child in children {
                match child {
                    RTreeNode::Leaf(e) => self.offer(e),
                    RTreeNode::Parent(p) => {
                        if box_dist2(&p.envelope(), &self.q) <= self.threshold {
                            self.visit(p);
                        }
                    }
                }
            }
            return;
        }
        // Leaves are offered at once; subtrees are kept sorted by box
        // distance (insertion sort: there are only a handful).
        let mut queue = [(0.0_f64, 0_usize); SORT_CAP];
        let mut n = 0;
        for (i, child) in children.iter().enumerate() {
            match child {
                RTreeNode::Leaf(e) => self.offer(e),
                RTreeNode::Parent(p) => {
                    let d = box_dist2(&p.envelope(), &self.q);
                    if d > self.threshold || n >= SORT_CAP {
                        continue;
                    }
                    let mut j = n;
                    while j > 0 && queue[j - 1].0 > d {
                        queue[j] = queue[j - 1];
                        j -= 1;
                    }
                    queue[j] = (d, i);
                    n += 1;
                }
            }
        }
        for &(d, i) in &queue[..n] {
            if d > self.threshold {
                break;
            }
            if let Some(RTreeNode::Parent(p)) = children.get(i) {
                self.visit(p);
            }
        }
    }

    #[inline(always)]
    fn offer<T>(&mut self, e: &Entry<T>)
    where
        T: Copy,
        F: FnMut(&T) -> bool,
        C: Collect<T>,
    {
        let d2 = dist2(e.geom(), &self.q);
        if d2 > self.threshold || !(self.filter)(&e.data) {
            return;
        }
        if self.max_km.is_finite() && chord2_to_km(d2) > self.max_km {
            return;
        }
        if let Some(t) = self.collect.accept(e.data, d2) {
            self.threshold = self.threshold.min(t);
        }
    }
}
