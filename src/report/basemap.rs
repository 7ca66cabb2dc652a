//! The tile sources of `report.html`'s background (`--basemap`): none, OpenStreetMap, 天地图
//! (Tianditu) or a user's tile URL template, with their attribution.
//!
//! Owns the tile layers of each [`Basemap`], the check of the flag's value, and the warning for
//! tile hosts that serve GCJ-02 / BD-09 tiles (China's offset coordinate systems, 300–600 m from
//! the WGS84 data the report draws).
//!
//! Glossary:
//! - **tile layer**: one XYZ tile source as Leaflet takes it: a URL with `{z}`, `{x}`, `{y}`
//!   (optional `{s}` subdomain, `{r}` retina suffix, `{-y}` TMS row), subdomains, max zoom,
//!   attribution (HTML). Tianditu is two layers: the map and its label overlay.
//! - **Tianditu key** (`tk`): the user's browser key of 天地图 (国家地理信息公共服务平台); its
//!   `_w` layers are Web Mercator tiles of CGCS2000 (≈ WGS84 to within a metre).
//! - **offset provider**: a tile host of Amap/Gaode (GCJ-02), Baidu (BD-09) or Tencent (GCJ-02).

use serde::Serialize;

pub use crate::model::Basemap;

/// One tile layer of a basemap, as written into the page's meta block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TileLayer {
    pub url: String,
    /// Subdomains for `{s}` (empty: none).
    pub subdomains: String,
    pub max_zoom: u8,
    /// Attribution, HTML (built here; a template contributes only its checked host name).
    pub attribution: String,
}

/// The page words of the base layers, `(key, zh, en)`, added to the page's strings.
pub const PAGE_WORDS: [(&str, &str, &str); 3] = [
    ("base_tiles", "在线底图", "Map tiles (online)"),
    ("base_streets", "步行路网（离线）", "Walking network (offline)"),
    ("base_district", "区域边界", "District outline"),
];

/// Host parts of the tile servers that serve GCJ-02 or BD-09.
const OFFSET_HOSTS: [&str; 8] =
    ["amap.com", "autonavi.com", "gaode", "baidu", "bdimg.com", "bdstatic.com", "qq.com", "gtimg"];

/// Placeholders a template may hold.
const PLACEHOLDERS: [&str; 6] = ["{z}", "{x}", "{y}", "{-y}", "{s}", "{r}"];

const TIANDITU_ATTRIBUTION: &str = "&copy; 天地图 / 国家地理信息公共服务平台 (tianditu.gov.cn)";
const OSM_ATTRIBUTION: &str =
    "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors";

/// `--basemap VALUE` with `--basemap-key`: the basemap and, for a template on an offset
/// provider's host, a warning. Errors (the message names the flag): Tianditu without a key, a key
/// without Tianditu, a template that is not `http(s)://host/…` with `{z}`, `{x}` and `{y}` (or
/// `{-y}`) and no other placeholder, or that holds a quote, `<`, `>`, a backslash or whitespace.
pub fn parse(value: &str, key: Option<&str>) -> Result<(Basemap, Option<String>), String> {
    let key = key.map(str::trim).filter(|k| !k.is_empty());
    let need_key = |v: &str| -> Result<String, String> {
        let k = key.ok_or_else(|| {
            format!(
                "--basemap {v}: 天地图 tiles need your key: add --basemap-key KEY (a browser key from \
                 https://console.tianditu.gov.cn; it is written into report.html)"
            )
        })?;
        if !k.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!("--basemap-key {k:?}: not a 天地图 key (letters and digits only)"));
        }
        Ok(k.to_string())
    };
    let b = match value.trim() {
        "none" => Basemap::None,
        "osm" => Basemap::Osm,
        "tianditu" => Basemap::Tianditu { key: need_key("tianditu")? },
        "tianditu-img" => Basemap::TiandituImagery { key: need_key("tianditu-img")? },
        t if t.starts_with("https://") || t.starts_with("http://") => {
            check_template(t)?;
            Basemap::Template(t.to_string())
        }
        other => {
            return Err(format!(
                "--basemap {other:?}: expected none, osm, tianditu, tianditu-img or a tile URL template like \
                 https://tiles.example.org/{{z}}/{{x}}/{{y}}.png"
            ));
        }
    };
    if key.is_some() && !matches!(b, Basemap::Tianditu { .. } | Basemap::TiandituImagery { .. }) {
        return Err("--basemap-key is only used with --basemap tianditu or tianditu-img".into());
    }
    let warning = match &b {
        Basemap::Template(t) => offset_provider(t).map(|h| {
            format!(
                "--basemap {t}: {h} tiles are in GCJ-02/BD-09 (China's offset coordinates) and lie 300–600 m from \
                 the WGS84 data of the report; use osm, tianditu or another WGS84 / Web Mercator source"
            )
        }),
        _ => None,
    };
    Ok((b, warning))
}

/// The tile layers of `b`, bottom first (none for [`Basemap::None`]).
pub fn layers(b: &Basemap) -> Vec<TileLayer> {
    let tdt = |layer: &str, key: &str| TileLayer {
        url: format!(
            "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}\
             &STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
        ),
        subdomains: "01234567".into(),
        max_zoom: 18,
        attribution: TIANDITU_ATTRIBUTION.into(),
    };
    match b {
        Basemap::None => Vec::new(),
        Basemap::Osm => vec![TileLayer {
            url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            subdomains: String::new(),
            max_zoom: 19,
            attribution: OSM_ATTRIBUTION.into(),
        }],
        Basemap::Tianditu { key } => vec![tdt("vec", key), tdt("cva", key)],
        Basemap::TiandituImagery { key } => vec![tdt("img", key), tdt("cia", key)],
        Basemap::Template(t) => vec![TileLayer {
            url: t.clone(),
            subdomains: if t.contains("{s}") { "abc".into() } else { String::new() },
            max_zoom: 19,
            attribution: format!("Tiles: {}", host(t).unwrap_or_default()),
        }],
    }
}

/// The hosts the tile requests of `b` go to (`{s}` left in), one per layer.
pub fn hosts(b: &Basemap) -> Vec<String> {
    layers(b).iter().filter_map(|l| host(&l.url).map(str::to_string)).collect()
}

/// The host of an `http(s)://host[:port]/…` URL.
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    Some(authority.split(':').next().unwrap_or(authority))
}

/// The offset provider whose name `url`'s host contains, if any.
fn offset_provider(url: &str) -> Option<&'static str> {
    let h = host(url)?.to_ascii_lowercase();
    OFFSET_HOSTS.iter().copied().find(|p| h.contains(p))
}

fn check_template(t: &str) -> Result<(), String> {
    let bad = |why: &str| {
        Err(format!("--basemap {t:?}: {why} (expected e.g. https://tiles.example.org/{{z}}/{{x}}/{{y}}.png)"))
    };
    if t.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')) {
        return bad("a URL cannot hold whitespace, quotes, <, > or backslashes");
    }
    let h = host(t).unwrap_or("").replace("{s}", "a");
    if h.is_empty() || !h.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
        return bad("no host name");
    }
    // Every {…} must be a known placeholder.
    let mut rest = t;
    while let Some(i) = rest.find(['{', '}']) {
        if rest[i..].starts_with('}') {
            return bad("a '}' without its '{'");
        }
        let Some(len) = PLACEHOLDERS.iter().find(|p| rest[i..].starts_with(*p)).map(|p| p.len()) else {
            let end = rest[i..].find('}').map_or(rest.len(), |j| i + j + 1);
            return bad(&format!("unknown placeholder {} (known: {})", &rest[i..end], PLACEHOLDERS.join(" ")));
        };
        rest = &rest[i + len..];
    }
    if !t.contains("{z}") || !t.contains("{x}") || !(t.contains("{y}") || t.contains("{-y}")) {
        return bad("a tile template needs {z}, {x} and {y}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keys() {
        assert_eq!(parse("none", None).unwrap(), (Basemap::None, None));
        assert!(layers(&Basemap::None).is_empty());
        assert_eq!(hosts(&parse("osm", None).unwrap().0), ["tile.openstreetmap.org"]);
        assert!(layers(&Basemap::Osm)[0].attribution.contains("OpenStreetMap</a> contributors"));
        let e = parse("tianditu", None).unwrap_err();
        assert!(e.contains("--basemap-key"), "{e}");
        assert!(parse("tianditu", Some("ab\"c")).is_err());
        let (b, w) = parse("tianditu", Some("0123abcd")).unwrap();
        assert!(w.is_none());
        let l = layers(&b);
        assert_eq!(l.len(), 2);
        assert!(l[0].url.contains("/vec_w/") && l[0].url.ends_with("tk=0123abcd"), "{}", l[0].url);
        assert!(l[1].url.contains("/cva_w/") && l[1].attribution.contains("天地图"));
        assert_eq!(hosts(&b), ["t{s}.tianditu.gov.cn", "t{s}.tianditu.gov.cn"]);
        let img = layers(&parse("tianditu-img", Some("k1")).unwrap().0);
        assert!(img[0].url.contains("/img_w/") && img[1].url.contains("/cia_w/"));
        assert!(parse("osm", Some("k")).is_err(), "a key without tianditu");
        assert!(parse("google", None).is_err());
    }

    #[test]
    fn templates_are_checked() {
        let (b, w) = parse("https://tiles.example.org/{z}/{x}/{y}.png", None).unwrap();
        assert!(w.is_none());
        assert_eq!(hosts(&b), ["tiles.example.org"]);
        assert_eq!(layers(&b)[0].attribution, "Tiles: tiles.example.org");
        assert!(parse("https://{s}.tile.example.org:8080/{z}/{x}/{-y}{r}.png", None).is_ok());
        for bad in [
            "https://tiles.example.org/{z}/{x}.png",
            "https://tiles.example.org/{z}/{x}/{y}/{q}.png",
            "https://tiles.example.org/{z}/{x}/{y.png",
            "https://tiles.example.org/z}/{x}/{y}.png",
            "https:///{z}/{x}/{y}.png",
            "https://tiles.example.org/{z}/{x}/{y}.png\"onerror=alert(1)",
            "https://tiles.example.org/{z}/{x}/ {y}.png",
            "ftp://tiles.example.org/{z}/{x}/{y}.png",
        ] {
            assert!(parse(bad, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn offset_providers_warn() {
        for t in [
            "https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8",
            "https://wprd0{s}.is.AMAP.com/appmaptile?x={x}&y={y}&z={z}",
            "https://maponline0.bdimg.com/tile/?qt=vtile&x={x}&y={y}&z={z}",
            "https://rt0.map.gtimg.com/tile?z={z}&x={x}&y={-y}",
        ] {
            let (_, w) = parse(t, None).unwrap();
            let w = w.unwrap_or_else(|| panic!("{t}: no warning"));
            assert!(w.contains("GCJ-02") && w.contains("300–600 m"), "{w}");
        }
        assert!(parse("https://tile.example.org/{z}/{x}/{y}.png?src=baidu", None).unwrap().1.is_none(), "host only");
    }
}
