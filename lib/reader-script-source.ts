/**
 * The reader script: POSIX `sh`, run by the reader pods from a ConfigMap.
 *
 * Usage: `read-secret.sh [--keep-alive] [NAMESPACE]`
 * - reads the token, CA bundle and namespace from `$SA_DIR`
 *   (default `/var/run/secrets/kubernetes.io/serviceaccount`),
 * - GETs `$API_SERVER/api/v1/namespaces/NAMESPACE/secrets/$TARGET_NAME` (the Secret's name), verifying TLS
 *   against the mounted CA (never `-k`), passing the token on curl's stdin so it is in
 *   neither argv nor output,
 * - prints `HTTP <code>` and exactly one line starting `ALLOWED:`, `DENIED:` or `ERROR:`
 *   (the secret's values are never printed),
 * - exits 0 / 1 / 2 for allowed / denied / error, or with `--keep-alive` sleeps like the
 *   original walkthrough so `kubectl logs` and `kubectl exec` work.
 */
export const READER_SCRIPT = `#!/bin/sh
# api-reader: read one Secret through the Kubernetes API with this pod's own bound token.
# Usage: read-secret.sh [--keep-alive] [NAMESPACE]
set -u

keep_alive=false
if [ "\${1:-}" = "--keep-alive" ]; then keep_alive=true; shift; fi
sa_dir=\${SA_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}
api_server=\${API_SERVER:-https://kubernetes.default.svc}
secret_name=\${TARGET_NAME:-api-access-secret}
nl='
'

finish() {
  if [ "$keep_alive" = true ]; then
    # Sleep in the background and wait, so TERM is handled at once; stop the sleeper on exit.
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM INT
    while :; do
      sleep 3600 &
      sleeper=$!
      wait "$sleeper"
    done
  fi
  exit "$1"
}

fail() {
  echo "ERROR: $1"
  finish 2
}

[ -r "$sa_dir/token" ] || fail "no readable token at $sa_dir/token: mount a projected serviceAccountToken there"
[ -r "$sa_dir/ca.crt" ] || fail "no CA bundle at $sa_dir/ca.crt: mount the kube-root-ca.crt ConfigMap there"
namespace=\${1:-}
if [ -z "$namespace" ]; then
  [ -r "$sa_dir/namespace" ] || fail "no NAMESPACE argument and no $sa_dir/namespace file"
  namespace=$(cat "$sa_dir/namespace")
fi
target="secret $namespace/$secret_name"
url="$api_server/api/v1/namespaces/$namespace/secrets/$secret_name"
echo "api-reader: GET $url"

# The token reaches curl as a header on stdin (-H @-): never in argv (ps) nor in any output.
response=$({ printf 'Authorization: Bearer '; tr -d '\\r\\n' < "$sa_dir/token"; printf '\\n'; } |
  curl --silent --show-error --cacert "$sa_dir/ca.crt" --header @- \\
    --header 'Accept: application/json' --write-out "\${nl}%{http_code}" "$url")
curl_status=$?
code=\${response##*"$nl"}
body=\${response%"$nl"*}
echo "HTTP $code"
[ "$curl_status" -eq 0 ] || fail "request to $api_server failed (curl exit $curl_status); check the CA bundle and the API server address"

# The server's explanation from a Status body; only ever called on error bodies, never on a Secret.
status_message() {
  printf '%s' "$body" | tr -d '\\n' |
    sed -n 's/.*"message": *"\\(\\([^"\\\\]\\|\\\\.\\)*\\)".*/\\1/p' | sed 's/\\\\"/"/g'
}
case "$code" in
  200) echo "ALLOWED: read $target (values not shown)"; finish 0 ;;
  401) echo "DENIED: the API server rejected the token (401 Unauthorized: wrong audience or expired): $(status_message)"; finish 1 ;;
  403) echo "DENIED: $(status_message)"; finish 1 ;;
  404) fail "$target does not exist (404); create it, then run again" ;;
  *) fail "unexpected HTTP $code from the API server: $(status_message)" ;;
esac
`;
