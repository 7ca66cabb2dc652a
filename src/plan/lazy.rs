//! The lazy greedy engine (CELF) shared by both objectives, with the cardinality limit and the
//! budgeted (cost-benefit) variant.
//!
//! The engine only decides *which* candidates to pick, in which order; each objective then
//! replays the picks to report what they do. An objective supplies the marginal gain of a
//! candidate in the current state ([`Marginal::gain`]) and applies a pick ([`Marginal::commit`]).
//! Gains must never increase as picks are committed (submodularity, computed so that it also holds
//! in floating point): a gain computed in an earlier round is then an upper bound of the current
//! one, which is what makes lazy evaluation exact.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A marginal gain: the objective's `value`, then a secondary `tie` value that decides between
/// equal values (both non-increasing over the rounds; compared exactly, `value` first).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Gain {
    pub value: f64,
    pub tie: f64,
}

impl Gain {
    fn cmp_key(&self, other: &Gain) -> Ordering {
        self.value.total_cmp(&other.value).then_with(|| self.tie.total_cmp(&other.tie))
    }
    /// The gain per unit cost (division is monotone, so bounds stay bounds).
    fn per(self, cost: f64) -> Gain {
        Gain { value: self.value / cost, tie: self.tie / cost }
    }
}

/// An objective the engine can maximise greedily.
pub trait Marginal {
    /// Marginal gain of candidate `c` given the picks committed so far.
    fn gain(&self, c: usize) -> Gain;
    /// Adds candidate `c` to the picks.
    fn commit(&mut self, c: usize);
}

/// A knapsack limit: candidate `c` costs `cost[c]` (finite, positive), the picks together at most
/// `limit`.
#[derive(Clone, Copy, Debug)]
pub struct Budget<'a> {
    pub cost: &'a [f64],
    pub limit: f64,
}

/// What the engine chose.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// Candidates in the order picked.
    pub picks: Vec<usize>,
    /// Marginal gains computed (initial ones plus lazy re-evaluations).
    pub evaluations: usize,
    /// Budgeted runs only: the best single affordable candidate gained more than the whole
    /// cost-benefit greedy set, so it alone is the answer (`picks` = that candidate).
    pub single_instead: bool,
}

/// A heap entry: a key computed in round `round` (an upper bound of the current key). Ordered by
/// key, then lower candidate index first.
#[derive(Clone, Copy, Debug)]
struct Entry {
    key: Gain,
    gain: Gain,
    candidate: usize,
    round: usize,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp_key(&other.key).then_with(|| other.candidate.cmp(&self.candidate))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}

/// Greedy over `candidates` (indices, each at most once): up to `count` picks, each time the
/// candidate of largest key — its gain, or with a budget its gain per unit cost among the
/// candidates that still fit — ties to the lower index; stops when the best gain is not positive.
/// With a budget, the result is then compared with the best single affordable candidate (its gain
/// before any pick) and the better of the two kept (Khuller, Moss & Naor 1999). `m` is left with
/// the greedy picks committed (not the single candidate).
pub fn lazy_greedy(
    m: &mut impl Marginal,
    candidates: impl IntoIterator<Item = usize>,
    count: usize,
    budget: Option<Budget>,
) -> Choice {
    let mut choice = Choice { picks: Vec::new(), evaluations: 0, single_instead: false };
    if count == 0 {
        return choice;
    }
    let cost = |c: usize| budget.map_or(1.0, |b| b.cost[c]);
    let fits = |c: usize, spent: f64| budget.is_none_or(|b| spent + b.cost[c] <= b.limit);
    let key = |g: Gain, c: usize| if budget.is_some() { g.per(cost(c)) } else { g };
    // Round 0: every gain, and the best single affordable candidate.
    let mut single: Option<(Gain, usize)> = None;
    let mut heap = BinaryHeap::new();
    for c in candidates {
        let g = m.gain(c);
        choice.evaluations += 1;
        if !fits(c, 0.0) {
            continue;
        }
        if single.is_none_or(|(s, sc)| g.cmp_key(&s).then(sc.cmp(&c)) == Ordering::Greater) {
            single = Some((g, c));
        }
        heap.push(Entry { key: key(g, c), gain: g, candidate: c, round: 0 });
    }
    let mut spent = 0.0;
    let mut total = 0.0;
    while choice.picks.len() < count {
        let Some(mut top) = heap.pop() else { break };
        if !fits(top.candidate, spent) {
            // The budget left only shrinks: this candidate never fits again.
            continue;
        }
        let round = choice.picks.len();
        if top.round != round {
            let g = m.gain(top.candidate);
            choice.evaluations += 1;
            let k = key(g, top.candidate);
            debug_assert!(k.cmp_key(&top.key) != Ordering::Greater, "marginal gains must not increase");
            top = Entry { key: k, gain: g, candidate: top.candidate, round };
            if heap.peek().is_some_and(|next| *next > top) {
                heap.push(top);
                continue;
            }
        }
        // A current key at least every other candidate's upper bound: the greedy choice.
        if top.key.value <= 0.0 {
            break;
        }
        total += top.gain.value;
        spent += cost(top.candidate);
        m.commit(top.candidate);
        choice.picks.push(top.candidate);
    }
    if budget.is_some()
        && let Some((s, c)) = single
        && s.value > total
    {
        choice.picks = vec![c];
        choice.single_instead = true;
    }
    choice
}
