#!/usr/bin/env python3
"""Tile an OpenStreetMap extract N x N at the PBF block level: the tiling of
../shared/tools/tile_osm.py (copy k = j*N + i shifted by i extract widths east and j heights north,
width and height = the extent of its nodes x 1.02, every id offset by k x (max id + 1)), without
decoding a single element in Python. Each block of the source is re-used for each copy: the shift
goes into the block's lat_offset/lon_offset (rounded to 1e-7 degree, the PBF's usual granularity,
so at most 1e-7 degree from tile_osm.py's positions), and the ids are moved by rewriting only the
first value of each delta-coded id list (dense node ids, way refs, relation member ids) and the id of
each way, relation and plain node. Blocks come out as tile_osm.py orders elements: the nodes of every
copy, then the ways, then the relations.

tile_osm.py needs about 3 hours of CPU for Las Palmas 20 x 20 (153 M nodes, one Python call per
element); this needs minutes.

    python3 scripts/tile_pbf.py IN.osm.pbf N OUT.osm.pbf [PROCESSES]   (needs: pip install osmium,
    only for the extent and the largest id)
"""
import multiprocessing
import struct
import sys
import zlib

import osmium


def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        if c < 0x80:
            return v, i
        shift += 7


def enc(v):
    if v < 0:
        v += 1 << 64
    out = bytearray()
    while True:
        c = v & 0x7F
        v >>= 7
        if v:
            out.append(c | 0x80)
        else:
            out.append(c)
            return bytes(out)


def zz(v):
    return (v << 1) ^ (v >> 63)


def unzz(u):
    return (u >> 1) ^ -(u & 1)


def signed(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def fields(b):
    """(number, wire type, raw bytes of the whole field, value) for each field of a message."""
    i, n = 0, len(b)
    while i < n:
        start = i
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            val, i = varint(b, i)
        elif wt == 2:
            ln, i = varint(b, i)
            val = b[i:i + ln]
            i += ln
        elif wt == 1:
            val = b[i:i + 8]
            i += 8
        elif wt == 5:
            val = b[i:i + 4]
            i += 4
        else:
            raise ValueError(f"wire type {wt}")
        yield num, wt, b[start:i], val


def ld(num, payload):
    return enc(num << 3 | 2) + enc(len(payload)) + payload


def shift_first_sint(packed, off):
    if not packed:
        return packed
    first, i = varint(packed, 0)
    return enc(zz(unzz(first) + off)) + packed[i:]


def rewrite(msg, off, plain_id=None, sint_id=False, packed_first=()):
    out = bytearray()
    for num, wt, raw, val in fields(msg):
        if num == 1 and wt == 0 and plain_id:
            out += enc(8) + enc(signed(val) + off)
        elif num == 1 and wt == 0 and sint_id:
            out += enc(8) + enc(zz(unzz(val) + off))
        elif num in packed_first and wt == 2:
            out += ld(num, shift_first_sint(val, off))
        else:
            out += raw
    return bytes(out)


def group_kind(block):
    kinds = set()
    for num, _, _, val in fields(block):
        if num == 2:
            for g, _, _, _ in fields(val):
                kinds.add({1: 0, 2: 0, 3: 1, 4: 2}.get(g, 2))
    return max(kinds) if kinds else 0


def tile_block(block, off, dlon, dlat):
    out = bytearray()
    lat_off = lon_off = 0
    for num, wt, raw, val in fields(block):
        if num == 2:
            g = bytearray()
            for gn, _, graw, gval in fields(val):
                if gn == 1:
                    g += ld(1, rewrite(gval, off, sint_id=True))
                elif gn == 2:
                    g += ld(2, rewrite(gval, off, packed_first=(1,)))
                elif gn == 3:
                    g += ld(3, rewrite(gval, off, plain_id=True, packed_first=(8,)))
                elif gn == 4:
                    g += ld(4, rewrite(gval, off, plain_id=True, packed_first=(9,)))
                else:
                    g += graw
            out += ld(2, bytes(g))
        elif num == 19:
            lat_off = signed(val)
        elif num == 20:
            lon_off = signed(val)
        else:
            out += raw
    out += enc(19 << 3) + enc(lat_off + dlat) + enc(20 << 3) + enc(lon_off + dlon)
    return bytes(out)


def blobs(path):
    with open(path, "rb") as f:
        while True:
            h = f.read(4)
            if not h:
                return
            header = f.read(struct.unpack(">I", h)[0])
            kind = size = None
            for num, _, _, val in fields(header):
                if num == 1:
                    kind = bytes(val).decode()
                elif num == 3:
                    size = val
            blob = f.read(size)
            data = None
            for num, _, _, val in fields(blob):
                if num == 1:
                    data = bytes(val)
                elif num == 3:
                    data = zlib.decompress(val)
            yield kind, data


def frame(kind, data):
    blob = enc(2 << 3) + enc(len(data)) + ld(3, zlib.compress(data, 6))
    header = ld(1, kind.encode()) + enc(3 << 3) + enc(len(blob))
    return struct.pack(">I", len(header)) + header + blob


STATE = {}


def work(args):
    kind_index, copy = args
    n, width, height, stride = STATE["n"], STATE["w"], STATE["h"], STATE["stride"]
    i, j = copy % n, copy // n
    dlon, dlat = round(i * width * 1e7) * 100, round(j * height * 1e7) * 100
    return b"".join(frame("OSMData", tile_block(b, copy * stride, dlon, dlat)) for b in STATE["blocks"][kind_index])


def init(state):
    STATE.update(state)


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    src, n, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    procs = int(sys.argv[4]) if len(sys.argv) == 5 else 2

    class Scan(osmium.SimpleHandler):
        def __init__(self):
            super().__init__()
            self.b = [1e9, 1e9, -1e9, -1e9]
            self.max_id = 0

        def node(self, x):
            self.max_id = max(self.max_id, x.id)
            if x.location.valid():
                b, lon, lat = self.b, x.location.lon, x.location.lat
                self.b = [min(b[0], lon), min(b[1], lat), max(b[2], lon), max(b[3], lat)]

        def way(self, x):
            self.max_id = max(self.max_id, x.id)

        def relation(self, x):
            self.max_id = max(self.max_id, x.id)

    s = Scan()
    s.apply_file(src)
    header, blocks = None, [[], [], []]
    for kind, data in blobs(src):
        if kind == "OSMHeader":
            header = data
        else:
            blocks[group_kind(data)].append(data)
    state = {"n": n, "w": (s.b[2] - s.b[0]) * 1.02, "h": (s.b[3] - s.b[1]) * 1.02, "stride": s.max_id + 1,
             "blocks": blocks}
    jobs = [(k, c) for k in range(3) for c in range(n * n)]
    with open(dst, "wb") as out, multiprocessing.Pool(procs, initializer=init, initargs=(state,)) as pool:
        out.write(frame("OSMHeader", header))
        for chunk in pool.imap(work, jobs, chunksize=4):
            out.write(chunk)


if __name__ == "__main__":
    main()
