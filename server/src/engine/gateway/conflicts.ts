// Listener conflicts across a Gateway and the ListenerSets it accepts (apis/v1 gateway_types.go
// "Distinct Listeners" / "Handling indistinct Listeners", listenerset_types.go, and the conformance
// tests listenerset-hostname-conflict and listenerset-protocol-conflict).
//
// The Gateway serves the merged list of its own listeners and those of its ListenerSets, in precedence
// order: the Gateway first, then the ListenerSets oldest first (metadata.creationTimestamp), then by
// "namespace/name". Two listeners on one port are indistinct when
//   - their protocols cannot share the port (ProtocolConflict): TCP with anything but UDP, HTTP with
//     HTTPS or TLS (plain and TLS traffic on one port); UDP only meets UDP;
//   - they share protocol family and hostname (HostnameConflict): HTTP/HTTP, HTTPS or TLS with HTTPS or
//     TLS (both chosen by SNI), TCP/TCP and UDP/UDP (no hostname tells them apart).
// Owners are taken in precedence order. A listener indistinct from one kept from an earlier owner is
// conflicted (the earlier one keeps the port); then, among the listeners of one owner that are left, no
// listener wins: every indistinct one is conflicted. A conflicted listener has Accepted=False,
// Programmed=False and Conflicted=True with the reason, and serves no route. Protocols that are not HTTP, HTTPS, TLS, TCP or
// UDP (an implementation's own) only conflict with the same protocol and hostname.

import type { ListenerInfo, ListenerRef } from './types';

export type ConflictReason = 'HostnameConflict' | 'ProtocolConflict';

export interface ListenerConflict {
  reason: ConflictReason;
  /** The listener it conflicts with (the earlier one across owners; another one of the same owner). */
  with: ListenerRef;
  /** True when both listeners belong to the same Gateway or ListenerSet (neither wins). */
  sameOwner: boolean;
  message: string;
}

const TLS_FAMILY = new Set(['HTTPS', 'TLS']);
const KNOWN = new Set(['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP']);

/** Why two listeners cannot share their port, or undefined when they are distinct. */
export function conflictBetween(a: ListenerInfo, b: ListenerInfo): ConflictReason | undefined {
  if (a.port !== b.port) return undefined;
  const pa = a.protocol;
  const pb = b.protocol;
  if (!KNOWN.has(pa) || !KNOWN.has(pb))
    return pa === pb && a.hostname === b.hostname ? 'HostnameConflict' : undefined;
  if (pa === 'UDP' || pb === 'UDP') return pa === pb ? 'HostnameConflict' : undefined;
  if (pa === 'TCP' || pb === 'TCP') return pa === pb ? 'HostnameConflict' : 'ProtocolConflict';
  const sameFamily = pa === pb || (TLS_FAMILY.has(pa) && TLS_FAMILY.has(pb));
  if (!sameFamily) return 'ProtocolConflict';
  return a.hostname === b.hostname ? 'HostnameConflict' : undefined;
}

export function ownerText(ref: ListenerRef): string {
  return ref.listenerSet
    ? `ListenerSet ${ref.listenerSet.id.namespace}/${ref.listenerSet.id.name}`
    : `Gateway ${ref.gateway.id.namespace}/${ref.gateway.id.name}`;
}

function describe(l: ListenerInfo): string {
  return `${l.protocol} port ${l.port}${l.hostname ? `, hostname ${l.hostname}` : KNOWN.has(l.protocol) && l.protocol !== 'TCP' && l.protocol !== 'UDP' ? ', no hostname' : ''}`;
}

function message(reason: ConflictReason, self: ListenerRef, other: ListenerRef, sameOwner: boolean): string {
  const what =
    reason === 'ProtocolConflict'
      ? `shares port ${self.listener.port} with listener "${other.listener.name}" (${describe(other.listener)}) of ${ownerText(other)}, and ${self.listener.protocol} and ${other.listener.protocol} cannot be told apart on one port`
      : `has the same port, protocol family and hostname as listener "${other.listener.name}" (${describe(other.listener)}) of ${ownerText(other)}`;
  const outcome = sameOwner
    ? 'neither listener is accepted'
    : `the earlier listener keeps the port (the Gateway's own listeners first, then ListenerSets oldest first, then by namespace/name), so this one is not accepted`;
  return `listener "${self.listener.name}" (${describe(self.listener)}) of ${ownerText(self)} ${what}: ${outcome} (Conflicted: ${reason})`;
}

function ownerKey(ref: ListenerRef): string {
  return ref.listenerSet ? `set:${ref.listenerSet.id.namespace}/${ref.listenerSet.id.name}` : 'gateway';
}

/** The conflicted listeners of a Gateway's merged listener list, by ListenerRef key. */
export function computeListenerConflicts(refs: readonly ListenerRef[]): Map<string, ListenerConflict> {
  const out = new Map<string, ListenerConflict>();
  // group by owner, keeping the precedence order of `refs`
  const owners: ListenerRef[][] = [];
  const byOwner = new Map<string, ListenerRef[]>();
  for (const r of refs) {
    const k = ownerKey(r);
    let list = byOwner.get(k);
    if (!list) {
      byOwner.set(k, (list = []));
      owners.push(list);
    }
    list.push(r);
  }
  // listeners accepted so far, by port (earlier owners)
  const kept = new Map<number, ListenerRef[]>();
  for (const list of owners) {
    // 1. against the listeners kept from earlier owners: the earlier one wins
    for (const r of list) {
      const earlier = kept.get(r.listener.port) ?? [];
      let found: { reason: ConflictReason; with: ListenerRef } | undefined;
      for (const e of earlier) {
        const reason = conflictBetween(r.listener, e.listener);
        if (!reason) continue;
        if (!found || (reason === 'ProtocolConflict' && found.reason !== 'ProtocolConflict'))
          found = { reason, with: e };
      }
      if (found)
        out.set(r.key, { ...found, sameOwner: false, message: message(found.reason, r, found.with, false) });
    }
    // 2. within the owner, among the listeners left: no winner
    const left = list.filter((r) => !out.has(r.key));
    for (let i = 0; i < left.length; i++) {
      for (let j = i + 1; j < left.length; j++) {
        const reason = conflictBetween(left[i].listener, left[j].listener);
        if (!reason) continue;
        for (const [a, b] of [
          [left[i], left[j]],
          [left[j], left[i]],
        ]) {
          const prev = out.get(a.key);
          if (!prev || (reason === 'ProtocolConflict' && prev.reason !== 'ProtocolConflict'))
            out.set(a.key, { reason, with: b, sameOwner: true, message: message(reason, a, b, true) });
        }
      }
    }
    for (const r of list) {
      if (out.has(r.key)) continue;
      const at = kept.get(r.listener.port);
      if (at) at.push(r);
      else kept.set(r.listener.port, [r]);
    }
  }
  return out;
}
