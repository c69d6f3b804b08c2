// The record as the parser builds it: every key of RECORD_KEYS present from the start, in that
// order, absent ones undefined. One hidden class for every record keeps property access fast,
// and JSON.stringify then writes the keys in contract order and leaves the undefined ones out.
import { RECORD_KEYS, type InnerPacket, type IptaRecord } from '../record.js';

export function newRecord(): IptaRecord {
  return {
    ts: undefined, host: undefined, kernel_ts: undefined, prefix: undefined, action: undefined,
    verdict: 'deny', in: undefined, out: undefined, physin: undefined, physout: undefined,
    mac: undefined, mac_dst: undefined, mac_src: undefined, ethertype: undefined, family: undefined,
    src: undefined, dst: undefined, len: undefined, tos: undefined, prec: undefined, ttl: undefined,
    id: undefined, tc: undefined, hoplimit: undefined, flowlbl: undefined, proto: undefined,
    spt: undefined, dpt: undefined, udp_len: undefined, window: undefined, res: undefined,
    urgp: undefined, flags: undefined, seq: undefined, ack: undefined, icmp_type: undefined,
    icmp_code: undefined, icmp_id: undefined, icmp_seq: undefined, icmp_mtu: undefined,
    icmp_parameter: undefined, icmp_gateway: undefined, uid: undefined, gid: undefined,
    mark: undefined, frag: undefined, incomplete: undefined, inner: undefined, extra: undefined,
    src_name: undefined, dst_name: undefined, line: 0, key: '',
  };
}

/** A copy without the undefined keys: the plain record the programmatic API hands out. */
export function plainRecord(rec: IptaRecord): IptaRecord {
  const r = rec as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of RECORD_KEYS) if (r[k] !== undefined) out[k] = k === 'inner' ? plainInner(r[k] as InnerPacket) : r[k];
  return out as unknown as IptaRecord;
}

/** The quoted packet of an ICMP error, with the same fixed shape idea (keys in record order). */
export function newInner(): InnerPacket {
  return {
    src: undefined, dst: undefined, len: undefined, tos: undefined, prec: undefined, ttl: undefined,
    id: undefined, tc: undefined, hoplimit: undefined, flowlbl: undefined, proto: undefined,
    spt: undefined, dpt: undefined, udp_len: undefined, window: undefined, res: undefined,
    urgp: undefined, flags: [], seq: undefined, ack: undefined, icmp_type: undefined,
    icmp_code: undefined, icmp_id: undefined, icmp_seq: undefined, frag: undefined,
    incomplete: undefined, inner: undefined, extra: undefined,
  };
}

/** A copy of an inner packet without its undefined keys. */
export function plainInner(p: InnerPacket): InnerPacket {
  const r = p as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in r) if (r[k] !== undefined) out[k] = k === 'inner' ? plainInner(r[k] as InnerPacket) : r[k];
  return out as InnerPacket;
}
