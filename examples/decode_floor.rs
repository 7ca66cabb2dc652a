//! Measures the PBF decode floor: decompress + parse every block and count elements, nothing else.
use osmpbf::{BlobDecode, BlobReader};
use rayon::prelude::*;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("path");
    for _ in 0..3 {
        let t = Instant::now();
        let n: usize = BlobReader::from_path(&path)
            .unwrap()
            .par_bridge()
            .map(|b| match b.unwrap().decode().unwrap() {
                BlobDecode::OsmData(bl) => bl.elements().count(),
                _ => 0,
            })
            .sum();
        println!("osmpbf block-parallel decode: {n} elements in {:?}", t.elapsed());
    }
}
