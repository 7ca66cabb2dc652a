#!/usr/bin/env python3
"""Districts for a tiled extract: a boundary shifted onto each copy that tools/tile_osm.py makes.

tile_osm.py shifts copy k = j*N + i of IN.osm.pbf by i extract widths east and j heights north,
width and height being the extent of its nodes times 1.02. This writes one district per copy: the
boundary moved by the same offsets, with code `t<k>` (zero-padded) and name `<NAME> (i,j)`.

    python3 scripts/tile_districts.py IN.osm.pbf N BOUNDARY.geojson OUT.geojson
    (needs: pip install osmium; the boundary's first feature is used)

Example (the 400-district benchmark of `circle15 batch`):
    python3 ../shared/tools/tile_osm.py ../shared/data/las-palmas.osm.pbf 20 /work/lp20x20.osm.pbf
    python3 scripts/tile_districts.py ../shared/data/las-palmas.osm.pbf 20 \\
        ../shared/data/las-palmas-boundary.geojson /work/lp20x20-districts.geojson
"""
import json
import sys

import osmium


def node_extent(path):
    class Scan(osmium.SimpleHandler):
        def __init__(self):
            super().__init__()
            self.b = [1e9, 1e9, -1e9, -1e9]

        def node(self, n):
            if n.location.valid():
                b, lon, lat = self.b, n.location.lon, n.location.lat
                self.b = [min(b[0], lon), min(b[1], lat), max(b[2], lon), max(b[3], lat)]

    s = Scan()
    s.apply_file(path)
    return s.b


def shift(coords, dx, dy):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0] + dx, 9), round(coords[1] + dy, 9)]
    return [shift(c, dx, dy) for c in coords]


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    src, n, boundary, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    b = node_extent(src)
    width, height = (b[2] - b[0]) * 1.02, (b[3] - b[1]) * 1.02
    doc = json.load(open(boundary, encoding="utf-8"))
    feature = doc["features"][0] if doc.get("type") == "FeatureCollection" else doc
    name = feature.get("properties", {}).get("NAMEUNIT") or feature.get("properties", {}).get("name") or "district"
    geometry = feature["geometry"]
    digits = len(str(n * n - 1))
    features = []
    for k in range(n * n):
        i, j = k % n, k // n
        g = {"type": geometry["type"], "coordinates": shift(geometry["coordinates"], i * width, j * height)}
        props = {"code": f"t{k:0{digits}d}", "name": f"{name} ({i},{j})"}
        features.append({"type": "Feature", "properties": props, "geometry": g})
    with open(dst, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
