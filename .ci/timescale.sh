#!/usr/bin/env bash
# A throwaway TimescaleDB for TimescaleMigrationsTest: PGlite (PostgreSQL 17 in WebAssembly) with TimescaleDB 2.23,
# served over the PostgreSQL wire protocol on 127.0.0.1 by .ci/timescale/server.mjs. In memory: every start is empty.
#
#   .ci/timescale.sh         installs the pinned npm packages (package-lock.json) into target/timescale/, starts the
#                            server in the background on a free port, waits until it accepts connections and prints
#                            its JDBC URL (the only thing on stdout), e.g.
#                              export FORESHADOW_TIMESCALE_URL="$(.ci/timescale.sh)"
#   .ci/timescale.sh stop    stops the server started from this checkout (no-op when none runs)
#
# Needs Node.js 20+ and npm with access to the npm registry. Log: target/timescale/server.log.
# One client at a time (PGlite is one session; other connections wait): prepareThreshold=0 in the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/timescale
pidfile=$dir/server.pid
log=$dir/server.log
wait_seconds=${FORESHADOW_TIMESCALE_WAIT:-60}

stop() {
    if [[ -f $pidfile ]]; then
        local pid
        pid=$(cat "$pidfile")
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid"
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
        fi
        rm -f "$pidfile"
    fi
}

if [[ ${1:-} == stop ]]; then
    stop
    exit 0
fi
if [[ $# -gt 0 ]]; then
    echo "usage: $0 [stop]" >&2
    exit 2
fi

command -v node >/dev/null || { echo "timescale.sh: node (Node.js 20+) is not installed" >&2; exit 1; }
node -e 'process.exit(parseInt(process.versions.node) >= 20 ? 0 : 1)' \
    || { echo "timescale.sh: Node.js 20+ needed, found $(node --version)" >&2; exit 1; }

stop # a server left over from an earlier run of this checkout
mkdir -p "$dir"
cp .ci/timescale/package.json .ci/timescale/package-lock.json .ci/timescale/server.mjs "$dir"/
if ! (cd "$dir" && npm ci --legacy-peer-deps --ignore-scripts --no-audit --no-fund --loglevel=error >&2); then
    echo "timescale.sh: npm ci failed in $dir (is the npm registry reachable?)" >&2
    exit 1
fi

# port 0: the server binds a free port itself and prints it, so no other process can take it in between
: >"$log"
(cd "$dir" && exec nohup node server.mjs 0 </dev/null >server.log 2>&1) &
echo $! >"$pidfile"

port=
for _ in $(seq 1 $((wait_seconds * 10))); do
    port=$(sed -n 's/^LISTENING \([0-9]*\)$/\1/p' "$log")
    [[ -n $port ]] && break
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "timescale.sh: the server exited before listening; $log:" >&2
        tail -n 30 "$log" >&2
        rm -f "$pidfile"
        exit 1
    fi
    sleep 0.1
done
if [[ -z $port ]]; then
    echo "timescale.sh: the server did not listen within ${wait_seconds}s; $log:" >&2
    tail -n 30 "$log" >&2
    stop
    exit 1
fi

# listening is not yet serving: wait for a real round trip through the wire protocol (bounded, like above)
url="jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres&password=postgres&sslmode=disable&prepareThreshold=0"
# a StartupMessage (protocol 3.0, user postgres): a PostgreSQL server answers with an Authentication message ('R')
probe='const s=require("net").connect(+process.argv[1],"127.0.0.1");s.setTimeout(5000,()=>process.exit(1));
s.on("error",()=>process.exit(1));
const p=Buffer.from("user\0postgres\0database\0postgres\0\0");const b=Buffer.alloc(8);
b.writeInt32BE(8+p.length,0);b.writeInt32BE(196608,4);s.write(Buffer.concat([b,p]));
s.on("data",d=>{s.destroy();process.exit(d[0]===82?0:1)});'
for _ in $(seq 1 "$wait_seconds"); do
    if node -e "$probe" "$port" 2>/dev/null; then
        echo "$url"
        exit 0
    fi
    sleep 1
done
echo "timescale.sh: 127.0.0.1:$port does not answer the PostgreSQL protocol within ${wait_seconds}s; $log:" >&2
tail -n 30 "$log" >&2
stop
exit 1
