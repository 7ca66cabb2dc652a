//! Chinese names classify as a Chinese reader would (issue 12, item 7), on the Hangzhou extract
//! (`../shared/data/hangzhou-2015.osm.pbf`) with the zhejiang-2027 profile: the name classifier
//! is `circle15::profile::zh_name` (its table test covers every form; this checks the real data).

use std::collections::BTreeMap;

use crate::common::*;

#[test]
fn hangzhou_schools_and_hospitals_classify_by_their_chinese_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut cfg = config(Some(shared("hangzhou-2015.osm.pbf")), "zhejiang-2027", None, &out);
    cfg.isochrones = circle15::isochrone::IsochroneKind::None;
    cfg.html = false;
    circle15::run_analyze(&cfg).unwrap();
    let d = read_json(&out.join("facilities.geojson"));
    let mut cats: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in d["features"].as_array().unwrap() {
        let p = &f["properties"];
        if let Some(n) = p["name"].as_str() {
            cats.entry(n.to_string()).or_default().push(p["category"].as_str().unwrap().to_string());
        }
    }
    let of = |name: &str| -> Vec<String> {
        cats.get(name).cloned().unwrap_or_else(|| panic!("{name} not among the facilities: {cats:?}"))
    };
    let has = |name: &str, cat: &str| of(name).iter().any(|c| c == cat);
    // A senior high school: a school, not a junior school (was junior_school).
    assert!(has("浙江省杭州高级中学", "school"));
    assert!(!has("浙江省杭州高级中学", "junior_school"), "{:?}", of("浙江省杭州高级中学"));
    // No. 1 primary school, abbreviated: primary (was only "school").
    assert!(has("古荡一小", "primary_school"), "{:?}", of("古荡一小"));
    assert!(has("古荡一小", "school"));
    // A 中学 whose level the name does not state, with a campus in brackets: junior, as before.
    assert!(has("杭州第四中学（吴山校区）", "junior_school"));
    assert!(has("文一街小学", "primary_school") && !has("文一街小学", "junior_school"));
    // General hospitals are not 社区卫生 (the profile says which kinds are).
    for h in ["杭州市第一人民医院", "浙江省人民医院", "浙江大学医学院附属第二医院"] {
        assert!(cats.get(h).is_none_or(|c| !c.iter().any(|c| c == "health")), "{h}: {:?}", cats.get(h));
    }
    // Libraries are still culture (names without a classifier kind keep the substring rules).
    assert!(has("浙江省图书馆", "culture"));
}
