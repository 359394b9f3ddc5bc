//! RFC 2782 ordering by priority and weight, with randomness from a host-supplied seed.
//!
//! The generator is SplitMix64, written here on purpose: the plan for a given seed is part of the
//! public contract (Rust, C and JS must print the same plan, and a seed must give the same plan
//! after a dependency upgrade), so its output must not depend on another crate's version.

/// A small deterministic generator (SplitMix64), seeded by the host.
#[derive(Clone, Debug)]
pub struct SeededRng {
    state: u64,
}

impl SeededRng {
    /// A generator whose whole output is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..=max`, without modulo bias (rejection sampling).
    pub fn uniform_inclusive(&mut self, max: u64) -> u64 {
        if max == u64::MAX {
            return self.next_u64();
        }
        let range = max + 1;
        let zone = u64::MAX - (u64::MAX % range);
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % range;
            }
        }
    }
}

/// Orders `items` as RFC 2782 asks: by ascending priority, and within one priority by the
/// weighted draw (decision D5).
///
/// Within a priority level the records are first shuffled uniformly, then the weight-0 records
/// are moved to the front, then one record at a time is drawn: a uniform integer in `[0, sum]`
/// selects the first record whose running weight sum reaches it. A weight-0 record therefore wins
/// a step with probability 1/(sum+1), and when all weights are 0 the order is uniform. As in the
/// RFC's literal algorithm, with no weight-0 records the first record has a slight edge
/// ((w₁+1)/(S+1)); we keep the literal algorithm for conformance.
///
/// Cost: O(n log n). Every path gives it at most [`crate::dns::MAX_RECORDS`] records per label
/// (`receive` and the zone host through the wire reader, `receive_records` by its own cap).
pub(crate) fn rfc2782_order<T>(
    mut items: Vec<T>,
    priority: impl Fn(&T) -> u16,
    weight: impl Fn(&T) -> u16,
    rng: &mut SeededRng,
) -> Vec<T> {
    items.sort_by_key(|t| priority(t));
    // Each level is ordered where it lies: a level of one record (the common case) costs no
    // allocation, longer ones share one scratch (issue 16 §1).
    let mut scratch = Scratch::default();
    let mut rest = items.as_mut_slice();
    while let Some(first) = rest.first() {
        let p = priority(first);
        let len = rest
            .iter()
            .position(|t| priority(t) != p)
            .unwrap_or(rest.len());
        let (level, after) = rest.split_at_mut(len);
        order_level(level, &weight, rng, &mut scratch);
        rest = after;
    }
    items
}

/// What ordering a level of several records needs, kept from one level to the next.
#[derive(Default)]
struct Scratch {
    weights: Vec<u64>,
    sums: RunningSums,
    /// The positions picked, in the order picked.
    picks: Vec<usize>,
    /// Which positions are picked already.
    taken: Vec<bool>,
}

/// One priority level in RFC 2782 order, in place. Each step draws a uniform integer in
/// `[0, sum]` over the records left and takes the first whose running weight sum reaches it.
/// The running sums live in a Fenwick tree, so a step costs O(log n) and a level O(n log n)
/// (the literal algorithm, rescanning the level per step, is quadratic); the draws and the
/// picks are the literal algorithm's, so a seed gives the same order (the test
/// `matches_the_literal_algorithm` compares them).
fn order_level<T>(
    level: &mut [T],
    weight: &impl Fn(&T) -> u16,
    rng: &mut SeededRng,
    scratch: &mut Scratch,
) {
    // Fisher-Yates shuffle, so that the "any order" of the RFC is uniform.
    for i in (1..level.len()).rev() {
        let j = rng.uniform_inclusive(i as u64) as usize;
        level.swap(i, j);
    }
    // Stable partition: weight-0 records first.
    level.sort_by_key(|t| weight(t) != 0);
    if let [only] = &*level {
        // One record (the common case): its draw is still made, so that the generator moves on
        // exactly as it does for a longer level.
        rng.uniform_inclusive(u64::from(weight(only)));
        return;
    }
    let Scratch {
        weights,
        sums,
        picks,
        taken,
    } = scratch;
    weights.clear();
    weights.extend(level.iter().map(|t| u64::from(weight(t))));
    sums.reset(weights);
    picks.clear();
    taken.clear();
    taken.resize(level.len(), false);
    // The first record left: a draw of 0 picks it, whatever its weight.
    let mut first = 0;
    for _ in 0..level.len() {
        let draw = rng.uniform_inclusive(sums.total);
        while taken[first] {
            first += 1;
        }
        // With a draw above 0, the first position whose running sum reaches it has a
        // non-zero weight, so it is a record still left.
        let pick = if draw == 0 {
            first
        } else {
            sums.first_reaching(draw)
        };
        sums.remove(pick, weights[pick]);
        taken[pick] = true;
        picks.push(pick);
    }
    permute(level, picks);
}

/// Reorders `items` so that position `i` holds what was at `order[i]` (`order` a permutation
/// of the positions), by swaps along each cycle; `order` is used up (left as the identity).
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = std::mem::replace(&mut order[at], at);
            if from == start || from == at {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Running weight sums over positions (a Fenwick tree): removal and "first position whose
/// running sum reaches x" in O(log n).
#[derive(Default)]
struct RunningSums {
    tree: Vec<u64>,
    total: u64,
}

impl RunningSums {
    /// The sums of `weights`, in the tree's own storage.
    fn reset(&mut self, weights: &[u64]) {
        self.tree.clear();
        self.tree.resize(weights.len() + 1, 0);
        let tree = &mut self.tree;
        for (i, w) in weights.iter().enumerate() {
            tree[i + 1] += w;
            let parent = (i + 1) + ((i + 1) & (i + 1).wrapping_neg());
            if parent < tree.len() {
                tree[parent] += tree[i + 1];
            }
        }
        self.total = weights.iter().sum();
    }

    fn remove(&mut self, position: usize, weight: u64) {
        self.total -= weight;
        let mut i = position + 1;
        while i < self.tree.len() {
            self.tree[i] -= weight;
            i += i & i.wrapping_neg();
        }
    }

    /// The first position whose running sum is at least `x` (`1 <= x <= total`).
    fn first_reaching(&self, x: u64) -> usize {
        let mut position = 0;
        let mut left = x;
        let mut step = (self.tree.len() - 1).checked_ilog2().map_or(0, |b| 1 << b);
        while step > 0 {
            let next = position + step;
            if next < self.tree.len() && self.tree[next] < left {
                position = next;
                left -= self.tree[next];
            }
            step >>= 1;
        }
        position
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rr = (u16, u16, &'static str);

    fn order(items: &[Rr], seed: u64) -> String {
        let mut rng = SeededRng::new(seed);
        rfc2782_order(items.to_vec(), |r| r.0, |r| r.1, &mut rng)
            .iter()
            .map(|r| r.2)
            .collect()
    }

    #[test]
    fn s2782_prio_lower_priority_always_first() {
        // Security scenario 85: a(1,10) first; b(2,90) second more often than c(2,10).
        let rrs = [(2, 90, "b"), (1, 10, "a"), (2, 10, "c")];
        let mut b_second = 0;
        for seed in 0..1000 {
            let o = order(&rrs, seed);
            assert!(o.starts_with('a'), "{o}");
            if o == "abc" {
                b_second += 1;
            }
        }
        assert!(b_second > 800, "b second {b_second} times of 1000");
    }

    #[test]
    fn d5_s2782_wt2_a_seed_fixes_the_order() {
        // Seed 42, worked through step by step (and checked against a separate model of the
        // algorithm): the Fisher-Yates draws are 1 of 0..=3, 1 of 0..=2 and 0 of 0..=1, so
        // abcd becomes cadb; the weighted draws are then 4 of 0..=4 (b), 2 of 0..=3 (a),
        // 0 of 0..=2 (c) and 1 of 0..=1 (d).
        let rrs = [(1, 1, "a"), (1, 1, "b"), (1, 1, "c"), (1, 1, "d")];
        assert_eq!(order(&rrs, 42), "bacd");
        // Other seeds give other orders, so the fixed order above depends on the seed.
        assert_eq!(order(&rrs, 41), "dabc");
        assert_eq!(order(&rrs, 44), "badc");
        let distinct: std::collections::HashSet<_> = (0..50).map(|s| order(&rrs, s)).collect();
        assert!(distinct.len() > 5);
    }

    #[test]
    fn d5_generator_is_splitmix64() {
        // The first outputs of SplitMix64 from seed 0, as published with the reference code.
        let mut rng = SeededRng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn s2782_wt2_first_pick_share_matches_weights() {
        // Security scenario 86: weights 60/30/10, share of first picks within ±5 % over draws.
        let rrs = [(1, 60, "a"), (1, 30, "b"), (1, 10, "c")];
        let n = 10_000u64;
        let mut counts = [0u32; 3];
        for seed in 0..n {
            let first = order(&rrs, seed).chars().next().unwrap();
            counts[(first as u8 - b'a') as usize] += 1;
        }
        for (i, w) in [60.0, 30.0, 10.0].iter().enumerate() {
            let share = f64::from(counts[i]) / n as f64;
            assert!((share - w / 100.0).abs() < 0.05, "{i}: {share}");
        }
    }

    #[test]
    fn s2782_wt1_zero_weight_is_rarely_first() {
        // Security scenario 88 (GLib vector): e(1,0) f(1,50): `e` first with P = 1/51.
        let rrs = [
            (2, 0, "a"),
            (2, 10, "b"),
            (2, 15, "c"),
            (2, 5, "d"),
            (1, 0, "e"),
            (1, 50, "f"),
        ];
        let n = 20_000u64;
        let mut ef = 0;
        let mut fecbda = 0;
        for seed in 0..n {
            let o = order(&rrs, seed);
            assert!(o.starts_with("fe") || o.starts_with("ef"), "{o}");
            ef += u32::from(o.starts_with("ef"));
            fecbda += u32::from(o == "fecbda");
        }
        let p_ef = f64::from(ef) / n as f64;
        assert!((p_ef - 1.0 / 51.0).abs() < 0.006, "P(ef) = {p_ef}");
        let p = f64::from(fecbda) / n as f64;
        assert!((p - 0.247).abs() < 0.02, "P(fecbda) = {p}");
    }

    #[test]
    fn d5_all_zero_weights_give_every_permutation() {
        // Security scenario 89.
        let rrs = [(0, 0, "a"), (0, 0, "b"), (0, 0, "c")];
        let seen: std::collections::HashSet<_> = (0..300).map(|s| order(&rrs, s)).collect();
        assert_eq!(seen.len(), 6, "{seen:?}");
    }

    /// The RFC's literal algorithm, rescanning the level at every step: the model the
    /// O(n log n) [`order_level`] must agree with.
    fn literal<T>(items: Vec<T>, weight: impl Fn(&T) -> u16, seed: u64) -> Vec<T> {
        let mut rng = SeededRng::new(seed);
        let mut level = items;
        for i in (1..level.len()).rev() {
            let j = rng.uniform_inclusive(i as u64) as usize;
            level.swap(i, j);
        }
        level.sort_by_key(|t| weight(t) != 0);
        let mut out = Vec::new();
        while !level.is_empty() {
            let sum: u64 = level.iter().map(|t| u64::from(weight(t))).sum();
            let draw = rng.uniform_inclusive(sum);
            let mut running = 0u64;
            let mut pick = level.len() - 1;
            for (i, t) in level.iter().enumerate() {
                running += u64::from(weight(t));
                if running >= draw {
                    pick = i;
                    break;
                }
            }
            out.push(level.remove(pick));
        }
        out
    }

    // Requirements: S2782-wt2, D5.
    #[test]
    fn matches_the_literal_algorithm() {
        let mut input = SeededRng::new(99);
        // One scratch for every level, as `rfc2782_order` shares it.
        let mut scratch = Scratch::default();
        for seed in 0..2_000u64 {
            let n = input.uniform_inclusive(40) as usize;
            let zeros = input.uniform_inclusive(3);
            let items: Vec<(u16, usize)> = (0..n)
                .map(|i| {
                    let w = match input.uniform_inclusive(3) {
                        0 if zeros > 0 => 0,
                        1 => input.uniform_inclusive(3) as u16,
                        2 => u16::MAX - input.uniform_inclusive(2) as u16,
                        _ => input.uniform_inclusive(1000) as u16,
                    };
                    (w, i)
                })
                .collect();
            let mut rng = SeededRng::new(seed);
            let mut fast = items.clone();
            order_level(&mut fast, &|t: &(u16, usize)| t.0, &mut rng, &mut scratch);
            assert_eq!(fast, literal(items, |t| t.0, seed), "seed {seed}");
        }
    }

    #[test]
    fn uniform_inclusive_stays_in_range_and_covers_it() {
        let mut rng = SeededRng::new(7);
        let mut seen = [false; 4];
        for _ in 0..1000 {
            let x = rng.uniform_inclusive(3);
            seen[x as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(rng.uniform_inclusive(0), 0);
        // The whole u64 range takes the next raw output unchanged (no rejection, no modulo).
        let mut copy = rng.clone();
        assert_eq!(rng.uniform_inclusive(u64::MAX), copy.next_u64());
        assert_eq!(rng.next_u64(), copy.next_u64());
    }
}
