// SPDX-License-Identifier: BSD-3-Clause
//
// Xen Orchestra's OpenFlow direct channel as a test client: TLS to the
// host's port 6653 with the controller's certificate, the exchange of
// xo-server-sdn-controller's openflow-channel.js (on the switch's HELLO:
// HELLO and FEATURES_REQUEST; on FEATURES_REPLY: GET_CONFIG_REQUEST; on
// GET_CONFIG_REPLY it is ready; it answers ECHO_REQUEST), and its rules:
// OpenFlow 1.1 FLOW_MODs with the standard match, SEND_FLOW_REM, an
// APPLY_ACTIONS of OUTPUT:NORMAL (allow) or nothing (deny), deleted with a
// non-strict DELETE of the same match. Every message is packed and
// unpacked by the real @xen-orchestra/openflow package, except those it
// has no decoder for (FLOW_REMOVED, BARRIER_REPLY), which are framed by
// their header and reported by type.
//
//   node client.js HOST PORT KEY CERT CA ACTIONS_JSON
//
// ACTIONS_JSON: a list of {"op": "add"|"delete", "mac", "allow",
// "protocol" ("TCP"...), "port", "ipRange", "direction" ("to"|"from"),
// "ofport"} and {"op": "wait-removed", "count": N}. One JSON line per
// event on stdout; exit 0 once every action is done.
'use strict'

const tls = require('tls')
const fs = require('fs')
const openflow = require('@xen-orchestra/openflow').default

const version = openflow.versions.openFlow11
const of = openflow.protocols[version]
const [host, port, key, cert, ca, actionsJson] = process.argv.slice(2)
const actions = JSON.parse(actionsJson)

const say = event => process.stdout.write(JSON.stringify(event) + '\n')
const fail = why => {
  say({ event: 'failed', why: String(why) })
  process.exit(1)
}

// openflow-channel.js's parseIp: a range's mask is sent as a wildcard
// (the inverted netmask), as OpenFlow 1.1's standard match takes it
function parseIp (range) {
  const [addr, plen] = range.split('/')
  if (plen === undefined) return { addr }
  const bits = Number(plen)
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0
  const wild = (~mask) >>> 0
  return { addr, mask: [24, 16, 8, 0].map(s => (wild >>> s) & 255).join('.') }
}

function dlAndNw (protocol) {
  switch (protocol) {
    case 'IP': return { dlType: of.dlType.ip }
    case 'ICMP': return { dlType: of.dlType.ip, nwProto: of.nwProto.icmp }
    case 'TCP': return { dlType: of.dlType.ip, nwProto: of.nwProto.tcp }
    case 'UDP': return { dlType: of.dlType.ip, nwProto: of.nwProto.udp }
    case 'ARP': return { dlType: of.dlType.arp }
  }
  return {}
}

// the matches addRule/deleteRule make for one rule, as XO makes them
function matches (a, withInPort) {
  const ip = parseIp(a.ipRange)
  const { dlType, nwProto } = dlAndNw(a.protocol)
  const std = of.matchType.standard
  const out = []
  const inPort = withInPort ? a.ofport : undefined
  if (a.direction.includes('from')) {
    out.push({ type: std, dl_type: dlType, dl_src: a.mac, nw_proto: nwProto, nw_dst: ip.addr, nw_dst_mask: ip.mask, tp_src: a.port, in_port: inPort })
    if (nwProto !== undefined) {
      out.push({ type: std, dl_type: dlType, dl_dst: a.mac, nw_proto: nwProto, nw_src: ip.addr, nw_src_mask: ip.mask, tp_dst: a.port })
    }
  }
  if (a.direction.includes('to')) {
    if (nwProto !== undefined) {
      out.push({ type: std, dl_type: dlType, dl_src: a.mac, nw_proto: nwProto, nw_dst: ip.addr, nw_dst_mask: ip.mask, tp_dst: a.port, in_port: inPort })
    }
    out.push({ type: std, dl_type: dlType, dl_dst: a.mac, nw_proto: nwProto, nw_src: ip.addr, nw_src_mask: ip.mask, tp_src: a.port })
  }
  return out
}

function flowMod (command, match, instructions = []) {
  return openflow.pack({
    header: { version, type: of.type.flowMod, xid: 1 },
    command,
    flags: of.flowModFlags.sendFlowRem,
    match,
    instructions
  })
}

const socket = tls.connect({
  host,
  port: Number(port),
  key: fs.readFileSync(key),
  cert: fs.readFileSync(cert),
  ca: fs.readFileSync(ca),
  checkServerIdentity: () => undefined
})
socket.on('error', fail)

let removed = 0
let waiting = null // resolves when the echo or FLOW_REMOVED count comes
let echoXid = 1000

function send (object) {
  socket.write(openflow.pack(object))
}

function handle (buf) {
  const type = buf.readUInt8(1)
  const xid = buf.readUInt32BE(4)
  if (type === of.type.flowRemoved) {
    // no decoder in the package: cookie(8) priority(2) reason(1)
    removed++
    say({ event: 'flow-removed', cookie: buf.readBigUInt64BE(8).toString(), reason: buf.readUInt8(18) })
    if (waiting && waiting.removed !== undefined && removed >= waiting.removed) waiting.resolve()
    return
  }
  const msg = openflow.unpack(buf)
  switch (type) {
    case of.type.hello:
      send({ header: { version, type: of.type.hello, xid } })
      send({ header: { version, type: of.type.featuresRequest, xid } })
      break
    case of.type.featuresReply:
      say({ event: 'features', datapath_id: msg.datapath_id, ports: (msg.ports || []).map(p => p.name) })
      send({ header: { version, type: of.type.getConfigRequest, xid } })
      break
    case of.type.getConfigReply:
      say({ event: 'connected', flags: msg.flags })
      run().catch(fail)
      break
    case of.type.echoRequest:
      send({ header: { version, type: of.type.echoReply, xid } })
      break
    case of.type.echoReply:
      if (waiting && waiting.xid === xid) waiting.resolve()
      break
    case of.type.error:
      say({ event: 'error', type: msg.type, code: msg.code })
      break
  }
}

// the stream: messages framed by their header's length
let pending = Buffer.alloc(0)
socket.on('data', chunk => {
  pending = Buffer.concat([pending, chunk])
  while (pending.length >= 8 && pending.length >= pending.readUInt16BE(2)) {
    const len = pending.readUInt16BE(2)
    if (len < 8) fail('a message shorter than its header')
    const buf = pending.subarray(0, len)
    pending = pending.subarray(len)
    try {
      handle(Buffer.from(buf))
    } catch (e) {
      fail(e)
    }
  }
})

// everything sent before an echo has been handled when its reply comes
function sync () {
  const xid = ++echoXid
  return new Promise(resolve => {
    waiting = { xid, resolve }
    send({ header: { version, type: of.type.echoRequest, xid } })
  })
}

async function run () {
  for (const a of actions) {
    if (a.op === 'add') {
      const instructions = [{ type: of.instructionType.applyActions, actions: a.allow ? [{ type: of.actionType.output, port: of.port.normal }] : [] }]
      for (const m of matches(a, true)) socket.write(flowMod(of.flowModCommand.add, m, instructions))
      await sync()
    } else if (a.op === 'delete') {
      for (const m of matches(a, false)) socket.write(flowMod(of.flowModCommand.delete, m))
      await sync()
    } else if (a.op === 'wait-removed') {
      if (removed < a.count) {
        await new Promise(resolve => { waiting = { removed: a.count, resolve } })
      }
    }
    say({ event: 'done', op: a.op })
  }
  socket.end()
  process.exit(0)
}

setTimeout(() => fail('timed out'), 20000)
