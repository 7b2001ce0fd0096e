// Schema checks of the policy kinds that have no npm model: the network-policy-api CRDs
// (ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1) and Calico's
// projectcalico.org/v3 NetworkPolicy and GlobalNetworkPolicy, in a compact form of our own written from
// the upstream API types and CRD validations: unknown fields (with did-you-mean), enum values, integer
// ranges, list sizes, "exactly one of" groups and required fields. Reported as anp-invalid and
// calico-invalid. The Cilium kinds have a generated schema; cilium-invalid adds the value checks their
// types cannot express.

import type { AstNode, MapNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getPair, getValue, stringValue } from '../syntax/ast';
import { closest } from '../engine/edit-distance';
import { parseIpRange } from '../engine/reach';
import { isAdminPolicy, isCalicoPolicy, isCiliumPolicy } from '../model/policy-kinds';
import type { Rule, RuleContext } from './types';
import { checkCiliumAgentRules } from './cilium-validate';

type S =
  | { t: 'obj'; f: Record<string, S>; req?: string[]; one?: string[]; open?: boolean }
  | { t: 'arr'; of: S; min?: number; max?: number }
  | { t: 'str'; enum?: string[]; cidr?: boolean }
  | { t: 'int'; min?: number; max?: number }
  | { t: 'num' }
  | { t: 'bool' }
  | { t: 'port' }
  | { t: 'proto' }
  | { t: 'sel' }
  | { t: 'fqdn'; wildcard: boolean }
  | { t: 'any' };

const obj = (f: Record<string, S>, extra: { req?: string[]; one?: string[]; open?: boolean } = {}): S => ({
  t: 'obj',
  f,
  ...extra,
});
const arr = (of: S, min?: number, max?: number): S => ({ t: 'arr', of, min, max });
const str = (e?: string[]): S => ({ t: 'str', enum: e });
const CIDR: S = { t: 'str', cidr: true };
const int = (min?: number, max?: number): S => ({ t: 'int', min, max });
const SEL: S = { t: 'sel' };
const ANY: S = { t: 'any' };
const BOOL: S = { t: 'bool' };
const PORT_NUMBER = int(1, 65535);

const TOP = (spec: S, more: Record<string, S> = {}): S =>
  obj({ apiVersion: ANY, kind: ANY, metadata: ANY, spec, status: ANY, ...more });

// ---------------------------------------------------------------------------------------------------
// network-policy-api (apis/v1alpha2/clusternetworkpolicy_types.go, apis/v1alpha1/*_types.go)

const NAMESPACED_POD_V2 = obj({ namespaceSelector: SEL, podSelector: SEL }, { req: ['podSelector'] });
const NAMESPACED_POD_V1 = obj(
  { namespaceSelector: SEL, podSelector: SEL },
  { req: ['namespaceSelector', 'podSelector'] },
);
const SUBJECT = (pods: S) => obj({ namespaces: SEL, pods }, { one: ['namespaces', 'pods'] });
const V2_PORT = obj(
  { number: PORT_NUMBER, range: obj({ start: PORT_NUMBER, end: PORT_NUMBER }, { req: ['start', 'end'] }) },
  { one: ['number', 'range'] },
);
const V2_PROTO_ENTRY = obj({ destinationPort: V2_PORT }, { req: ['destinationPort'] });
const V2_PROTOCOL = obj(
  { tcp: V2_PROTO_ENTRY, udp: V2_PROTO_ENTRY, sctp: V2_PROTO_ENTRY, destinationNamedPort: str() },
  { one: ['tcp', 'udp', 'sctp', 'destinationNamedPort'] },
);
const V2_RULE = (peersKey: 'from' | 'to', peer: S): S =>
  obj(
    {
      name: str(),
      action: str(['Accept', 'Deny', 'Pass']),
      [peersKey]: arr(peer, 1, 25),
      protocols: arr(V2_PROTOCOL, 1, 25),
    },
    { req: ['action', peersKey] },
  );
const V2_INGRESS_PEER = obj({ namespaces: SEL, pods: NAMESPACED_POD_V2 }, { one: ['namespaces', 'pods'] });
const V2_EGRESS_PEER = obj(
  {
    namespaces: SEL,
    pods: NAMESPACED_POD_V2,
    nodes: SEL,
    networks: arr(CIDR, 1, 25),
    domainNames: arr(str(), 1, 25),
  },
  { one: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'] },
);
const CNP_V2 = TOP(
  obj(
    {
      tier: str(['Admin', 'Baseline']),
      priority: int(0, 1000),
      subject: SUBJECT(NAMESPACED_POD_V2),
      ingress: arr(V2_RULE('from', V2_INGRESS_PEER), undefined, 25),
      egress: arr(V2_RULE('to', V2_EGRESS_PEER), undefined, 25),
    },
    { req: ['tier', 'priority', 'subject'] },
  ),
);

const PROTOCOL_ENUM = ['TCP', 'UDP', 'SCTP'];
const V1_PORT = obj(
  {
    portNumber: obj({ protocol: str(PROTOCOL_ENUM), port: PORT_NUMBER }, { req: ['port'] }),
    namedPort: str(),
    portRange: obj(
      { protocol: str(PROTOCOL_ENUM), start: PORT_NUMBER, end: PORT_NUMBER },
      { req: ['start', 'end'] },
    ),
  },
  { one: ['portNumber', 'namedPort', 'portRange'] },
);
const V1_RULE = (peersKey: 'from' | 'to', peer: S, actions: string[]): S =>
  obj(
    { name: str(), action: str(actions), [peersKey]: arr(peer, 1, 100), ports: arr(V1_PORT, 1, 100) },
    { req: ['action', peersKey] },
  );
const V1_INGRESS_PEER = obj({ namespaces: SEL, pods: NAMESPACED_POD_V1 }, { one: ['namespaces', 'pods'] });
const V1_EGRESS_PEER = (domains: boolean) =>
  obj(
    {
      namespaces: SEL,
      pods: NAMESPACED_POD_V1,
      nodes: SEL,
      networks: arr(CIDR, 1, 25),
      ...(domains ? { domainNames: arr(str(), 1, 25) } : {}),
    },
    { one: ['namespaces', 'pods', 'nodes', 'networks', ...(domains ? ['domainNames'] : [])] },
  );
const ANP_V1 = TOP(
  obj(
    {
      priority: int(0, 1000),
      subject: SUBJECT(NAMESPACED_POD_V1),
      ingress: arr(V1_RULE('from', V1_INGRESS_PEER, ['Allow', 'Deny', 'Pass']), undefined, 100),
      egress: arr(V1_RULE('to', V1_EGRESS_PEER(true), ['Allow', 'Deny', 'Pass']), undefined, 100),
    },
    { req: ['priority', 'subject'] },
  ),
);
const BANP_V1 = TOP(
  obj(
    {
      subject: SUBJECT(NAMESPACED_POD_V1),
      ingress: arr(V1_RULE('from', V1_INGRESS_PEER, ['Allow', 'Deny']), undefined, 100),
      egress: arr(V1_RULE('to', V1_EGRESS_PEER(false), ['Allow', 'Deny']), undefined, 100),
    },
    { req: ['subject'] },
  ),
);

// ---------------------------------------------------------------------------------------------------
// Calico projectcalico.org/v3 (NetworkPolicy, GlobalNetworkPolicy: the Rule and EntityRule types)

const CALICO_ENTITY = obj({
  nets: arr(CIDR),
  notNets: arr(CIDR),
  selector: str(),
  notSelector: str(),
  namespaceSelector: str(),
  ports: arr({ t: 'port' }),
  notPorts: arr({ t: 'port' }),
  serviceAccounts: obj({ names: arr(str()), selector: str() }),
  services: obj({ name: str(), namespace: str() }, { req: ['name'] }),
});
const CALICO_ICMP = obj({ type: int(0, 254), code: int(0, 255) });
const CALICO_RULE = obj(
  {
    action: str(['Allow', 'Deny', 'Log', 'Pass']),
    protocol: { t: 'proto' },
    notProtocol: { t: 'proto' },
    icmp: CALICO_ICMP,
    notICMP: CALICO_ICMP,
    ipVersion: int(4, 6),
    source: CALICO_ENTITY,
    destination: CALICO_ENTITY,
    http: obj({
      methods: arr(str()),
      paths: arr(obj({ exact: str(), prefix: str() }, { one: ['exact', 'prefix'] })),
    }),
    metadata: ANY,
  },
  { req: ['action'] },
);
const CALICO_SPEC = (global: boolean) =>
  obj({
    order: { t: 'num' },
    tier: str(),
    selector: str(),
    serviceAccountSelector: str(),
    types: arr(str(['Ingress', 'Egress']), undefined, 2),
    ingress: arr(CALICO_RULE),
    egress: arr(CALICO_RULE),
    performanceHints: ANY,
    ...(global ? { namespaceSelector: str(), doNotTrack: BOOL, preDNAT: BOOL, applyOnForward: BOOL } : {}),
  });

// NetworkSet / GlobalNetworkSet: labelled CIDRs (allowedEgressDomains is Calico Enterprise's)
const CALICO_NETWORK_SET = obj({
  apiVersion: ANY,
  kind: ANY,
  metadata: ANY,
  spec: obj({ nets: arr(CIDR), allowedEgressDomains: arr(str()) }),
});

// ---------------------------------------------------------------------------------------------------
// Cilium cilium.io/v2: fields, types and entities come from the schema generated from
// @kubernetes-models/cilium (scripts/gen-schema.ts; schema-* rules). Here only what those types cannot
// say: exactly one of endpointSelector / nodeSelector, the protocol names the CRD accepts, CIDR syntax,
// port text (a number, a name) and endPort's range. Objects are open: unknown fields are the schema's.

const co = (f: Record<string, S>, extra: { one?: string[] } = {}): S => obj(f, { ...extra, open: true });
// Cilium's selectors are its own LabelSelector type, whose CRD lists the operators (an enum, unlike
// metav1.LabelSelector in other CRDs): `operator: in` is rejected by the API server.
const CILIUM_SEL = co({
  matchExpressions: arr(co({ operator: str(['In', 'NotIn', 'Exists', 'DoesNotExist']) })),
});
const CILIUM_SELS = arr(CILIUM_SEL);
const CIDR_SET = co(
  { cidr: CIDR, except: arr(CIDR) },
  { one: ['cidr', 'cidrGroupRef', 'cidrGroupSelector'] },
);
const CILIUM_PORT = co({
  port: { t: 'port' },
  endPort: int(0, 65535),
  protocol: str(['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPv6', 'VRRP', 'IGMP', 'ANY']),
});
// toFQDNs and DNS rules: the CRD's patterns, ^([-a-zA-Z0-9_]+[.]?)+$ (matchName) and the same with `*`
// (matchPattern), at most 255 characters
const FQDN_SELECTOR = co(
  { matchName: { t: 'fqdn', wildcard: false }, matchPattern: { t: 'fqdn', wildcard: true } },
  { one: ['matchName', 'matchPattern'] },
);
const PORT_RULE = co({ ports: arr(CILIUM_PORT, undefined, 40), rules: co({ dns: arr(FQDN_SELECTOR) }) });
const CILIUM_FROM = {
  fromCIDR: arr(CIDR),
  fromCIDRSet: arr(CIDR_SET),
  fromEndpoints: CILIUM_SELS,
  fromNodes: CILIUM_SELS,
};
const CILIUM_TO = {
  toCIDR: arr(CIDR),
  toCIDRSet: arr(CIDR_SET),
  toEndpoints: CILIUM_SELS,
  toNodes: CILIUM_SELS,
  toServices: arr(co({ k8sServiceSelector: co({ selector: CILIUM_SEL }) })),
};
const CILIUM_RULE = co(
  {
    endpointSelector: CILIUM_SEL,
    nodeSelector: CILIUM_SEL,
    ingress: arr(co({ ...CILIUM_FROM, toPorts: arr(PORT_RULE) })),
    ingressDeny: arr(co({ ...CILIUM_FROM, toPorts: arr(PORT_RULE) })),
    egress: arr(
      co({
        ...CILIUM_TO,
        toPorts: arr(PORT_RULE),
        toFQDNs: arr(FQDN_SELECTOR),
      }),
    ),
    egressDeny: arr(co({ ...CILIUM_TO, toPorts: arr(PORT_RULE) })),
  },
  { one: ['endpointSelector', 'nodeSelector'] },
);
const CILIUM = co({ spec: CILIUM_RULE, specs: arr(CILIUM_RULE) });

const SELECTOR: S = obj({ matchLabels: ANY, matchExpressions: ANY });

// ---------------------------------------------------------------------------------------------------
// The walker

const CALICO_PROTOCOLS = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'];

/** How a message names the type a value must have. */
const TYPE_WORDS: Record<S['t'], string> = {
  obj: 'a map',
  sel: 'a map',
  arr: 'a list',
  int: 'a number',
  num: 'a number',
  bool: 'true or false',
  fqdn: 'a DNS name',
  port: 'a port number, range or name',
  proto: 'a protocol name or number',
  str: 'a string',
  any: 'a string',
};

function typeWord(s: S): string {
  return TYPE_WORDS[s.t];
}

function walk(
  ctx: RuleContext,
  node: AstNode | null | undefined,
  s: S,
  path: string,
  ruleId: string,
  key?: AstNode,
): void {
  if (!node || s.t === 'any') return;
  const at = node;
  // where a finding about the whole value goes: its key, or (a list item) its first key
  const keySpan: AstNode = key ?? asMap(node)?.pairs[0]?.key ?? node;
  const bad = (msg: string, span: AstNode = at) => ctx.report(span, msg, { ruleId });
  if (node.type === 'scalar' && node.value === null) return; // an empty value: nothing to check
  switch (s.t) {
    case 'sel':
      return walk(ctx, node, SELECTOR, path, ruleId, key);
    case 'obj': {
      const m = asMap(node);
      if (!m) return bad(`${path} must be ${typeWord(s)}`);
      const keys = Object.keys(s.f);
      for (const p of m.pairs) {
        const k = p.keyText;
        if (k === undefined) continue;
        const sub = s.f[k];
        if (!sub) {
          if (s.open) continue;
          const near = closest(k, keys);
          bad(
            `Unknown field "${k}" in ${path}${near ? ` (did you mean "${near}"?)` : `; known fields: ${keys.join(', ')}`}`,
            p.key,
          );
          continue;
        }
        walk(ctx, p.value, sub, `${path}.${k}`, ruleId, p.key);
      }
      const has = (k: string) => !!getPair(m, k);
      for (const r of s.req ?? []) if (!has(r)) bad(`${path} needs "${r}"`, keySpan);
      if (s.one) {
        const set = s.one.filter(has);
        if (set.length !== 1)
          bad(
            `${path} must set exactly one of ${s.one.join(', ')}${set.length ? ` (it sets ${set.join(' and ')})` : ''}`,
            keySpan,
          );
      }
      if (s.f.start && s.f.end && getPair(m, 'start') && getPair(m, 'end')) {
        const a = asScalar(getValue(m, 'start'))?.value;
        const b = asScalar(getValue(m, 'end'))?.value;
        if (typeof a === 'number' && typeof b === 'number' && a >= b)
          bad(`${path}: start (${a}) must be less than end (${b})`, keySpan);
      }
      return;
    }
    case 'arr': {
      const seq = asSeq(node);
      if (!seq) return bad(`${path} must be a list`);
      if (s.min !== undefined && seq.items.length < s.min)
        bad(`${path} needs at least ${s.min} item${s.min === 1 ? '' : 's'}`, keySpan);
      if (s.max !== undefined && seq.items.length > s.max)
        bad(`${path} holds at most ${s.max} items (it has ${seq.items.length})`, keySpan);
      seq.items.forEach((item, i) => walk(ctx, item, s.of, `${path}[${i}]`, ruleId));
      return;
    }
    case 'str': {
      const sc = asScalar(node);
      if (!sc) return bad(`${path} must be ${typeWord(s)}`);
      const v = String(sc.value);
      if (s.enum && !s.enum.includes(v)) {
        const near = closest(v, s.enum);
        const hint = near
          ? ` (did you mean "${near}"?)`
          : v === 'Allow' && s.enum.includes('Accept')
            ? ' (v1alpha2 calls Allow "Accept")'
            : '';
        return bad(`Invalid value "${v}" for ${path}: must be one of ${s.enum.join(', ')}${hint}`);
      }
      if (s.cidr && !parseIpRange(v)) bad(`${path} "${v}" is not a valid IP address or CIDR`);
      return;
    }
    case 'int':
    case 'num': {
      const sc = asScalar(node);
      if (!sc || typeof sc.value !== 'number' || (s.t === 'int' && !Number.isInteger(sc.value)))
        return bad(`${path} must be ${s.t === 'int' ? 'an integer' : 'a number'}`);
      if (
        s.t === 'int' &&
        ((s.min !== undefined && sc.value < s.min) || (s.max !== undefined && sc.value > s.max))
      )
        bad(`${path} must be between ${s.min} and ${s.max} (it is ${sc.value})`);
      return;
    }
    case 'bool': {
      const sc = asScalar(node);
      if (!sc || typeof sc.value !== 'boolean') bad(`${path} must be true or false`);
      return;
    }
    case 'port': {
      const sc = asScalar(node);
      if (!sc) return bad(`${path} must be ${typeWord(s)}`);
      const v = String(sc.value);
      const range = /^(\d+):(\d+)$/.exec(v);
      if (typeof sc.value === 'number' || /^\d+$/.test(v)) {
        const n = Number(v);
        if (n < 0 || n > 65535) bad(`${path} must be between 0 and 65535 (it is ${n})`);
      } else if (range) {
        if (Number(range[1]) > Number(range[2]) || Number(range[2]) > 65535)
          bad(`${path} "${v}" is not a port range from:to within 0-65535`);
      } else if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(v))
        bad(`${path} "${v}" is neither a port number, a "from:to" range nor a port name`);
      return;
    }
    case 'fqdn': {
      const sc = asScalar(node);
      if (!sc || typeof sc.value !== 'string') return bad(`${path} must be ${typeWord(s)}`);
      const v = sc.value;
      // (linear checks for the CRD's pattern, whose nested repetition would backtrack on long text)
      const chars = s.wildcard ? /^[-a-zA-Z0-9_.*]+$/ : /^[-a-zA-Z0-9_.]+$/;
      if (v.length > 255) return bad(`${path} is longer than 255 characters`);
      if (!chars.test(v) || v.startsWith('.') || v.includes('..')) {
        const hint = /^[a-z]+:\/\//i.test(v)
          ? ': write the host name alone, without scheme, port or path'
          : /[:/]/.test(v)
            ? ': write the host name alone, without port or path'
            : !s.wildcard && v.includes('*')
              ? ' (a name with * goes in matchPattern)'
              : '';
        bad(
          `Invalid value "${v}" for ${path}: the CRD accepts letters, digits, '-', '_'${s.wildcard ? ", '*'" : ''} and single dots between them${hint}`,
        );
      }
      return;
    }
    case 'proto': {
      const sc = asScalar(node);
      if (!sc) return bad(`${path} must be ${typeWord(s)}`);
      if (typeof sc.value === 'number') {
        if (sc.value < 1 || sc.value > 255) bad(`${path} must be between 1 and 255 (it is ${sc.value})`);
        return;
      }
      const v = String(sc.value);
      if (!CALICO_PROTOCOLS.includes(v)) {
        const near = closest(v, CALICO_PROTOCOLS);
        bad(
          `Invalid value "${v}" for ${path}: must be one of ${CALICO_PROTOCOLS.join(', ')} or a number 1-255${near ? ` (did you mean "${near}"?)` : ''}`,
        );
      }
      return;
    }
  }
}

function checkRoot(ctx: RuleContext, root: MapNode, s: S, ruleId: string): void {
  walk(ctx, root, s, stringValue(getValue(root, 'kind')) ?? 'the object', ruleId);
}

export const rule: Rule = {
  id: 'anp-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: [
    'ClusterNetworkPolicy',
    'AdminNetworkPolicy',
    'BaselineAdminNetworkPolicy',
    'NetworkPolicy',
    'GlobalNetworkPolicy',
    'NetworkSet',
    'GlobalNetworkSet',
    'CiliumNetworkPolicy',
    'CiliumClusterwideNetworkPolicy',
  ],
  description:
    'A ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy that breaks the CRD schema: unknown field, invalid action or tier, priority out of 0-1000, a peer or subject without exactly one field, a port range with start ≥ end.',
  extraIds: [
    {
      id: 'calico-invalid',
      defaultSeverity: 'error',
      description:
        'A Calico NetworkPolicy, GlobalNetworkPolicy, NetworkSet or GlobalNetworkSet (projectcalico.org/v3) that breaks its schema: unknown field, invalid action, protocol, types, port or CIDR.',
    },
    {
      id: 'cilium-invalid',
      defaultSeverity: 'error',
      description:
        'A CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy value its CRD rejects beyond field names and types (those are schema-*): not exactly one of endpointSelector / nodeSelector, an unknown port protocol or selector operator, an invalid CIDR or port, a toFQDNs or DNS-rule name outside the pattern of the CRD (a URL, a port, a * in matchName); and a rule the Cilium agent refuses to import (two kinds of peer in one rule, icmps beside toPorts, DNS rules on ingress or without a port, L7 rules on a port that is not TCP or is 0, an except outside its cidr).',
    },
  ],
  check(ctx) {
    const r = ctx.resource;
    if (isAdminPolicy(r)) {
      if (r.kind === 'ClusterNetworkPolicy' && r.apiVersion === 'policy.networking.k8s.io/v1alpha2')
        checkRoot(ctx, r.node, CNP_V2, 'anp-invalid');
      else if (r.kind === 'AdminNetworkPolicy' && r.apiVersion === 'policy.networking.k8s.io/v1alpha1')
        checkRoot(ctx, r.node, ANP_V1, 'anp-invalid');
      else if (
        r.kind === 'BaselineAdminNetworkPolicy' &&
        r.apiVersion === 'policy.networking.k8s.io/v1alpha1'
      ) {
        checkRoot(ctx, r.node, BANP_V1, 'anp-invalid');
        if (r.name !== undefined && r.name !== 'default' && r.nameNode)
          ctx.report(
            r.nameNode,
            `A BaselineAdminNetworkPolicy must be named "default" (there is at most one per cluster); "${r.name}" is rejected`,
            { ruleId: 'anp-invalid' },
          );
      }
    } else if (isCalicoPolicy(r)) {
      checkRoot(
        ctx,
        r.node,
        obj({
          apiVersion: ANY,
          kind: ANY,
          metadata: ANY,
          spec: CALICO_SPEC(r.kind === 'GlobalNetworkPolicy'),
        }),
        'calico-invalid',
      );
    } else if (
      r.apiVersion === 'projectcalico.org/v3' &&
      (r.kind === 'NetworkSet' || r.kind === 'GlobalNetworkSet')
    ) {
      checkRoot(ctx, r.node, CALICO_NETWORK_SET, 'calico-invalid');
    } else if (isCiliumPolicy(r)) {
      checkRoot(ctx, r.node, CILIUM, 'cilium-invalid');
      checkCiliumAgentRules(ctx, r.node);
    }
  },
};
