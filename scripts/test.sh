#!/usr/bin/env bash
# The project's test command (README and .ci/run): installs what the tests need, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."

# Headless Chromium for the browser test of report.html (Debian packages). The test is skipped with
# a loud message only when no browser can be installed.
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "WARNING: could not install chromium; the browser test will be skipped" >&2
  else
    echo "WARNING: chromium missing and cannot be installed here; the browser test will be skipped" >&2
  fi
fi

# GDAL's ogrinfo for the FlatGeobuf test (tests/it/formats.rs; it fails without it under CI=true).
if ! command -v ogrinfo >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gdal-bin >/dev/null) \
      || echo "WARNING: could not install gdal-bin; the FlatGeobuf test will fail under CI=true" >&2
  else
    echo "WARNING: ogrinfo missing and cannot be installed here; the FlatGeobuf test will be skipped" >&2
  fi
fi

# A CJK font for the PNG maps' Chinese labels (tests/it/zh_conventions.rs; it fails without one under
# CI=true, and skips loudly otherwise).
if ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } && ! ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null) \
      || echo "WARNING: could not install fonts-noto-cjk; the Chinese PNG label test fails under CI=true" >&2
  else
    echo "WARNING: no CJK font and none can be installed here; the Chinese PNG label test will be skipped" >&2
  fi
fi

cargo fmt --check
# `circle15 bench` is behind the `bench` feature (issue 13): type-check it too (cheap, no codegen).
cargo check --locked --features bench --bins --examples
cargo test --locked "$@"
