//! Issue 14 item 3 through `analyze`: `threshold_m` categories are searched on network distance
//! (steps not slowed down), minute categories on walking time, on the Helsinki-centre extract (`../shared/data`).

use circle15::graph::NodeId;

use crate::common::*;

fn jobs(a: &circle15::analyze::Analysis, k: usize) -> Vec<(Vec<(NodeId, u32)>, u32)> {
    let src = a
        .facilities
        .iter()
        .filter(|f| f.serves(circle15::model::CategoryId::from_index(k)))
        .filter_map(|f| f.node.map(|n| (NodeId(n), 0)))
        .collect();
    vec![(src, a.profile.cap_ds(&a.profile.categories[k]))]
}

#[test]
fn metre_categories_search_distance_and_minute_categories_walk_time() {
    let d = tempfile::tempdir().unwrap();
    // The Helsinki centre has steps: the two weightings differ.
    let mut cfg = config(Some(shared("helsinki-centre.osm.pbf")), "gb50180", None, &d.path().join("m"));
    cfg.export_graph = false;
    let a = circle15::analyze::run(&cfg).unwrap();
    assert!(a.graph.flat_weights_ds.is_some(), "the extract has steps");
    let dist = a.graph.distance_graph();
    // Every metre category with facilities: its times are the distance-graph search; somewhere
    // (steps) they are shorter than the walk-time search, never longer.
    let mut differ = 0;
    for k in 0..a.profile.categories.len() {
        assert!(a.profile.categories[k].threshold_m.is_some(), "gb50180 is all metres");
        let j = jobs(&a, k);
        if j[0].0.is_empty() {
            continue;
        }
        let on_dist = &circle15::route::nearest_many(&dist, &j)[0].0;
        let on_time = &circle15::route::nearest_many(&a.graph, &j)[0].0;
        assert!(a.times_ds[k] == *on_dist, "category {k}: times are not the distance-graph search");
        assert!(on_dist.iter().zip(on_time).all(|(d, t)| d <= t), "category {k}: distance above slowed time");
        differ += on_dist.iter().zip(on_time).filter(|(d, t)| d < t).count();
    }
    assert!(differ > 0, "steps make walk time and distance differ at some node");
    // A minute category keeps the walk-time graph (unchanged outputs).
    let mut cfg = config(Some(shared("helsinki-centre.osm.pbf")), "default", None, &d.path().join("t"));
    cfg.export_graph = false;
    let a = circle15::analyze::run(&cfg).unwrap();
    let k = (0..a.profile.categories.len()).max_by_key(|&k| jobs(&a, k)[0].0.len()).unwrap();
    assert!(a.profile.categories[k].threshold_m.is_none());
    assert!(!jobs(&a, k)[0].0.is_empty());
    assert!(a.times_ds[k] == circle15::route::nearest_many(&a.graph, &jobs(&a, k))[0].0, "minute: walk-time graph");
}
