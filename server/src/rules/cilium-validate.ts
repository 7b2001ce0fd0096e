// What the Cilium agent refuses in a CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy that the CRD
// accepts: the agent validates each rule when it imports the policy (pkg/policy/api/rule_validation.go,
// Validate) and a policy with one such rule is not enforced at all (its status shows the error).
// Reported as cilium-invalid, beside the CRD's own checks (tier-schema.ts):
//
// - two kinds of peer in one rule (fromEndpoints with fromCIDR, toFQDNs with toEndpoints, ...): "combining
//   X and Y is not supported yet"; the docs: toFQDNs rules "cannot contain any other L3 rules";
// - icmps beside toPorts in one rule;
// - DNS rules (toPorts[].rules.dns) on ingress, or without a port;
// - L7 rules (http, kafka) on a port whose protocol is not TCP, or on port 0;
// - more than one kind of L7 rule on one port rule;
// - a toCIDRSet / fromCIDRSet `except` outside its `cidr`.

import type { AstNode, MapNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getPair, getValue } from '../syntax/ast';
import { parseIpRange } from '../engine/reach';
import { contains } from '../engine/reach-base';
import type { RuleContext } from './types';

const INGRESS_PEERS = ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromNodes', 'fromGroups'];
const EGRESS_PEERS = [
  'toCIDR',
  'toCIDRSet',
  'toEndpoints',
  'toEntities',
  'toServices',
  'toGroups',
  'toNodes',
];

/** `what` is wrong; the agent refuses it (and with it the whole policy); `fix` says how to write it. */
function refuse(ctx: RuleContext, node: AstNode, what: string, fix: string): void {
  ctx.report(node, `${what}, which the Cilium agent refuses: it enforces none of the policy. ${fix}`, {
    ruleId: 'cilium-invalid',
  });
}

function nonEmpty(m: MapNode, key: string): boolean {
  const seq = asSeq(getValue(m, key));
  return !!seq && seq.items.length > 0;
}

function checkRule(ctx: RuleContext, rule: AstNode, where: string, section: string): void {
  const m = asMap(rule);
  if (!m) return;
  const report = (node: AstNode | null | undefined, what: string, fix: string) =>
    refuse(ctx, node ?? m, what, fix);
  const ingress = section === 'ingress' || section === 'ingressDeny';
  const kinds = ingress ? INGRESS_PEERS : section === 'egress' ? [...EGRESS_PEERS, 'toFQDNs'] : EGRESS_PEERS;
  // (in the order they are written; the second is the one to move)
  const peers = m.pairs.filter((p) => p.keyText && kinds.includes(p.keyText) && nonEmpty(m, p.keyText));
  if (peers.length > 1)
    report(
      peers[1].key,
      `${where} combines ${peers.map((p) => p.keyText).join(' and ')} in one rule`,
      `Write one rule for each kind of peer: the policy allows what any of its rules allows.`,
    );
  const toPorts = asSeq(getValue(m, 'toPorts'));
  const icmps = getPair(m, 'icmps');
  if (icmps && nonEmpty(m, 'icmps') && toPorts?.items.length)
    report(icmps.key, `${where} holds icmps beside toPorts`, `Move icmps to a rule of their own.`);
  (toPorts?.items ?? []).forEach((portRule, i) =>
    checkPortRule(ctx, portRule, `${where}.toPorts[${i}]`, ingress),
  );
  for (const key of ['fromCIDRSet', 'toCIDRSet'])
    (asSeq(getValue(m, key))?.items ?? []).forEach((set, i) => {
      const cidrText = asScalar(getValue(set, 'cidr'))?.value;
      const cidr = typeof cidrText === 'string' ? parseIpRange(cidrText) : undefined;
      if (!cidr) return; // the CRD's checks speak
      for (const ex of asSeq(getValue(set, 'except'))?.items ?? []) {
        const exText = asScalar(ex)?.value;
        const range = typeof exText === 'string' ? parseIpRange(exText) : undefined;
        if (range && !contains(cidr, range))
          report(
            ex,
            `${where}.${key}[${i}] except ${exText} is not inside its cidr ${cidrText}`,
            `Except only addresses of the cidr (or remove the entry).`,
          );
      }
    });
}

function checkPortRule(ctx: RuleContext, portRule: AstNode, where: string, ingress: boolean): void {
  const m = asMap(portRule);
  if (!m) return;
  const report = (node: AstNode | null | undefined, what: string, fix: string) =>
    refuse(ctx, node ?? m, what, fix);
  const rulesPair = getPair(m, 'rules');
  const rules = asMap(rulesPair?.value);
  if (!rules) return;
  const kinds = rules.pairs.filter((p) => p.keyText && nonEmpty(rules, p.keyText));
  if (!kinds.length) return;
  if (kinds.length > 1)
    report(
      kinds[1].key,
      `${where}.rules holds ${kinds.map((p) => p.keyText).join(' and ')} rules`,
      `Give each kind of L7 rule a port rule of its own.`,
    );
  const dns = kinds.find((p) => p.keyText === 'dns');
  const ports = asSeq(getValue(m, 'ports'))?.items ?? [];
  if (dns && ingress)
    report(
      dns.key,
      `${where} has DNS rules on ingress`,
      `DNS rules go in an egress rule towards the DNS server.`,
    );
  if (dns && !ports.length)
    report(dns.key, `${where} has DNS rules but no ports`, `List the DNS port (port: "53", protocol: ANY).`);
  if (dns) return;
  ports.forEach((p, i) => {
    const pm = asMap(p);
    if (!pm) return;
    const protocol = asScalar(getValue(pm, 'protocol'))?.value;
    const proto = typeof protocol === 'string' ? protocol.toUpperCase() : 'ANY';
    if (proto !== 'TCP')
      report(
        getValue(pm, 'protocol') ?? pm,
        `${where}.ports[${i}] has ${kinds[0].keyText} rules on protocol ${proto}${protocol === undefined ? ' (the default when protocol is left out)' : ''}, and L7 rules other than DNS apply to TCP only`,
        `Set protocol: TCP.`,
      );
    const port = asScalar(getValue(pm, 'port'))?.value;
    if (port === 0 || port === '0')
      report(
        getValue(pm, 'port') ?? pm,
        `${where}.ports[${i}] has L7 rules on port 0 (every port)`,
        `Name the port the L7 rules are for.`,
      );
  });
}

/** Check every rule of the policy's spec and specs. */
export function checkCiliumAgentRules(ctx: RuleContext, root: MapNode): void {
  const specs: { node: AstNode; prefix: string }[] = [];
  const spec = getValue(root, 'spec');
  if (spec) specs.push({ node: spec, prefix: 'spec' });
  (asSeq(getValue(root, 'specs'))?.items ?? []).forEach((s, i) =>
    specs.push({ node: s, prefix: `specs[${i}]` }),
  );
  for (const { node, prefix } of specs)
    for (const section of ['ingress', 'ingressDeny', 'egress', 'egressDeny'])
      (asSeq(getValue(node, section))?.items ?? []).forEach((rule, i) =>
        checkRule(ctx, rule, `${prefix}.${section}[${i}]`, section),
      );
}
