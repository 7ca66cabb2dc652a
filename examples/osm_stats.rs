//! Prints what the loader finds in an extract (buildings by use, residential areas, facilities).
use circle15::osm::{BuildingUse, LoadOptions, load_pbf};
use circle15::profile::Profile;

fn main() {
    let path = std::env::args().nth(1).expect("path to .osm.pbf");
    let p = Profile::load("default", None).unwrap();
    let d = load_pbf(path.as_ref(), &p, &LoadOptions::default()).unwrap();
    let count = |u| d.buildings.iter().filter(|b| b.usage == u).count();
    println!(
        "buildings: {} (residential {}, unknown {}, other {})",
        d.buildings.len(),
        count(BuildingUse::Residential),
        count(BuildingUse::Unknown),
        count(BuildingUse::Other)
    );
    let with_levels = d.buildings.iter().filter(|b| b.levels.is_some()).count();
    println!("with levels: {with_levels}");
    println!("residential areas: {}", d.residential_areas.len());
    println!("facilities: {}", d.facilities.len());
    println!("stats: {:?}", d.stats);
}
