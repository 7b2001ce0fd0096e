// The preview graph under construction (nodes, edges, and the manifest ranges each one claims), and
// what is done with it once built: hosts and classes carried down the routes, the open documents'
// diagnostics attached to the smallest claim that holds them, and the file scope.

import type { Diagnostic } from 'vscode-languageserver';
import type { GraphEdge, GraphNode, Location, Problem, Severity } from '../protocol/preview';
import type { ResourceIndex } from '../workspace/index';

type Pos = { line: number; character: number };

/** What the preview needs from the running server. */
export interface PreviewHost {
  index: ResourceIndex;
  /** Bring every open document's parse and diagnostics up to date. */
  flush(): void;
  /** Position of an offset in an open or indexed file. */
  positionOf(uri: string, offset: number): Pos | undefined;
  /** Current diagnostics of the open documents, with a way to turn their positions into offsets. */
  openDiagnostics(): { uri: string; diagnostics: Diagnostic[]; offsetAt(p: Pos): number }[];
  /** The user's severity per rule id (kubeNetlens.rules): a problem that carries a rule id follows it,
   * as the Problems panel does. */
  severities?(): Record<string, Severity | 'off'>;
  /** The network plugin the user chose (`kubeNetlens.cni`); undefined: detected from the workspace. */
  cni?(): string | undefined;
}

/** A problem under the user's severity for its rule: another severity, or nothing when the rule is off. */
export function underRuleSeverity(host: PreviewHost, p: Problem): Problem[] {
  if (p.code === undefined) return [p];
  const s = host.severities?.()[p.code];
  if (s === undefined || s === p.severity) return [p];
  return s === 'off' ? [] : [{ ...p, severity: s }];
}

const SEVERITY: Record<number, Severity> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

export interface Claim {
  uri: string;
  start: number;
  end: number;
  node?: GraphNode;
  edge?: GraphEdge;
  /** Problems found here also mark the host's TLS as a warning. */
  tls?: boolean;
}

export interface Build {
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
  claims: Claim[];
  /** Files each node comes from (for scope "file"). */
  uris: Map<string, Set<string>>;
}

const RANK: Record<GraphNode['kind'], number> = {
  host: 0,
  entry: 0,
  gateway: 0,
  listener: 0,
  path: 1,
  default: 1,
  rule: 1,
  service: 2,
  missing: 2,
  workload: 3,
};

/** Services and workloads carry the hosts and classes of the routes through them. */
export function propagateTags(b: Build): void {
  const edges = [...b.edges.values()].sort(
    (x, y) => RANK[b.nodes.get(x.from)!.kind] - RANK[b.nodes.get(y.from)!.kind],
  );
  for (const e of edges) {
    const from = b.nodes.get(e.from)!;
    const to = b.nodes.get(e.to)!;
    if (from.kind === 'host' || from.kind === 'gateway' || from.kind === 'listener') continue; // paths and rules carry their own host and class
    for (const h of from.hosts) if (!to.hosts.includes(h)) to.hosts.push(h);
    for (const c of from.classes) if (!to.classes.includes(c)) to.classes.push(c);
  }
}

function sameRange(a: Location | undefined, b: Location | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.uri === b.uri &&
    a.range.start.line === b.range.start.line &&
    a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line &&
    a.range.end.character === b.range.end.character
  );
}

function messageText(m: Diagnostic['message']): string {
  return typeof m === 'string' ? m : m.value;
}

/** Each diagnostic of an open document goes to the smallest node or edge range that contains it. */
export function attachDiagnostics(b: Build, host: PreviewHost, skip: Set<string>): void {
  const byUri = new Map<string, Claim[]>();
  for (const c of b.claims) {
    const list = byUri.get(c.uri);
    if (list) list.push(c);
    else byUri.set(c.uri, [c]);
  }
  for (const file of host.openDiagnostics()) {
    const claims = byUri.get(file.uri);
    if (!claims) continue;
    for (const d of file.diagnostics) {
      if (d.code !== undefined && skip.has(String(d.code))) continue;
      const at = file.offsetAt(d.range.start);
      let best = Infinity;
      let winners: Claim[] = [];
      for (const c of claims) {
        if (at < c.start || at > c.end) continue;
        const len = c.end - c.start;
        if (len < best) {
          best = len;
          winners = [c];
        } else if (len === best) winners.push(c);
      }
      const seen = new Set<object>();
      for (const c of winners) {
        const target = c.edge ?? c.node!;
        if (seen.has(target)) continue;
        seen.add(target);
        const problem: Problem = {
          severity: SEVERITY[d.severity ?? 1] ?? 'error',
          message: messageText(d.message),
          ...(d.code !== undefined ? { code: String(d.code) } : {}),
          location: { uri: file.uri, range: d.range },
        };
        // A diagnostic replaces what the preview noted by itself (no rule id) at the same place with the
        // same severity (a path without backend, a workload without replicas); one diagnostic is listed once.
        target.problems = target.problems.filter(
          (p) => p.code !== undefined || p.severity !== problem.severity,
        );
        if (!target.problems.some((p) => p.code === problem.code && sameRange(p.location, problem.location)))
          target.problems.push(problem);
        if (c.tls && c.node && (problem.severity === 'error' || problem.severity === 'warning'))
          c.node.tls = { state: 'warning', message: messageText(d.message) };
      }
    }
  }
}

/** Nodes defined in the file, everything they route to, and everything that routes to them. */
export function inScope(b: Build, uri: string): Set<string> {
  const seeds = [...b.uris].filter(([, uris]) => uris.has(uri)).map(([id]) => id);
  const out = new Map<string, string[]>();
  const inn = new Map<string, string[]>();
  for (const e of b.edges.values()) {
    (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e.to);
    (inn.get(e.to) ?? inn.set(e.to, []).get(e.to)!).push(e.from);
  }
  const keep = new Set<string>(seeds);
  for (const adj of [out, inn]) {
    const stack = [...seeds];
    const seen = new Set(seeds);
    while (stack.length) {
      const id = stack.pop()!;
      for (const next of adj.get(id) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        keep.add(next);
        stack.push(next);
      }
    }
  }
  return keep;
}
