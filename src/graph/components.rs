//! Connected components of the walk graph: residents on islands unreachable from the main network
//! are listed, not silently scored as unserved.

use super::WalkGraph;

/// Component label of every node (labels numbered by their smallest node), and the label of the
/// largest component (by node count; ties to the smaller label).
pub fn components(g: &WalkGraph) -> (Vec<u32>, u32) {
    let n = g.node_count();
    let mut label = vec![u32::MAX; n];
    let mut sizes: Vec<(u32, usize)> = Vec::new();
    let mut stack = Vec::new();
    for s in 0..n as u32 {
        if label[s as usize] != u32::MAX {
            continue;
        }
        let c = s;
        label[s as usize] = c;
        stack.push(s);
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            for (t, _) in g.edges(v) {
                if label[t as usize] == u32::MAX {
                    label[t as usize] = c;
                    stack.push(t);
                }
            }
        }
        sizes.push((c, size));
    }
    let main = sizes.iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map_or(0, |x| x.0);
    // A facility with several entrances has only one-way arcs out: it belongs to the component of
    // streets (the first one it leaves to), not to a component of its own.
    for v in g.first_point_node..n as u32 {
        if label[v as usize] == v
            && let Some((t, _)) = g.edges(v).next()
        {
            label[v as usize] = label[t as usize];
        }
    }
    (label, main)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_islands() {
        let g = WalkGraph::from_undirected(vec![[0.0, 0.0]; 6], vec![0; 6], 6, &[(0, 1, 1), (1, 2, 1), (3, 4, 1)]);
        let (l, main) = components(&g);
        assert_eq!(main, 0);
        assert_eq!(l, vec![0, 0, 0, 3, 3, 5]);
    }

    #[test]
    fn a_facility_with_one_way_entrances_joins_its_street_component() {
        // Streets 0–1 and 2–3 (two components); point 4 leaves to 2 and to 0 by one-way arcs.
        let g =
            WalkGraph::from_edges(vec![[0.0, 0.0]; 5], vec![1; 5], 4, &[(0, 1, 1), (2, 3, 1)], &[(4, 2, 1), (4, 0, 5)]);
        let (l, _) = components(&g);
        assert_eq!(l, vec![0, 0, 2, 2, 0]);
    }
}
