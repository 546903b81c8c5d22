#!/usr/bin/env bash
# A/B of the portal between two release builds of Cartable (docs/PERFORMANCE.md):
#
#   scripts/bench.d/ab_portal.sh BIN_A BIN_B [ROUNDS] [SECONDS]
#
# Both binaries serve their own demo school at once (200 signed-in users each); wrk (2 threads,
# 64 connections, HTTPS) then loads `/` and `/healthz` of A and B in turn, SECONDS each (default
# 10), ROUNDS times (default 6), so the machine's drift hits both builds alike. One line per
# load: round, build, path, requests/s, p50, p99. Needs wrk and curl (scripts/bench installs wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: $0 BIN_A BIN_B [ROUNDS] [SECONDS]" >&2; exit 2; }
bins=("$1" "$2")
rounds=${3:-6}
secs=${4:-10}
export CARTABLE_CONFIG=/dev/null CARTABLE_LISTEN_HTTPS=127.0.0.1:0 CARTABLE_LISTEN_HTTP= CARTABLE_LOG_LEVEL=warn
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
base=()
for i in 0 1; do
    dir=$work/$i
    mkdir -p "$dir"
    "${bins[$i]}" --data-dir "$dir/data" debug demo-logins --size school --count 200 > "$dir/logins"
    "${bins[$i]}" --data-dir "$dir/data" serve > "$dir/server.out" 2> "$dir/server.err" &
    pids+=($!)
    for _ in $(seq 1 200); do grep -q '^  HTTPS' "$dir/server.out" 2>/dev/null && break; sleep 0.05; done
    b="https://$(awk '/^  HTTPS/ {print $2}' "$dir/server.out")"
    export b
    xargs -P 8 -I{} sh -c '
      curl -sk -o /dev/null -D - -H "content-type: application/json" \
        --data "{\"login\":\"{}\",\"password\":\"demo-cartable-2026\"}" "$b/api/v1/auth/login" |
      tr -d "\r" | sed -n "s/^set-cookie: \(__Host-cartable=[^;]*\).*/\1/Ip"' < "$dir/logins" > "$dir/cookies"
    base+=("$b")
done
for round in $(seq 1 "$rounds"); do
    for path in / /healthz; do
        for i in 0 1; do
            result=$(COOKIES=$work/$i/cookies wrk -t2 -c64 -d"${secs}s" --latency \
                -s scripts/bench.d/cookies.lua "${base[$i]}$path" | grep RESULT)
            echo "$round $([ $i = 0 ] && echo A || echo B) $path ${result#RESULT }"
        done
    done
done
