#!/usr/bin/env python3
"""Rewrites an .osm.pbf with every zlib blob stored uncompressed (Blob.raw), so that the fuzzer's
mutations land in the protobuf structure instead of in compressed bytes. Usage: raw_pbf.py IN OUT"""
import sys
import zlib


def varint(b, i):
    v = s = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return v, i


def enc_varint(v):
    out = bytearray()
    while True:
        c = v & 0x7F
        v >>= 7
        out.append(c | (0x80 if v else 0))
        if not v:
            return bytes(out)


def fields(b):
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i)
            v, i = b[i:i + n], i + n
        else:
            raise ValueError(f"wire type {wt}")
        yield num, wt, v


def field(num, wt, v):
    key = enc_varint(num << 3 | wt)
    return key + (enc_varint(v) if wt == 0 else enc_varint(len(v)) + v)


def main(src, dst):
    data = open(src, "rb").read()
    out = bytearray()
    i = 0
    while i < len(data):
        hlen = int.from_bytes(data[i:i + 4], "big")
        header = data[i + 4:i + 4 + hlen]
        i += 4 + hlen
        hf = list(fields(header))
        size = next(v for n, _, v in hf if n == 3)
        blob = data[i:i + size]
        i += size
        raw = None
        for n, _, v in fields(blob):
            if n == 1:
                raw = v
            elif n == 3:
                raw = zlib.decompress(v)
        new_blob = field(1, 2, raw) + field(2, 0, len(raw))
        new_header = b"".join(field(n, w, len(new_blob) if n == 3 else v) for n, w, v in hf)
        out += len(new_header).to_bytes(4, "big") + new_header + new_blob
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
