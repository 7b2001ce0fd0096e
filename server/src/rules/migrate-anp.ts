// AdminNetworkPolicy / BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) to
// ClusterNetworkPolicy (v1alpha2), the replacement the network-policy-api project made:
// - AdminNetworkPolicy → tier Admin, same priority; BaselineAdminNetworkPolicy → tier Baseline with
//   priority 1000 (it had none; the last place of the tier), name kept;
// - action Allow → Accept (Deny and Pass unchanged);
// - ports → protocols: portNumber {protocol, port} → {tcp|udp|sctp: {destinationPort: {number}}},
//   portRange {protocol, start, end} → {…: {destinationPort: {range: {start, end}}}}, namedPort →
//   destinationNamedPort;
// - subject and peers (namespaces, pods, nodes, networks, domainNames) keep their shape.
// The conversion is done in place (migrateAdminPolicyEdits): apiVersion, kind, action values and each
// `ports` block are rewritten and `tier` (and a baseline `priority`) inserted, so comments, key order
// and layout elsewhere stay as written; only comments inside a `ports` block are lost. Shapes the
// in-place edits do not handle (a flow-style spec, a status) fall back to writing the whole document
// (toYaml). Whether it means the same is proven by the engine (cli/migrate-anp.ts).

import { getPair, getValue, toPlain } from '../syntax/ast';
import type { AstNode, MapNode, ScalarNode } from '../syntax/ast';
import type { Resource } from '../model/resource';

type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };
type Obj = { [k: string]: Plain };

const isObj = (v: Plain | undefined): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export const V1ALPHA2 = 'policy.networking.k8s.io/v1alpha2';

/** Is this a v1alpha1 admin-tier policy the migration applies to? */
export function isV1alpha1AdminPolicy(r: Resource): boolean {
  return (
    r.apiVersion === 'policy.networking.k8s.io/v1alpha1' &&
    (r.kind === 'AdminNetworkPolicy' || r.kind === 'BaselineAdminNetworkPolicy')
  );
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
      return [
        { [proto]: { destinationPort: { range: { start: range.start ?? null, end: range.end ?? null } } } },
      ];
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
  const newSpec: Obj = {
    tier: baseline ? 'Baseline' : 'Admin',
    priority: baseline ? 1000 : (spec.priority ?? 0),
  };
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
// In place

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** A scalar's new value, written in the scalar's own quoting style. */
function rewriteScalar(n: ScalarNode, value: string): TextEdit {
  const text = n.style === 'double' ? JSON.stringify(value) : n.style === 'single' ? `'${value}'` : value;
  return { start: n.start, end: n.end, newText: text };
}

/** The edits (offsets relative to the resource's document) that turn a v1alpha1 admin-tier policy
 * into a ClusterNetworkPolicy without touching the rest of its text; undefined when the policy's
 * shape needs the whole document rewritten (see toYaml). */
export function migrateAdminPolicyEdits(r: Resource): TextEdit[] | undefined {
  if (!isV1alpha1AdminPolicy(r)) return undefined;
  const text = r.doc.text;
  const column = (offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  const spec = getValue(r.node, 'spec');
  if (
    r.node.flow ||
    getPair(r.node, 'status') ||
    !spec ||
    spec.type !== 'map' ||
    spec.flow ||
    spec.pairs.length === 0
  )
    return undefined;
  const baseline = r.kind === 'BaselineAdminNetworkPolicy';
  const edits: TextEdit[] = [
    rewriteScalar(r.apiVersionNode, V1ALPHA2),
    rewriteScalar(r.kindNode, 'ClusterNetworkPolicy'),
  ];
  const indent = ' '.repeat(column(spec.pairs[0].start));
  const priority = getPair(spec, 'priority');
  let head = `tier: ${baseline ? 'Baseline' : 'Admin'}\n${indent}`;
  if (!priority) head += `priority: ${baseline ? 1000 : 0}\n${indent}`;
  else if (baseline) {
    // BaselineAdminNetworkPolicy has no priority; the baseline tier's last place stands for its place
    if (!priority.value || priority.value.type !== 'scalar') return undefined;
    edits.push({ start: priority.value.start, end: priority.value.end, newText: '1000' });
  }
  edits.push({ start: spec.pairs[0].start, end: spec.pairs[0].start, newText: head });
  for (const dir of ['ingress', 'egress']) {
    const rules = getValue(spec, dir);
    if (!rules || rules.type !== 'seq') continue;
    for (const rule of rules.items) {
      if (rule.type !== 'map') continue;
      const action = getValue(rule, 'action');
      if (action?.type === 'scalar' && action.value === 'Allow') edits.push(rewriteScalar(action, 'Accept'));
      const ports = getPair(rule, 'ports');
      if (!ports) continue;
      const edit = portsEdit(ports.start, ports.end, ports.value, rule, column);
      if (!edit) return undefined;
      edits.push(edit);
    }
  }
  return edits;
}

/** `ports: …` (the whole pair) rewritten as `protocols: …`, block or flow as written. */
function portsEdit(
  start: number,
  end: number,
  value: AstNode | null,
  rule: MapNode,
  column: (offset: number) => number,
): TextEdit | undefined {
  if (!value || value.type !== 'seq') return undefined;
  const protocols = protocolsOf(toPlain(value) as Plain);
  if (!protocols) return undefined;
  if (rule.flow || value.flow || protocols.length === 0)
    return { start, end, newText: `protocols: ${flowText(protocols)}` };
  const lines: string[] = [];
  emit(protocols, '', lines, ' '.repeat(column(value.start)));
  return { start, end, newText: `protocols:\n${lines.join('\n')}` };
}

function flowText(v: Plain): string {
  if (Array.isArray(v)) return `[${v.map(flowText).join(', ')}]`;
  if (isObj(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${key(k)}: ${flowText(x)}`)
      .join(', ')}}`;
  return scalar(v);
}

/** The migrated text of one resource: in place when possible, else the whole document written anew. */
export function migratedText(r: Resource): string | undefined {
  const edits = migrateAdminPolicyEdits(r);
  if (edits) {
    const from = r.node.start;
    let out = '';
    let pos = from;
    for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
      out += r.doc.text.slice(pos, e.start) + e.newText;
      pos = e.end;
    }
    return out + r.doc.text.slice(pos, r.node.end);
  }
  const obj = migrateAdminPolicy(r);
  return obj ? toYaml(obj).replace(/\n$/, '') : undefined;
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
  if (s !== '' && PLAIN_SAFE.test(s) && !SPECIAL.test(s) && !/^[\d.+-]/.test(s) && !/: |\s$/.test(s))
    return s;
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
