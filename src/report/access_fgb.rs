//! `access.fgb` (`--format fgb`): the table of `access.csv` as an indexed point layer.
//!
//! Owns the binary form of the per-node walking times. One point per graph node with the columns
//! of `access.csv`: `node` (unsigned integer), `<category>_s` (seconds to the nearest facility,
//! a double with one decimal, null where the CSV cell is empty) and `main_network` (boolean).
//! At 2 M nodes the CSV is read row by row; this layer opens at once in QGIS or GDAL and is
//! queried by area through its packed Hilbert R-tree.
//!
//! Glossary: **ds** — deciseconds, the router's time unit (`123` ds = 12.3 s).

use std::io;

use super::fgb_layer::{Cell, ColType, Geometry, LayerGeometry, LayerWriter};
use crate::model::Analysis;
use crate::route::UNREACHED;

/// Writes `access.fgb` to `out`. Positions are rounded to 1e-7° as in `access.csv`.
pub fn write_access_fgb(a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
    let g = &a.graph;
    let (label, main) = crate::graph::components::components(g);
    let mut columns = vec![("node".to_string(), ColType::UInt)];
    columns.extend(a.profile.categories.iter().map(|c| (format!("{}_s", c.id), ColType::Double)));
    columns.push(("main_network".to_string(), ColType::Bool));
    let metadata = serde_json::json!({
        "name": "access",
        "attribution": super::ATTRIBUTION,
        "source": a.input_label,
        "profile": a.profile.name,
    })
    .to_string();
    let mut layer = LayerWriter::new("access", LayerGeometry::Point, &columns, Some(&metadata))?;
    let round7 = |x: f64| (x * 1e7).round() / 1e7;
    let mut cells: Vec<Option<Cell<'_>>> = Vec::with_capacity(columns.len());
    for v in 0..g.node_count() {
        cells.clear();
        let node = u32::try_from(v).map_err(|_| io::Error::other("access.fgb: more than 2^32 nodes"))?;
        cells.push(Some(Cell::UInt(node)));
        for t in &a.times_ds {
            let d = t[v];
            cells.push((d != UNREACHED).then(|| Cell::Double(f64::from(d) / 10.0)));
        }
        cells.push(Some(Cell::Bool(label[v] == main)));
        let p = g.lon_lat[v];
        layer.add(Geometry::Point([round7(p[0]), round7(p[1])]), &cells)?;
    }
    layer.finish(out)
}
