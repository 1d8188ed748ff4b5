#!/usr/bin/env bash
# make demo-ovsdb: sluiced behind Debian's real ovsdb-server, driven by the
# ovs-vsctl commands XCP-ng's networkd and VIF hotplug scripts run. Runs in
# a network namespace of its own (make demo-ovsdb starts it under unshare
# --net): kernel namespaces behind veth pairs play the upstream switch and
# the guests. Everything it writes stays in demo-out/ovsdb/.
set -euo pipefail
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/demo-out/ovsdb"
sluiced="$top/$build/main/sluiced"
sluicectl="$top/$build/tools/sluicectl"
rm -rf "$out"
mkdir -p "$out"
export OVS_RUNDIR="$out" OVS_DBDIR="$out" OVS_LOGDIR="$out"
ctl() { "$sluicectl" --socket "$out/sluiced.sock" "$@"; }
vsctl() {
    echo "  \$ ovs-vsctl --timeout=20 $*"
    ovs-vsctl --db="unix:$out/db.sock" --timeout=20 "$@"
}
in_ns() { ip netns exec "$@"; }
say() { echo; echo "== $*"; }

ip link set lo up
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
# peers: the upstream switch of xenbr0 (upstream), a LAN behind a bond
# (lan, a kernel bridge over both members) and four guests
for ns in upstream lan guest1 guest2 guest3 guest4; do
    ip netns del "dm-$ns" 2>/dev/null || true
    ip netns add "dm-$ns"
    in_ns "dm-$ns" ip link set lo up
    in_ns "dm-$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
veth() {	# veth <here> <ns> <there> [address]
    ip link add "$1" type veth peer name "$3" netns "dm-$2"
    ip link set "$1" up
    in_ns "dm-$2" ip link set "$3" up
    if [ -n "${4:-}" ]; then in_ns "dm-$2" ip addr add "$4" dev "$3"; fi
}
veth eth0 upstream p0 10.50.0.1/24
veth eth1 lan p1
veth eth2 lan p2
in_ns dm-lan ip link add br0 type bridge
in_ns dm-lan ip link set p1 master br0
in_ns dm-lan ip link set p2 master br0
in_ns dm-lan ip link set br0 up
in_ns dm-lan ip addr add 10.70.0.1/24 dev br0
veth vif1.0 guest1 g1 10.50.0.11/24
veth vif2.0 guest2 g2 10.60.0.12/24
veth vif3.0 guest3 g3 10.60.0.13/24
veth vif4.0 guest4 g4 10.70.0.14/24
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2> /dev/null || true; fi
    for ns in upstream lan guest1 guest2 guest3 guest4; do
        ip netns del "dm-$ns" 2> /dev/null || true
    done
    if [ -f "$out/ovsdb-server.pid" ]; then
        kill "$(cat "$out/ovsdb-server.pid")" 2> /dev/null || true
    fi
}
trap cleanup EXIT

say "Debian's ovsdb-server on a fresh database"
ovsdb-tool create "$out/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server "$out/conf.db" --remote="punix:$out/db.sock" \
    --unixctl="$out/ovsdb-server.ctl" --pidfile="$out/ovsdb-server.pid" \
    --log-file="$out/ovsdb-server.log" --detach
ovs-vsctl --db="unix:$out/db.sock" --no-wait init
echo "  $out/db.sock"

say "sluiced --ovsdb unix:$out/db.sock   (in the place of ovs-vswitchd)"
"$sluiced" --ovsdb "unix:$out/db.sock" --state "$out/state.json" \
    --socket "$out/sluiced.sock" --stats-file "$out/stats.json" \
    > "$out/counters.txt" 2> "$out/sluiced.log" &
pid=$!
for _ in $(seq 100); do
    ctl status > /dev/null 2>&1 && break
    sleep 0.1
done

say "networkd's commands (each waits until the switch has applied it)"
mac=$(cat /sys/class/net/eth0/address)
vsctl -- --may-exist add-br xenbr0 -- set bridge xenbr0 "other-config:hwaddr=$mac" \
    -- set bridge xenbr0 fail_mode=standalone \
    -- br-set-external-id xenbr0 xs-network-uuids "$(cat /proc/sys/kernel/random/uuid)"
vsctl -- --may-exist add-port xenbr0 eth0
vsctl -- --may-exist add-br xapi1 xenbr0 10
vsctl -- --may-exist add-br xenbr1 -- --may-exist add-bond xenbr1 bond0 eth1 eth2 \
    -- set port bond0 bond_mode=active-backup lacp=off bond_updelay=0 bond_downdelay=0
ip addr add 10.50.0.254/24 dev xenbr0	# the management address, on the bridge's own port
ip link set xenbr0 up

say "the VIF hotplug script's commands"
n=1
for pair in xenbr0:vif1.0 xapi1:vif2.0 xapi1:vif3.0 xenbr1:vif4.0; do
    br=${pair%%:*} vif=${pair#*:}
    vsctl -- --if-exists del-port "$vif"
    vsctl add-port "$br" "$vif" -- set interface "$vif" \
        "external-ids:\"attached-mac\"=\"02:00:00:00:00:0$n\""
    echo "  ofport of $vif: $(ovs-vsctl --db="unix:$out/db.sock" get interface "$vif" ofport)"
    n=$((n + 1))
done

say "ovs-vsctl show"
ovs-vsctl --db="unix:$out/db.sock" show | sed 's/^/    /'
say "ovs-appctl -t ovs-vswitchd bond/show bond0   (answered by sluiced)"
ovs-appctl -t ovs-vswitchd bond/show bond0 | sed 's/^/    /'

say "traffic"
try_ping() {	# try_ping <ns> <address> <what>
    for _ in 1 2 3 4 5; do in_ns "dm-$1" ping -c 1 -W 1 "$2" > /dev/null 2>&1 && break; done
    if in_ns "dm-$1" ping -c 3 -i 0.2 -W 1 "$2" > /dev/null 2>&1; then
        echo "    ok    $3"
    else
        echo "    FAIL  $3"
    fi
}
try_ping guest1 10.50.0.1 "guest1 (vif1.0 on xenbr0) -> the upstream switch, through eth0"
try_ping guest1 10.50.0.254 "guest1 -> the host's own address on xenbr0 (internal port)"
try_ping guest2 10.60.0.13 "guest2 -> guest3, both on the fake bridge xapi1 (VLAN 10)"
try_ping guest4 10.70.0.1 "guest4 (vif4.0 on xenbr1) -> the LAN, through bond0"

say "sluicectl network-list   (what the database became, read-only)"
ctl network-list | sed 's/^/    /'
say "sluicectl status   (its ovsdb part: the connection, each interface)"
ctl --json status | python3 -c '
import json, sys
o = json.load(sys.stdin)["ovsdb"]
print("    %s: %s, %d status transactions" % (o["remote"], o["state"], o["transactions"]))
for i in o["interfaces"]:
    print("    %-8s ofport %5d  %s" % (i["name"], i["ofport"], i["attached-with"] or i["error"]))'
say "sluicectl network-create name-label=x   (refused: the database owns it)"
ctl network-create name-label=x 2>&1 | sed 's/^/    /' || true
say "sluicectl stats"
ctl stats | sed 's/^/    /'
kill -TERM "$pid"
wait "$pid" || true
pid=
echo
echo "sluiced's log: $out/sluiced.log; the database: $out/conf.db"
