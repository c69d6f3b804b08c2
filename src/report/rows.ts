// The report row: what ipta-report writes and ipta-format / the HTML page read. One NDJSON
// object per row, each carrying its module name. Both engines (stream and MySQL) emit exactly
// these shapes, so a report is the same whichever engine computed it.
// Timestamps are ISO 8601 UTC strings. Optional fields are omitted when unknown.

export const MODULES = [
  'denied', 'icmp', 'ports', 'invalid', 'interfaces', 'port-actions',
  'top-sources', 'timeline', 'hosts', 'scanners', 'new-sources', 'heatmap', 'summary',
] as const;
export type ModuleName = (typeof MODULES)[number];

interface Base {
  module: ModuleName; count: number;
  /** names added by ipta-rdns when the rows went through it (the HTML page shows them beside the address) */
  src_name?: string; dst_name?: string;
}

/** 1. denied packets grouped by src, dpt, action, proto; spt/dst from a deterministic representative. */
export interface DeniedRow extends Base { module: 'denied'; src: string; spt?: number; dst?: string; dpt?: number; proto?: string; action?: string }
/** 2. ICMP/ICMPv6 by src, dst, action. */
export interface IcmpRow extends Base { module: 'icmp'; src: string; dst: string; action?: string; proto?: string }
/** 3. most denied destination ports by dpt, proto, action. */
export interface PortsRow extends Base { module: 'ports'; dpt: number; proto?: string; action?: string }
/** 4. sources of INVALID packets. */
export interface InvalidRow extends Base { module: 'invalid'; src: string; spt?: number; dst?: string; dpt?: number; proto?: string; action?: string }
/** 5. packets per input interface, action and protocol. */
export interface InterfacesRow extends Base { module: 'interfaces'; in: string; action?: string; proto?: string }
/** 6. denied packets per destination port and action. */
export interface PortActionsRow extends Base { module: 'port-actions'; dpt: number; action?: string }
/** top sources overall (any verdict). */
export interface TopSourcesRow extends Base { module: 'top-sources'; src: string; denied: number; first?: string; last?: string }
/** counts per time bucket (hour or day) and action. */
export interface TimelineRow extends Base { module: 'timeline'; bucket: string; unit: 'hour' | 'day'; action?: string; verdict: string }
/** per host (firewall) counts. */
export interface HostsRow extends Base { module: 'hosts'; host: string; denied: number; accepted: number }
/** sources that touched many distinct ports or destinations inside one window. */
export interface ScannersRow extends Base { module: 'scanners'; src: string; ports: number; dsts: number; first: string; last: string; sample_ports: number[] }
/** sources first seen in the selected period. */
export interface NewSourcesRow extends Base { module: 'new-sources'; src: string; first: string; last: string }
/** denied packets by weekday (0 = Sunday, UTC) and hour (0-23, UTC). */
export interface HeatmapRow extends Base { module: 'heatmap'; weekday: number; hour: number }
/** one row: the period and totals, for summary cards. */
export interface SummaryRow extends Base { module: 'summary'; first?: string; last?: string; denied: number; accepted: number; logged: number; sources: number; hosts: number; busiest_port?: number; busiest_port_count?: number }

export type ReportRow = DeniedRow | IcmpRow | PortsRow | InvalidRow | InterfacesRow | PortActionsRow
  | TopSourcesRow | TimelineRow | HostsRow | ScannersRow | NewSourcesRow | HeatmapRow | SummaryRow;
