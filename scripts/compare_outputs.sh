#!/usr/bin/env bash
# Byte-identity check for refactors: runs two circle15 binaries on the same cases and diffs every
# output file (summary.json without `stages_ms`). Usage: scripts/compare_outputs.sh OLD_BIN NEW_BIN [WORKDIR]
# Cases: the embedded extract; Las Palmas default; Las Palmas zhejiang-2027 --year 2027 with --plan;
# Las Palmas with OSM units; a what-if (--add-facility) on the embedded extract; Las Palmas what-ifs
# (a facility on a network island, several categories, a removal; with --clip).
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); work=${3:-$(mktemp -d)}; mkdir -p "$work"; work=$(realpath "$work")
data="$(cd "$(dirname "$0")/.." && pwd)/../shared/data"
lp="$data/las-palmas.osm.pbf"
cases=(
  "embedded|"
  "lp-default|--osm $lp"
  "lp-zhejiang-plan|--osm $lp --profile zhejiang-2027 --year 2027 --plan kindergarten:3"
  "lp-osm-units|--osm $lp --profile zhejiang-2027 --year 2027 --units osm"
  "embedded-whatif|--add-facility 120.15,30.27,kindergarten,80 --remove-facility node/696402705"
  "lp-whatif-island|--osm $lp --add-facility -15.4962705,28.1442118,kindergarten,50 --add-facility -15.43,28.12,health --remove-facility node/1552686239"
  "lp-whatif-clip|--osm $lp --clip $data/las-palmas-boundary.geojson --add-facility -15.43,28.12,kindergarten --remove-facility node/4353876595"
)
strip() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("stages_ms",None); print(json.dumps(d,sort_keys=True,ensure_ascii=False,indent=1))' "$1"; }
status=0
for c in "${cases[@]}"; do
  name=${c%%|*}; args=${c#*|}
  for which in old new; do
    bin=$old; [ "$which" = new ] && bin=$new
    rm -rf "$work/$name-$which"
    # shellcheck disable=SC2086
    if ! "$bin" analyze $args --quiet --out "$work/$name-$which" 2>"$work/$name-$which.stderr"; then
      echo "$name: $which exited non-zero"; cat "$work/$name-$which.stderr"; status=1
    fi
  done
  a="$work/$name-old"; b="$work/$name-new"
  if [ -d "$a" ] && [ -d "$b" ]; then
    for f in $( (cd "$a" && ls; cd "$b" && ls) | sort -u); do
      if [ "$f" = summary.json ]; then
        if ! diff -q <(strip "$a/$f") <(strip "$b/$f") >/dev/null; then echo "$name: $f differs (beyond stages_ms)"; status=1; fi
      elif ! cmp -s "$a/$f" "$b/$f"; then echo "$name: $f differs"; status=1; fi
    done
    diff -q "$work/$name-old.stderr" "$work/$name-new.stderr" >/dev/null || { echo "$name: stderr differs"; status=1; }
    echo "$name: compared $(ls "$b" | wc -l) files"
  fi
done
exit $status
