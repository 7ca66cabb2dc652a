//! Equirectangular projection around a reference latitude: `[lon, lat]` ↔ metres.

use super::haversine::EARTH_RADIUS_M;

#[derive(Clone, Copy, Debug)]
pub struct LocalProj {
    pub lon0: f64,
    pub lat0: f64,
    kx: f64,
    ky: f64,
}

impl LocalProj {
    pub fn new(lon0: f64, lat0: f64) -> LocalProj {
        let ky = EARTH_RADIUS_M.to_radians();
        LocalProj { lon0, lat0, kx: ky * lat0.to_radians().cos(), ky }
    }
    #[inline]
    pub fn to_xy(&self, p: [f64; 2]) -> [f64; 2] {
        [(p[0] - self.lon0) * self.kx, (p[1] - self.lat0) * self.ky]
    }
    #[inline]
    pub fn to_lon_lat(&self, p: [f64; 2]) -> [f64; 2] {
        [p[0] / self.kx + self.lon0, p[1] / self.ky + self.lat0]
    }
    /// Metres per degree of longitude / latitude at the reference latitude.
    pub fn scale(&self) -> [f64; 2] {
        [self.kx, self.ky]
    }
}
