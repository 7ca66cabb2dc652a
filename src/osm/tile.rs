//! In-memory tiling for city-scale benchmarks: `n × n` copies of an extract shifted side by side,
//! ids offset per copy, so `--tile 4` on Las Palmas is a 1.4-million-node city without a 50 MB
//! file. The same tiling as `tools/tile_osm.py` produces as a real PBF.

use super::{Area, Building, NodeStore, OsmData, OsmFacility, WalkWay};

fn shift(p: [f64; 2], d: [f64; 2]) -> [f64; 2] {
    [p[0] + d[0], p[1] + d[1]]
}

/// Tiles `data` into `n × n` copies. Copy `(i, j)` is shifted by `i` extract widths east and `j`
/// heights north (plus a 1 % gap) and its ids are offset by `k × (max id + 1)`, `k = j·n + i`.
pub fn tile(data: &OsmData, n: usize) -> OsmData {
    if n <= 1 {
        return data.clone();
    }
    let b = data.bbox;
    let (w, h) = ((b[2] - b[0]) * 1.01, (b[3] - b[1]) * 1.01);
    let max_id = data
        .nodes
        .ids
        .iter()
        .copied()
        .chain(data.walk_ways.iter().map(|w| w.osm_id))
        .chain(data.facilities.iter().map(|f| f.osm_id))
        .chain(data.buildings.iter().map(|b| b.osm_id))
        .max()
        .unwrap_or(0)
        .max(0);
    let stride = max_id + 1;
    let mut out = OsmData { stats: data.stats.clone(), ..Default::default() };
    let mut items: Vec<(i64, [i32; 2])> = Vec::with_capacity(data.nodes.len() * n * n);
    for k in 0..n * n {
        let (i, j) = (k % n, k / n);
        let d = [i as f64 * w, j as f64 * h];
        let di = [(d[0] * 1e7).round() as i32, (d[1] * 1e7).round() as i32];
        let off = k as i64 * stride;
        items.extend(
            data.nodes.ids.iter().zip(&data.nodes.coords).map(|(id, c)| (id + off, [c[0] + di[0], c[1] + di[1]])),
        );
        out.walk_ways.extend(data.walk_ways.iter().map(|w| WalkWay {
            osm_id: w.osm_id + off,
            kind: w.kind,
            refs: w.refs.iter().map(|r| r + off).collect(),
        }));
        out.facilities.extend(data.facilities.iter().map(|f| OsmFacility {
            osm_id: f.osm_id + off,
            point: shift(f.point, d),
            outline: f.outline.iter().map(|p| shift(*p, d)).collect(),
            entrances: f.entrances.iter().map(|p| shift(*p, d)).collect(),
            ..f.clone()
        }));
        out.buildings.extend(data.buildings.iter().map(|bl| Building {
            osm_id: bl.osm_id + off,
            centroid: shift(bl.centroid, d),
            ..bl.clone()
        }));
        out.residential_areas.extend(data.residential_areas.iter().map(|a| {
            Area {
                osm_id: a.osm_id + off,
                polygons: a
                    .polygons
                    .iter()
                    .map(|p| p.iter().map(|r| r.iter().map(|q| shift(*q, d)).collect()).collect())
                    .collect(),
                ..a.clone()
            }
        }));
        out.land_cover.extend(data.land_cover.iter().map(|l| {
            crate::osm::LandArea {
                kind: l.kind,
                polygons: l
                    .polygons
                    .iter()
                    .map(|p| p.iter().map(|r| r.iter().map(|q| shift(*q, d)).collect()).collect())
                    .collect(),
            }
        }));
    }
    out.nodes = NodeStore::from_sorted(items);
    out.bbox = [b[0], b[1], b[0] + (n - 1) as f64 * w + (b[2] - b[0]), b[1] + (n - 1) as f64 * h + (b[3] - b[1])];
    let nn = n * n;
    let st = &mut out.stats;
    st.nodes *= nn;
    st.ways *= nn;
    st.relations *= nn;
    st.walk_ways *= nn;
    st.ways_cut_at_edge *= nn;
    st.missing_node_refs *= nn;
    st.broken_multipolygons *= nn;
    st.duplicate_facility_nodes *= nn;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osm::WayKind;

    #[test]
    fn copies_are_disjoint_and_shifted() {
        let mut d = OsmData {
            nodes: NodeStore::from_sorted(vec![(1, [0, 0]), (2, [10_000, 0])]),
            walk_ways: vec![WalkWay { osm_id: 5, kind: WayKind::Flat, refs: vec![1, 2] }],
            ..Default::default()
        };
        d.bbox = [0.0, 0.0, 0.001, 0.0];
        let t = tile(&d, 2);
        assert_eq!(t.nodes.len(), 8);
        assert_eq!(t.walk_ways.len(), 4);
        let ids: Vec<i64> = t.walk_ways.iter().flat_map(|w| w.refs.clone()).collect();
        let mut u = ids.clone();
        u.sort();
        u.dedup();
        assert_eq!(u.len(), 8);
        let p = t.nodes.get(t.walk_ways[1].refs[0]).unwrap();
        assert!((p[0] - 0.00101).abs() < 1e-9);
    }
}
