#!/usr/bin/env bash
# make demo: run sluiced on its embedded default -- two networks of pcap and
# null ports, no NIC, no hugepages -- replay generated traces through it and
# show what came out. Output pcaps stay in demo-out/.
set -euo pipefail
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/demo-out"
sluiced="$top/$build/main/sluiced"
sluicectl="$top/$build/tools/sluicectl"
tracegen="$top/$build/bench/sluice-tracegen"
rm -rf "$out"
mkdir -p "$out"

VIF1=02:00:00:00:01:01 VIF2=02:00:00:00:01:02 VIF3=02:00:00:00:02:01
echo "== generating traces (seeded, reproducible)"
# the uplink of xenbr0: 200k IMIX frames over 1000 flows to both VIFs, with
# broadcast, unknown unicast and 1% malformed frames
"$tracegen" --out "$out/uplink.pcap" --count 200000 --flows 1000 --size imix \
    --src-macs 16 --dst-mac $VIF1,$VIF2 --broadcast 2 --unknown 3 --malformed 1 --seed 7
# a guest on xenbr0 answering, and a guest on the isolated xenbr1 broadcasting
"$tracegen" --out "$out/vif1.pcap" --count 20000 --flows 100 --size 64 \
    --src-mac $VIF1 --dst-mac 02:5a:00:00:00:03 --seed 8
"$tracegen" --out "$out/vif3.pcap" --count 5000 --size 64 --src-mac $VIF3 \
    --broadcast 100 --seed 9
ls -l "$out"/*.pcap | awk '{print "   ", $5, $9}'

sed "s#@OUT@#$out#g" "$top/demo/state.json.in" > "$out/state.json"
ctl() { "$sluicectl" --socket "$out/sluiced.sock" "$@"; }

echo
echo "== sluiced --state $out/state.json"
"$sluiced" --state "$out/state.json" --socket "$out/sluiced.sock" \
    --stats-file "$out/stats.json" > "$out/counters.txt" 2> "$out/sluiced.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    ctl status > /dev/null 2>&1 && break
    sleep 0.1
done
# the traces are replayed once: wait until the uplink has read all of them
for _ in $(seq 100); do
    n=$(ctl --json stats | python3 -c 'import json,sys; print(sum(p["rx-packets"] for p in json.load(sys.stdin)["ports"]))')
    [ "$n" -ge 225000 ] && break
    sleep 0.1
done
grep -v TELEMETRY "$out/sluiced.log" | sed 's/^/    /' || true
echo
echo "== sluicectl network-list"
ctl network-list | sed 's/^/    /'
echo "== sluicectl vif-list params=device,MAC,bridge,currently-attached"
ctl vif-list params=device,MAC,bridge,currently-attached | sed 's/^/    /'
echo "== sluicectl fdb-show bridge=xenbr0   (first lines)"
ctl fdb-show bridge=xenbr0 | sed -n 1,6p | sed 's/^/    /'
echo "== sluicectl stats"
ctl stats | sed 's/^/    /'
kill -TERM $pid
wait $pid
trap - EXIT
echo
echo "== sluiced's final counters (SIGTERM)"
sed 's/^/    /' "$out/counters.txt"
echo
echo "== what came out, decoded by tshark (not by sluice)"
for f in uplink-out vif1-out vif2-out vif3-out; do
    n=$(tshark -r "$out/$f.pcap" 2>/dev/null | wc -l)
    dsts=$(tshark -r "$out/$f.pcap" -T fields -e eth.dst 2>/dev/null | sort | uniq -c | sort -rn | sed -n 1,3p | awk '{printf "%s x%s  ", $2, $1}')
    printf "    %-14s %7d frames   %s\n" "$f.pcap" "$n" "$dsts"
done
echo
echo "Output traces, the state file, the log and stats.json are in $out/"
