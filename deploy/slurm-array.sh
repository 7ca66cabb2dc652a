#!/bin/bash
# circle15 batch as a Slurm job array: one array task per shard, SLURM_ARRAY_TASK_ID as the shard.
#
#   jid=$(sbatch --parsable deploy/slurm-array.sh)
#   sbatch --dependency=afterany:$jid --wrap "circle15 merge $PWD/out --out $PWD/out"
#
# `--array=0-7` gives tasks 0..7 (SLURM_ARRAY_TASK_ID), SLURM_ARRAY_TASK_COUNT = 8; change both
# ends together. The merge job waits for every task of the array (afterany: a shard that exits 2
# has written all its other districts; merge then lists the failed ones, and refuses to write if a
# shard died without its records, naming the districts). Re-run one shard with
# `sbatch --array=3 deploy/slurm-array.sh`: it rewrites only its own districts, atomically.
#
# The output folder must be on a file system every node sees (as $PWD usually is).
#SBATCH --job-name=circle15-batch
#SBATCH --array=0-7
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --mem=3G
#SBATCH --time=02:00:00
#SBATCH --output=circle15-batch-%A_%a.log
set -euo pipefail

OSM=${OSM:-$PWD/province.osm.pbf}
DISTRICTS=${DISTRICTS:-$PWD/districts.geojson}
OUT=${OUT:-$PWD/out}

# Exit code 2: some districts of this shard failed (listed in the log); the others are written.
exec circle15 batch --osm "$OSM" --districts "$DISTRICTS" --out "$OUT" \
    --threads "${SLURM_CPUS_PER_TASK:-2}" \
    --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" --quiet
