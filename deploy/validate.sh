#!/usr/bin/env bash
# Renders the kustomize base and the production overlay with kubectl (which carries kustomize)
# and validates every object against the Kubernetes API schemas (validate.mjs; tools pinned in
# package.json / package-lock.json). Needs no cluster. Exits non-zero on any problem.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

command -v kubectl >/dev/null || { echo "kubectl is needed to render the manifests (kubectl kustomize)" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error

OUT=target
mkdir -p "$OUT"
PRODUCTION=kubernetes/overlays/production
# the production secrets file is never committed: render with the example's placeholders
created_secrets=""
if [ ! -f "$PRODUCTION/secrets.env" ]; then
  cp "$PRODUCTION/secrets.env.example" "$PRODUCTION/secrets.env"
  created_secrets="$PRODUCTION/secrets.env"
  trap 'rm -f "$created_secrets"' EXIT
fi

kubectl kustomize kubernetes/base > "$OUT/base.yaml"
kubectl kustomize "$PRODUCTION" > "$OUT/production.yaml"
node validate.mjs base="$OUT/base.yaml" production="$OUT/production.yaml"
