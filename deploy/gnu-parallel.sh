#!/bin/bash
# circle15 batch on one host with GNU parallel: N shards, J at a time, then the summary.
#
#   deploy/gnu-parallel.sh PROVINCE.osm.pbf DISTRICTS.geojson OUT [N] [J]
#
# Each shard is a separate process (its own memory, its own log in OUT/logs/); a shard that fails
# (exit 2: some districts failed, the others written) does not stop the others. parallel's job log
# lets an interrupted run resume: run the same command again and only the shards that did not
# finish are run again (--resume-failed), then merge writes the summary.
# (One process, `circle15 batch` without --shard, does the same on one host with less decoding;
# shards pay off across machines or to bound the memory of each process.)
set -uo pipefail

OSM=$1
DISTRICTS=$2
OUT=$3
N=${4:-4}
J=${5:-2}
mkdir -p "$OUT/logs"

# Threads per shard: the cores shared among the J shards running at once.
THREADS=$(( $(nproc) / J ))
[ "$THREADS" -ge 1 ] || THREADS=1

parallel --jobs "$J" --joblog "$OUT/logs/joblog" --resume-failed \
    "circle15 batch --osm '$OSM' --districts '$DISTRICTS' --out '$OUT' --threads $THREADS --quiet --shard {}/$N \
     > '$OUT/logs/shard-{}.log' 2>&1" ::: $(seq 0 $((N - 1)))
failed=$?

circle15 merge "$OUT" --out "$OUT" || exit $?
# Like `circle15 batch`: exit 2 when a shard reported failed districts.
[ "$failed" -eq 0 ] || exit 2
