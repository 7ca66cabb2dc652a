#!/usr/bin/env bash
# Seeds the corpora and runs each fuzz target for SECONDS (default 600), one after another,
# at the lowest CPU priority. Usage: fuzz/run.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain gets nightly flags through
# RUSTC_BOOTSTRAP=1. Findings land in fuzz/artifacts/<target>/, logs in fuzz/logs/<target>.log.
set -euo pipefail

secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pbf communities_geojson facility_table_csv profile_toml)

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
data=${CIRCLE15_DATA:-$root/../shared/data}
cd "$here"
export RUSTC_BOOTSTRAP=1

# Seeds. The real extracts are ODbL data that must not be committed: they are copied in at run time
# (corpus/ is git-ignored), and also stored uncompressed so mutations reach the protobuf structure.
mkdir -p corpus/{pbf,communities_geojson,facility_table_csv,profile_toml} logs
for f in west-oakland kouvola taipei-junction; do
    if [ -f "$data/$f.osm.pbf" ]; then
        cp -f "$data/$f.osm.pbf" "corpus/pbf/seed-$f.osm.pbf"
        if command -v python3 >/dev/null; then
            python3 raw_pbf.py "$data/$f.osm.pbf" "corpus/pbf/seed-$f-raw.osm.pbf"
        fi
    else
        echo "warning: $data/$f.osm.pbf missing; pbf corpus not seeded with it" >&2
    fi
done
cp -f seeds/communities_geojson/* corpus/communities_geojson/
cp -f seeds/facility_table_csv/* corpus/facility_table_csv/
cp -f "$root"/profiles/*.toml corpus/profile_toml/
# The malformed-input fixtures are good seeds too.
for d in "$root"/tests/fixtures/malformed/*/; do
    for f in "$d"*; do
        [ -f "$f" ] || continue
        case "$f" in
            */args | */expected) ;;
            *.pbf) cp -f "$f" "corpus/pbf/fixture-$(basename "$d")" ;;
            *.geojson) cp -f "$f" "corpus/communities_geojson/fixture-$(basename "$d")" ;;
            *.csv) cp -f "$f" "corpus/facility_table_csv/fixture-$(basename "$d")" ;;
            *.toml) cp -f "$f" "corpus/profile_toml/fixture-$(basename "$d")" ;;
        esac
    done
done

# Safe Rust throughout: no sanitizer (3-4x more executions); debug assertions stay on.
for t in "${targets[@]}"; do nice -n 19 cargo fuzz build --sanitizer none "$t"; done
bin_dir=${CARGO_TARGET_DIR:-$here/target}/x86_64-unknown-linux-gnu/release

for t in "${targets[@]}"; do
    mkdir -p "artifacts/$t"
    echo "== $t: ${secs}s" >&2
    # One decoding thread: the machine is shared, and findings reproduce the same way.
    RAYON_NUM_THREADS=1 nice -n 19 "$bin_dir/$t" "corpus/$t" \
        -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" >"logs/$t.log" 2>&1 || echo "$t: fuzzer stopped with a finding, see logs/$t.log" >&2
    grep -E '^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY' "logs/$t.log" | tail -4 >&2
done
