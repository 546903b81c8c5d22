#!/usr/bin/env bash
# A/B of the documents list between two release builds of Cartable (docs/PERFORMANCE.md,
# "Documents list"):
#
#   scripts/bench.d/ab_documents.sh BIN_A BIN_B [DOCUMENTS] [ROUNDS] [SECONDS]
#
# BIN_A generates the demo school and seeds DOCUMENTS (default 2000) with `cartable debug
# seed-documents`; BIN_B gets a copy of the same data directory, so a B of a newer schema
# migrates A's store when it starts (each server's start time is printed: B's includes the
# migration). Both serve at once; the seeded teacher signs in on each, and wrk (2 threads, 64
# connections, HTTPS) loads the documents list of the seeded class's space and `/healthz` of A
# and B in turn, SECONDS each (default 10), ROUNDS times (default 4), so the machine's drift
# hits both builds alike. One line per load: round, build, path, requests/s, p50, p99; then the
# mean documents/healthz ratio of each build. Needs wrk and curl (scripts/bench installs wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: $0 BIN_A BIN_B [DOCUMENTS] [ROUNDS] [SECONDS]" >&2; exit 2; }
bins=("$1" "$2")
count=${3:-2000}
rounds=${4:-4}
secs=${5:-10}
export CARTABLE_CONFIG=/dev/null CARTABLE_LISTEN_HTTPS=127.0.0.1:0 CARTABLE_LISTEN_HTTP= CARTABLE_LOG_LEVEL=warn
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/0" "$work/1"
"${bins[0]}" demo --size school --no-serve --data-dir "$work/0/data" > /dev/null
"${bins[0]}" --data-dir "$work/0/data" debug seed-documents --count "$count" > "$work/seed.txt"
teacher=$(awk '$1 == "teacher" {print $2}' "$work/seed.txt")
class=$(awk '$1 == "class" {print $2}' "$work/seed.txt")
cp -a "$work/0/data" "$work/1/data"
echo "documents: $count seeded; /documents/$class as $teacher"
base=()
for i in 0 1; do
    dir=$work/$i
    start=$(date +%s.%N)
    "${bins[$i]}" --data-dir "$dir/data" serve > "$dir/server.out" 2> "$dir/server.err" &
    pids+=($!)
    for _ in $(seq 1 1200); do grep -q '^  HTTPS' "$dir/server.out" 2>/dev/null && break; sleep 0.05; done
    end=$(date +%s.%N)
    addr=$(awk '/^  HTTPS/ {print $2}' "$dir/server.out")
    [ -n "$addr" ] || { cat "$dir/server.err" >&2; echo "server $i did not start" >&2; exit 1; }
    echo "$([ "$i" = 0 ] && echo A || echo B) started in $(python3 -c "print(f'{$end - $start:.2f}')") s"
    b="https://$addr"
    curl -sk -o /dev/null -D - -H "content-type: application/json" \
        --data "{\"login\":\"$teacher\",\"password\":\"demo-cartable-2026\"}" "$b/api/v1/auth/login" |
        tr -d '\r' | sed -n 's/^set-cookie: \(__Host-cartable=[^;]*\).*/\1/Ip' > "$dir/cookies"
    [ -s "$dir/cookies" ] || { echo "$teacher could not sign in on $i" >&2; exit 1; }
    status=$(curl -sk -o "$dir/page.html" -w '%{http_code}' -H "Cookie: $(cat "$dir/cookies")" "$b/documents/$class")
    [ "$status" = 200 ] || { echo "/documents/$class answered $status on $i" >&2; exit 1; }
    base+=("$b")
done
echo "rows on the page: A $(grep -c '/telecharger"' "$work/0/page.html" || true), B $(grep -c '/telecharger"' "$work/1/page.html" || true)"
sleep 5 # let both search indexers catch up before loading
for round in $(seq 1 "$rounds"); do
    for path in "/documents/$class" /healthz; do
        for i in 0 1; do
            result=$(COOKIES=$work/$i/cookies wrk -t2 -c64 -d"${secs}s" --latency \
                -s scripts/bench.d/cookies.lua "${base[$i]}$path" | grep RESULT)
            echo "$round $([ "$i" = 0 ] && echo A || echo B) $path ${result#RESULT }" | tee -a "$work/results"
        done
    done
done
python3 - "$work/results" <<'PY'
import sys, collections
rps = collections.defaultdict(list)
for line in open(sys.argv[1]):
    parts = line.split()
    build, path = parts[1], parts[2]
    fields = dict(kv.split("=") for kv in parts[3:])
    rps[(build, "healthz" if path == "/healthz" else "documents")].append(float(fields["requests_per_sec"]))
for build in "AB":
    d = rps[(build, "documents")]; h = rps[(build, "healthz")]
    ratios = [a / b for a, b in zip(d, h)]
    print(f"{build}: documents {sum(d)/len(d):.0f} req/s, healthz {sum(h)/len(h):.0f} req/s, "
          f"documents/healthz {sum(ratios)/len(ratios):.3f} (per round: {', '.join(f'{r:.3f}' for r in ratios)})")
a = rps[("A", "documents")]; b = rps[("B", "documents")]
print(f"documents list B/A: {sum(b)/sum(a):.3f}")
PY
