//! Which districts are decoded together: districts sorted into rows by the centre of their box
//! (rows of the mean box height, west to east within a row), then cut into consecutive groups whose
//! kept nodes stay under a budget. Neighbours share a group, so a block of the extract is decoded
//! for few groups; the budget bounds the memory of one group's load.
//!
//! Glossary: **kept nodes** the nodes inside a district's box grown by its halo (what `--clip`
//! would load); **budget** the most kept nodes of one group (a district larger than it is a group
//! of its own).

/// Groups of district indices (into `boxes`/`kept`), each group in row order.
pub fn group_districts(districts: &[usize], boxes: &[[f64; 4]], kept: &[u64], budget: u64) -> Vec<Vec<usize>> {
    if districts.is_empty() {
        return Vec::new();
    }
    let h = districts.iter().map(|&d| boxes[d][3] - boxes[d][1]).sum::<f64>() / districts.len() as f64;
    let key = |d: usize| {
        let b = boxes[d];
        let (x, y) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
        let row = if h > 0.0 { (y / h).floor() as i64 } else { 0 };
        (row, x, d)
    };
    let mut order = districts.to_vec();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then(ka.2.cmp(&kb.2))
    });
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut sum = 0u64;
    for d in order {
        match groups.last_mut() {
            Some(g) if sum + kept[d] <= budget => g.push(d),
            _ => {
                groups.push(vec![d]);
                sum = 0;
            }
        }
        sum += kept[d];
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_share_groups_under_the_budget() {
        // A 3×2 grid of unit boxes, indexed out of order, 10 nodes each.
        let boxes: Vec<[f64; 4]> = [(2, 1), (0, 0), (1, 1), (2, 0), (0, 1), (1, 0)]
            .iter()
            .map(|&(x, y)| [x as f64, y as f64, x as f64 + 1.0, y as f64 + 1.0])
            .collect();
        let kept = vec![10; 6];
        let all: Vec<usize> = (0..6).collect();
        let g = group_districts(&all, &boxes, &kept, 30);
        assert_eq!(g, vec![vec![1, 5, 3], vec![4, 2, 0]]);
        assert_eq!(group_districts(&all, &boxes, &kept, 1000).len(), 1);
        // A district over the budget is a group of its own.
        assert_eq!(group_districts(&all, &boxes, &kept, 5).len(), 6);
        assert!(group_districts(&[], &boxes, &kept, 5).is_empty());
    }
}
