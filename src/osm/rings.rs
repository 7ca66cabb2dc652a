//! Multipolygon ring assembly: joins member ways (node-id sequences) end to end into closed rings.

/// Joins way segments into closed rings by matching end nodes. Segments that cannot be closed are
/// returned in `open` (count) and left out. Output rings are closed (first == last).
pub fn assemble_rings(mut parts: Vec<Vec<i64>>) -> (Vec<Vec<i64>>, usize) {
    let mut rings = Vec::new();
    let mut open = 0;
    parts.retain(|p| p.len() >= 2);
    while let Some(mut cur) = parts.pop() {
        loop {
            if cur.len() >= 4 && cur.first() == cur.last() {
                rings.push(cur);
                break;
            }
            let end = *cur.last().unwrap();
            let start = cur[0];
            let pos = parts
                .iter()
                .position(|p| p[0] == end || *p.last().unwrap() == end || p[0] == start || *p.last().unwrap() == start);
            let Some(i) = pos else {
                open += 1;
                break;
            };
            let mut p = parts.swap_remove(i);
            if p[0] == end {
                cur.extend_from_slice(&p[1..]);
            } else if *p.last().unwrap() == end {
                p.reverse();
                cur.extend_from_slice(&p[1..]);
            } else if *p.last().unwrap() == start {
                p.extend_from_slice(&cur[1..]);
                cur = p;
            } else {
                p.reverse();
                p.extend_from_slice(&cur[1..]);
                cur = p;
            }
        }
    }
    (rings, open)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_reversed_parts() {
        let (r, open) = assemble_rings(vec![vec![1, 2, 3], vec![5, 4, 3], vec![5, 6, 1], vec![7, 8]]);
        assert_eq!(open, 1);
        assert_eq!(r.len(), 1);
        let ring = &r[0];
        assert_eq!(ring.first(), ring.last());
        assert_eq!(ring.len(), 7);
    }
}
