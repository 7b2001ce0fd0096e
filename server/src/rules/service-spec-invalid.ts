// Service spec rules of the API server (ValidateService and its helpers in pkg/apis/core/validation,
// and the IP-family checks the Service storage makes before allocating, registry/core/service/storage
// alloc.go), applied to the object as the API server sees it after defaulting (pkg/apis/core/v1
// defaults.go: type ClusterIP, sessionAffinity None with its config dropped, externalTrafficPolicy
// Cluster where a Service is reachable from outside, a targetPort of 0 or "" becoming the port).
// Port numbers, port names, selectors, CIDRs and the NodePort range have their own rules.

import type { AstNode, MapNode, PairNode } from '../syntax/ast';
import {
  asMap,
  asScalar,
  asSeq,
  getIn,
  getPair,
  getValue,
  isNullish,
  scalarText,
  stringValue,
} from '../syntax/ast';
import type { Rule, RuleContext } from './types';
import { isUnsetValue } from '../model/api-defaults';
import { dns1123Subdomain, labelKey } from './k8s-values';
import { versionAtLeast } from './version';
import ipaddr from 'ipaddr.js';

const TYPES = new Set(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
const MAX_AFFINITY_SECONDS = 86400;
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';

/** An IP address as the API server's lenient parser reads it (IsValidIP: IPv4 parts may carry
 * leading zeros, which it reads as decimal), or undefined. IPv4-mapped IPv6 counts as IPv4. */
export function parseIpSloppy(v: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const four = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(v);
  if (four) {
    const parts = four.slice(1).map(Number);
    return parts.every((n) => n <= 255) ? new ipaddr.IPv4(parts) : undefined;
  }
  if (!v.includes(':') || v.includes('%') || !ipaddr.IPv6.isValid(v)) return undefined;
  const a = ipaddr.IPv6.parse(v);
  return a.isIPv4MappedAddress() ? a.toIPv4Address() : a;
}

function familyName(a: ipaddr.IPv4 | ipaddr.IPv6): string {
  return a.kind() === 'ipv4' ? 'IPv4' : 'IPv6';
}

/** Why the API server refuses an address in externalIPs (ValidateNonSpecialIP), or undefined. */
export function specialIpProblem(a: ipaddr.IPv4 | ipaddr.IPv6): string | undefined {
  const range = a.range();
  if (range === 'unspecified') return 'the unspecified address';
  if (range === 'loopback') return 'a loopback address (127.0.0.0/8, ::1)';
  if (range === 'linkLocal') return 'a link-local address (169.254.0.0/16, fe80::/10)';
  const bytes = a.toByteArray();
  // Go's IsLinkLocalMulticast: 224.0.0.0/24, and IPv6 multicast of link-local scope (ffx2::/16)
  const linkLocalMulticast =
    a.kind() === 'ipv4'
      ? bytes[0] === 224 && bytes[1] === 0 && bytes[2] === 0
      : bytes[0] === 0xff && (bytes[1] & 0x0f) === 0x02;
  if (linkLocalMulticast) return 'a link-local multicast address (224.0.0.0/24, ff02::/16)';
  return undefined;
}

function textOf(node: AstNode | null | undefined): string | undefined {
  const s = asScalar(node);
  return s && s.value !== null ? String(s.value) : undefined;
}

interface Spec {
  map: MapNode;
  type: string;
  headless: boolean;
  /** 'spec.type' when the type is left out (ClusterIP by default): what a check found from the default
   * is marked with it, since a kustomize patch leaves the type to its base. */
  typeMissing: string | undefined;
}

/** clusterIP, clusterIPs, ipFamilies and ipFamilyPolicy (ValidateServiceClusterIPsRelatedFields and
 * the ipFamilyPolicy check of the allocator), for every type but ExternalName. */
function checkClusterIPs(ctx: RuleContext, s: Spec): void {
  const ipPair = getPair(s.map, 'clusterIP');
  const ip = textOf(ipPair?.value);
  const ipsPair = getPair(s.map, 'clusterIPs');
  const ipsNode = asSeq(ipsPair?.value);
  // on create the API server copies clusterIP into an empty clusterIPs
  const ips: [string, AstNode][] = [];
  if (ipsNode && ipsNode.items.length > 0) {
    for (const item of ipsNode.items) {
      const t = textOf(item);
      if (t !== undefined) ips.push([t, item]);
    }
    if (!ip)
      ctx.report(
        ipsPair!.key,
        'clusterIPs is set but clusterIP is not: the API server rejects it ("must be empty when `clusterIP` is not specified"). Set clusterIP to the first entry of clusterIPs, or remove clusterIPs',
      );
    else if (ips.length > 0 && ips[0][0] !== ip)
      ctx.report(
        ips[0][1],
        `clusterIPs starts with "${ips[0][0]}" but clusterIP is "${ip}": the API server rejects it ("first value must match \`clusterIP\`"). Make the first entry of clusterIPs the same as clusterIP`,
      );
  } else if (ip && ipPair?.value) ips.push([ip, ipPair.value]);
  let bad = false;
  const parsed: (ipaddr.IPv4 | ipaddr.IPv6)[] = [];
  ips.forEach(([text, node], i) => {
    if (i === 0 && text === 'None') {
      if (ips.length > 1) {
        bad = true;
        ctx.report(
          node,
          'clusterIPs holds "None" with other addresses: the API server rejects it ("\'None\' must be the first and only value"). A headless Service has clusterIPs: [None] only',
        );
      }
      return;
    }
    const a = parseIpSloppy(text);
    if (!a) {
      bad = true;
      const field = node === ipPair?.value ? 'clusterIP' : 'clusterIPs entry';
      ctx.report(
        node,
        `${field} "${text}" is not an IP address: the API server rejects the Service. Give an address from the cluster's Service range, "None" for a headless Service, or leave it out to have one allocated`,
      );
      return;
    }
    parsed.push(a);
  });
  if (ipsNode && ips.length > 2) {
    bad = true;
    ctx.report(
      ipsPair!.key,
      `clusterIPs holds ${ips.length} addresses: the API server accepts at most two ("may only hold up to 2 values"), one IPv4 and one IPv6`,
    );
  }
  if (!bad && parsed.length === 2 && parsed[0].kind() === parsed[1].kind())
    ctx.report(
      ipsPair!.key,
      `clusterIPs holds two ${familyName(parsed[0])} addresses: the API server rejects it ("may specify no more than one IP for each IP family"). A dual-stack Service has one IPv4 and one IPv6 address`,
    );
  const familiesPair = getPair(s.map, 'ipFamilies');
  const families = (asSeq(familiesPair?.value)?.items ?? []).map((n) => [textOf(n), n] as const);
  if (!bad && !s.headless)
    parsed.forEach((a, i) => {
      const fam = families[i]?.[0];
      if ((fam === 'IPv4' || fam === 'IPv6') && fam !== familyName(a))
        ctx.report(
          ips[i][1],
          `"${ips[i][0]}" is an ${familyName(a)} address but ipFamilies[${i}] is ${fam}: the API server rejects it ("expected an ${fam} value as indicated by \`ipFamilies[${i}]\`"). List the families in the order of the addresses`,
        );
    });
  const seen = new Set<string>();
  for (const [fam, node] of families) {
    if (fam === undefined) continue;
    if (seen.has(fam))
      ctx.report(
        node,
        `ipFamilies lists ${fam} twice: the API server rejects duplicates. A dual-stack Service lists IPv4 and IPv6 once each`,
      );
    seen.add(fam);
  }
  if (bad) return;
  const policyNode = asScalar(getValue(s.map, 'ipFamilyPolicy'));
  if (policyNode?.value === 'SingleStack') {
    if (ips.length === 2)
      ctx.report(
        policyNode,
        "ipFamilyPolicy SingleStack allows one address, but clusterIPs holds two: the API server rejects it (\"must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified\"). Use PreferDualStack or RequireDualStack, or keep one address",
      );
    if (families.length === 2)
      ctx.report(
        policyNode,
        "ipFamilyPolicy SingleStack allows one IP family, but ipFamilies lists two: the API server rejects it (\"must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified\"). Use PreferDualStack or RequireDualStack, or list one family",
      );
  }
}

/** The fields that only some types take (ValidateService, validateLoadBalancerClassField,
 * validateServiceExternalTrafficPolicy). */
function checkTypeFields(ctx: RuleContext, s: Spec, externalIPs: number): void {
  const { map, type } = s;
  const lbOnly = (key: string, pair: PairNode | undefined) => {
    if (!pair || type === 'LoadBalancer') return;
    ctx.report(
      pair.key,
      `${key} only applies to type LoadBalancer (this Service is ${type}): the API server rejects it ("may only be used when \`type\` is 'LoadBalancer'"). Remove it, or make the Service a LoadBalancer`,
      { missing: s.typeMissing },
    );
  };
  const ranges = getPair(map, 'loadBalancerSourceRanges');
  if (ranges && (asSeq(ranges.value)?.items.length ?? 0) > 0) lbOnly('loadBalancerSourceRanges', ranges);
  else {
    const annotations = asMap(getIn(ctx.resource.node, ['metadata', 'annotations']));
    const a = annotations ? getPair(annotations, SOURCE_RANGES_ANNOTATION) : undefined;
    if (a) lbOnly(`The ${SOURCE_RANGES_ANNOTATION} annotation`, a);
  }
  // both were feature-gated before 1.22 (dropped rather than refused while the gate was off)
  const gated = versionAtLeast(ctx.settings.kubernetesVersion, '1.22');
  const allocate = getPair(map, 'allocateLoadBalancerNodePorts');
  if (gated && allocate && !isNullish(allocate.value)) lbOnly('allocateLoadBalancerNodePorts', allocate);
  const classPair = getPair(map, 'loadBalancerClass');
  if (gated && classPair && !isNullish(classPair.value)) {
    if (type !== 'LoadBalancer') lbOnly('loadBalancerClass', classPair);
    else {
      const v = textOf(classPair.value);
      const problem = v === undefined ? undefined : labelKey(v);
      if (problem)
        ctx.report(
          classPair.value!,
          `loadBalancerClass "${v}" is not a valid qualified name (such as "example.com/internal-vip"): ${problem}; the API server rejects the Service`,
        );
    }
  }
  const externallyAccessible =
    type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && externalIPs > 0);
  const etpPair = getPair(map, 'externalTrafficPolicy');
  const etp = textOf(etpPair?.value);
  if (etpPair && etp && !externallyAccessible)
    ctx.report(
      etpPair.key,
      `externalTrafficPolicy only applies to Services reached from outside the cluster (NodePort, LoadBalancer, or ClusterIP with externalIPs): on this ${type} Service the API server rejects it ("may only be set for externally-accessible services"). Remove it, or change the type`,
      { missing: s.typeMissing },
    );
  const hcPair = getPair(map, 'healthCheckNodePort');
  if (hcPair && !isUnsetValue(hcPair.value) && !(type === 'LoadBalancer' && etp === 'Local'))
    ctx.report(
      hcPair.key,
      `healthCheckNodePort only applies to a LoadBalancer Service with externalTrafficPolicy: Local (this one is ${type}${type === 'LoadBalancer' || type === 'NodePort' ? `, externalTrafficPolicy ${etp ?? 'Cluster (the default)'}` : ''}): the API server rejects it ("may only be set when \`type\` is 'LoadBalancer' and \`externalTrafficPolicy\` is 'Local'"). Remove it, or set externalTrafficPolicy: Local`,
      { missing: s.typeMissing ?? (etp === undefined ? 'spec.externalTrafficPolicy' : undefined) },
    );
}

function checkExternalName(ctx: RuleContext, s: Spec, specKey: AstNode): void {
  for (const key of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) {
    const pair = getPair(s.map, key);
    if (!pair || isNullish(pair.value)) continue;
    const v = asScalar(pair.value);
    const seq = asSeq(pair.value);
    if ((v && v.value === '') || (seq && seq.items.length === 0)) continue;
    ctx.report(
      pair.key,
      `${key} cannot be set on an ExternalName Service: the API server rejects it ("may not be set for ExternalName services"); an ExternalName Service is a DNS alias with no cluster IP. Remove it`,
    );
  }
  const nameNode = asScalar(getValue(s.map, 'externalName'));
  const name = textOf(nameNode);
  // the name (a CNAME target) may end with a dot, as a fully qualified name
  const cname = name?.replace(/\.$/, '') ?? '';
  if (!cname) {
    ctx.report(specKey, 'A Service of type ExternalName needs "externalName" (the DNS name it aliases)');
    return;
  }
  const problem = dns1123Subdomain(cname);
  if (problem)
    ctx.report(
      nameNode!,
      `externalName "${name}" is not a valid DNS name: it ${problem}; the API server rejects the Service (its DNS entry is a CNAME to this name)`,
    );
}

function checkPorts(ctx: RuleContext, s: Spec, ports: AstNode[]): void {
  const names = new Map<string, number>();
  const numbers = new Map<string, number>();
  const nodePorts = new Map<string, number>();
  ports.forEach((p, i) => {
    const pm = asMap(p);
    if (!pm) return;
    const nameNode = asScalar(getValue(pm, 'name'));
    const name = scalarText(nameNode);
    if (ports.length > 1 && !name) {
      const anchor = pm.pairs[0]?.key ?? pm;
      ctx.report(anchor, 'When a Service has more than one port, every port needs a "name"');
    }
    if (name && nameNode) {
      if (names.has(name))
        ctx.report(nameNode, `Duplicate port name "${name}" (also port #${names.get(name)! + 1})`);
      else names.set(name, i);
    }
    const protocol = stringValue(getValue(pm, 'protocol')) ?? 'TCP';
    const portNode = asScalar(getValue(pm, 'port'));
    const port = scalarText(portNode);
    if (port && portNode) {
      const key = `${port}/${protocol}`;
      if (numbers.has(key))
        ctx.report(portNode, `Duplicate port ${port}/${protocol} (also port #${numbers.get(key)! + 1})`);
      else numbers.set(key, i);
    }
    const nodePortPair = getPair(pm, 'nodePort');
    // nodePort 0 is "not set" (the API only forbids a non-zero one on ClusterIP)
    if (nodePortPair && !isUnsetValue(nodePortPair.value)) {
      if (s.type === 'ClusterIP')
        ctx.report(
          nodePortPair.key,
          'nodePort can only be set on NodePort and LoadBalancer Services (this one is ClusterIP)',
          { missing: s.typeMissing },
        );
      const nodePort = textOf(nodePortPair.value);
      const key = `${nodePort}/${protocol}`;
      if (nodePort && nodePorts.has(key))
        ctx.report(
          nodePortPair.value!,
          `Duplicate nodePort ${nodePort}/${protocol} (also port #${nodePorts.get(key)! + 1}): the API server rejects the Service; give each port its own nodePort, or leave nodePort out to have one allocated`,
        );
      else if (nodePort) nodePorts.set(key, i);
    }
    const appProtocol = asScalar(getValue(pm, 'appProtocol'));
    const ap = textOf(appProtocol);
    const problem = ap === undefined ? undefined : labelKey(ap);
    if (problem)
      ctx.report(
        appProtocol!,
        `appProtocol "${ap}" is not a valid qualified name (such as "http", "kubernetes.io/h2c" or "example.com/proto"): ${problem}; the API server rejects the Service`,
      );
  });
}

export const rule: Rule = {
  id: 'service-spec-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Service'],
  description:
    'A Service spec the API server rejects: unnamed or duplicate ports, fields its type does not take (nodePort on ClusterIP, loadBalancerSourceRanges off LoadBalancer, externalTrafficPolicy on an internal Service, healthCheckNodePort without Local, a headless NodePort), clusterIP(s) and externalIPs that are not IP addresses, mismatched ipFamilies, an ExternalName without a valid DNS name, a session affinity timeout outside 1-86400 s, an appProtocol that is not a qualified name.',
  check(ctx) {
    const annotations = asMap(getIn(ctx.resource.node, ['metadata', 'annotations']));
    const mode = annotations ? getPair(annotations, TOPOLOGY_MODE) : undefined;
    const hints = annotations ? getPair(annotations, TOPOLOGY_HINTS) : undefined;
    if (mode && hints && (textOf(mode.value) ?? '') !== (textOf(hints.value) ?? ''))
      ctx.report(
        mode.value ?? mode.key,
        `The ${TOPOLOGY_MODE} annotation says "${textOf(mode.value) ?? ''}" but the older ${TOPOLOGY_HINTS} says "${textOf(hints.value) ?? ''}": the API server rejects a Service where both are set and differ. Remove ${TOPOLOGY_HINTS} (topology-mode replaces it)`,
      );
    const specPair = getPair(ctx.resource.node, 'spec');
    const map = asMap(specPair?.value);
    if (!specPair || !map) return;
    const typeNode = getValue(map, 'type');
    const type = stringValue(typeNode) || 'ClusterIP'; // "" is defaulted too
    const clusterIPs = asSeq(getValue(map, 'clusterIPs'))?.items ?? [];
    const first = clusterIPs.length > 0 ? textOf(clusterIPs[0]) : textOf(getValue(map, 'clusterIP'));
    const headless = first === 'None' && clusterIPs.length <= 1;
    const s: Spec = { map, type, headless, typeMissing: isNullish(typeNode) ? 'spec.type' : undefined };
    const ports = asSeq(getValue(map, 'ports'))?.items ?? [];
    checkPorts(ctx, s, ports);
    // an unknown type is schema-enum's to explain: what depends on the type is not guessed
    if (!TYPES.has(type)) return;
    if (type === 'ExternalName') checkExternalName(ctx, s, specPair.key);
    else checkClusterIPs(ctx, s);
    if (headless && (type === 'NodePort' || type === 'LoadBalancer')) {
      const node = clusterIPs[0] ?? getValue(map, 'clusterIP')!;
      ctx.report(
        node,
        `A headless Service (clusterIP None) cannot be of type ${type}: the API server rejects it ("may not be set to 'None' for ${type} services"), as node ports and load balancers forward to the cluster IP. Remove clusterIP, or make the Service type ClusterIP`,
      );
    }
    const externalIPs = asSeq(getValue(map, 'externalIPs'))?.items ?? [];
    for (const item of externalIPs) {
      const text = textOf(item);
      if (text === undefined) continue;
      const a = parseIpSloppy(text);
      const problem = a ? specialIpProblem(a) : undefined;
      if (!a)
        ctx.report(
          item,
          `externalIPs entry "${text}" is not an IP address: the API server rejects the Service. Give an address such as 192.0.2.10 (externalIPs takes addresses, not host names or CIDRs)`,
        );
      else if (problem)
        ctx.report(
          item,
          `externalIPs entry "${text}" is ${problem}: the API server refuses such addresses here (they belong to each node itself). Use an address that is routed to the nodes`,
        );
    }
    checkTypeFields(ctx, s, externalIPs.length);
    if (stringValue(getValue(map, 'sessionAffinity')) === 'ClientIP') {
      const timeout = asScalar(getIn(map, ['sessionAffinityConfig', 'clientIP', 'timeoutSeconds']));
      if (
        timeout &&
        typeof timeout.value === 'number' &&
        (timeout.value <= 0 || timeout.value > MAX_AFFINITY_SECONDS)
      )
        ctx.report(
          timeout,
          `timeoutSeconds must be between 1 and ${MAX_AFFINITY_SECONDS} (one day) (it is ${timeout.value}): the API server rejects the Service. Leave it out for the default of 10800 (3 hours)`,
        );
    }
  },
};
