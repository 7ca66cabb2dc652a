#!/usr/bin/env bash
# Refreshes vendor/leaflet/ from the npm registry: leaflet.js, leaflet.css and LICENSE of the
# pinned Leaflet release, embedded into report.html by src/report/html.rs (include_str!).
# Usage: bash vendor/fetch-leaflet.sh [VERSION]   (default: the pinned 1.9.4)
# Needs npm and tar; run from anywhere. Check `git diff --stat vendor/` afterwards and update the
# version and checksums in vendor/README.md.
set -euo pipefail
VERSION="${1:-1.9.4}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm pack --loglevel=error "leaflet@${VERSION}" >/dev/null
tar xzf "leaflet-${VERSION}.tgz"
mkdir -p "$HERE/leaflet"
cp package/dist/leaflet.js package/dist/leaflet.css package/LICENSE "$HERE/leaflet/"
echo "leaflet ${VERSION}:"
sha256sum "leaflet-${VERSION}.tgz"
(cd "$HERE/leaflet" && sha256sum leaflet.js leaflet.css LICENSE)
