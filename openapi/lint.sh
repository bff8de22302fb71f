#!/usr/bin/env bash
# Lints the published OpenAPI contract with Spectral and Redocly CLI (versions pinned in
# package.json / package-lock.json). Exits non-zero on any error or warning.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

SPEC=src/main/resources/META-INF/openapi.yaml

# No telemetry or update checks from the tools (this machine reaches only package registries).
export SCARF_ANALYTICS=false
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true

npm ci --no-audit --no-fund

echo "== spectral lint (ruleset .spectral.yaml)"
npx --no-install spectral lint --fail-severity=warn "$SPEC"

echo "== redocly lint (config redocly.yaml)"
# Redocly exits non-zero on errors only; a JSON pass then fails on warnings too.
npx --no-install redocly lint --lint-config=error "$SPEC"
npx --no-install redocly lint --lint-config=error --format=json "$SPEC" 2>/dev/null | node -e '
  let s = "";
  process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const t = JSON.parse(s).totals;
    console.log(`redocly totals: ${t.errors} errors, ${t.warnings} warnings, ${t.ignored} ignored`);
    process.exit(t.errors === 0 && t.warnings === 0 ? 0 : 1);
  });
'
echo "== OpenAPI lint passed"
