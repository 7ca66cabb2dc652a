//! Which background map `report.html` offers (`--basemap`): plain data; the tile sources, their
//! attribution and the check of the flag are `report::basemap`'s.
//!
//! Glossary: **Tianditu** — 天地图 (国家地理信息公共服务平台), CGCS2000 (≈ WGS84) tiles that
//! need the user's browser key; **template** — a user's XYZ tile URL `https://…/{z}/{x}/{y}.png`.

/// Which background `report.html` offers; `None` = no tile layer at all (no network request).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Basemap {
    #[default]
    None,
    /// `https://tile.openstreetmap.org/{z}/{x}/{y}.png`.
    Osm,
    /// 天地图 vector map (`vec_w`) with labels (`cva_w`), with the user's key.
    Tianditu { key: String },
    /// 天地图 imagery (`img_w`) with labels (`cia_w`), with the user's key.
    TiandituImagery { key: String },
    /// A user's XYZ template, as checked by `report::basemap::parse`.
    Template(String),
}
