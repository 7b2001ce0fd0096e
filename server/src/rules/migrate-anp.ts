// AdminNetworkPolicy / BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) to
// ClusterNetworkPolicy (v1alpha2), the replacement the network-policy-api project made:
// - AdminNetworkPolicy → tier Admin, same priority; BaselineAdminNetworkPolicy → tier Baseline with
//   priority 1000 (it had none; the last place of the tier), name kept;
// - action Allow → Accept (Deny and Pass unchanged);
// - ports → protocols: portNumber {protocol, port} → {tcp|udp|sctp: {destinationPort: {number}}},
//   portRange {protocol, start, end} → {…: {destinationPort: {range: {start, end}}}}, namedPort →
//   destinationNamedPort;
// - subject and peers (namespaces, pods, nodes, networks, domainNames) keep their shape.
// The new document is written out (block style, two-space indent); comments of the old one are not
// carried over. Whether it means the same is proven by the engine (cli/migrate-anp.ts, the quick fix's
// title says when the workspace was checked).

import { toPlain } from '../syntax/ast';
import type { Resource } from '../model/resource';

type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };
type Obj = { [k: string]: Plain };

const isObj = (v: Plain | undefined): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export const V1ALPHA2 = 'policy.networking.k8s.io/v1alpha2';

/** Is this a v1alpha1 admin-tier policy the migration applies to? */
export function isV1alpha1AdminPolicy(r: Resource): boolean {
  return r.apiVersion === 'policy.networking.k8s.io/v1alpha1' && (r.kind === 'AdminNetworkPolicy' || r.kind === 'BaselineAdminNetworkPolicy');
}

function protocolsOf(ports: Plain | undefined): Plain[] | undefined {
  if (!Array.isArray(ports)) return undefined;
  return ports.flatMap((p): Plain[] => {
    if (!isObj(p)) return [];
    if (typeof p.namedPort === 'string') return [{ destinationNamedPort: p.namedPort }];
    const num = p.portNumber;
    if (isObj(num)) {
      const proto = String(num.protocol ?? 'TCP').toLowerCase();
      return [{ [proto]: { destinationPort: { number: num.port ?? null } } }];
    }
    const range = p.portRange;
    if (isObj(range)) {
      const proto = String(range.protocol ?? 'TCP').toLowerCase();
      return [{ [proto]: { destinationPort: { range: { start: range.start ?? null, end: range.end ?? null } } } }];
    }
    return [];
  });
}

function rulesOf(rules: Plain | undefined): Plain[] | undefined {
  if (!Array.isArray(rules)) return undefined;
  return rules.map((r) => {
    if (!isObj(r)) return r;
    const out: Obj = {};
    for (const [k, v] of Object.entries(r)) {
      if (k === 'action') out.action = v === 'Allow' ? 'Accept' : v;
      else if (k === 'ports') {
        const protocols = protocolsOf(v);
        if (protocols) out.protocols = protocols;
      } else out[k] = v;
    }
    return out;
  });
}

/** The v1alpha2 object for a v1alpha1 one (as plain data), or undefined when it is not one. */
export function migrateAdminPolicy(r: Resource): Obj | undefined {
  if (!isV1alpha1AdminPolicy(r)) return undefined;
  const src = toPlain(r.node) as Obj;
  const spec = isObj(src.spec) ? src.spec : {};
  const baseline = r.kind === 'BaselineAdminNetworkPolicy';
  const newSpec: Obj = { tier: baseline ? 'Baseline' : 'Admin', priority: baseline ? 1000 : (spec.priority ?? 0) };
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'priority') continue;
    if (k === 'ingress' || k === 'egress') {
      const rules = rulesOf(v);
      if (rules) newSpec[k] = rules;
    } else newSpec[k] = v;
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'apiVersion') out.apiVersion = V1ALPHA2;
    else if (k === 'kind') out.kind = 'ClusterNetworkPolicy';
    else if (k === 'spec') out.spec = newSpec;
    else if (k === 'status') continue;
    else out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// A small block-style YAML writer for plain data (strings quoted whenever YAML could read them as
// something else).

const PLAIN_SAFE = /^[A-Za-z0-9_./][A-Za-z0-9_./:\- ]*$/;
const SPECIAL = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function scalar(v: Plain): string {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  if (s !== '' && PLAIN_SAFE.test(s) && !SPECIAL.test(s) && !/^[\d.+-]/.test(s) && !/: |\s$/.test(s)) return s;
  return JSON.stringify(s);
}

function key(k: string): string {
  return PLAIN_SAFE.test(k) && !/: |\s/.test(k) && !SPECIAL.test(k) ? k : JSON.stringify(k);
}

function emit(v: Plain, indent: string, lines: string[], lead: string): void {
  if (Array.isArray(v)) {
    if (v.length === 0) {
      lines[lines.length - 1] += ' []';
      return;
    }
    for (const item of v) {
      if (isObj(item) && Object.keys(item).length) {
        const entries = Object.entries(item);
        entries.forEach(([k, val], i) => {
          const prefix = i === 0 ? `${lead}- ` : `${lead}  `;
          writePair(k, val, prefix, `${lead}  `, lines);
        });
      } else if (Array.isArray(item) && item.length) {
        lines.push(`${lead}-`);
        emit(item, indent, lines, `${lead}  `);
      } else lines.push(`${lead}- ${isObj(item) ? '{}' : Array.isArray(item) ? '[]' : scalar(item)}`);
    }
    return;
  }
  if (isObj(v)) {
    for (const [k, val] of Object.entries(v)) writePair(k, val, lead, lead, lines);
  }
}

function writePair(k: string, val: Plain, prefix: string, lead: string, lines: string[]): void {
  if (isObj(val)) {
    if (!Object.keys(val).length) {
      lines.push(`${prefix}${key(k)}: {}`);
      return;
    }
    lines.push(`${prefix}${key(k)}:`);
    emit(val, '', lines, `${lead}  `);
  } else if (Array.isArray(val)) {
    lines.push(`${prefix}${key(k)}:`);
    emit(val, '', lines, lead);
  } else lines.push(`${prefix}${key(k)}: ${scalar(val)}`);
}

/** Block-style YAML of plain data (one document, no leading `---`, ending with a newline). */
export function toYaml(v: Obj): string {
  const lines: string[] = [];
  emit(v, '', lines, '');
  return lines.join('\n') + '\n';
}
