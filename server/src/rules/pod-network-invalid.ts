// The networking part of a pod spec that the API server's validation refuses (ValidatePodSpec in
// kubernetes pkg/apis/core/validation/validation.go), for a Pod and every workload's pod template:
// - host ports: two ports of the regular containers with the same protocol, hostIP and hostPort
//   (checkHostPortConflicts; each init container is checked on its own, as they run one by one);
//   with hostNetwork, a hostPort that differs from its containerPort (validateHostNetwork: on the
//   node's network the container's port is the host port);
// - DNS: dnsPolicy None without dnsConfig or without a nameserver, more than 3 nameservers or one
//   that is not an IP address, more search domains or search characters than the resolver takes
//   (32 and 2048 since Kubernetes 1.28, 6 and 256 before), a search domain that is not a DNS name,
//   an option without a name (validatePodDNSConfig);
// - hostAliases: an ip that is not an IP address, a hostname that is not a DNS name
//   (validateHostAliases);
// - probes and lifecycle hooks on an init container that is not a sidecar (restartPolicy Always):
//   forbidden, as such a container runs to completion before the others start.

import type { AstNode, MapNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getPair, getValue, scalarText, stringValue } from '../syntax/ast';
import { podTemplateOf } from '../model/workload';
import { dns1123Subdomain } from './k8s-values';
import { parseIpSloppy } from './service-spec-invalid';
import { versionAtLeast } from './version';
import { PROBE_FIELDS } from './ports';
import type { Rule, RuleContext } from './types';

function int(node: AstNode | null | undefined): number {
  const s = asScalar(node);
  return s && typeof s.value === 'number' && Number.isInteger(s.value) ? s.value : 0;
}

function containersOf(spec: MapNode, list: string): MapNode[] {
  return (asSeq(getValue(spec, list))?.items ?? []).flatMap((c) => {
    const m = asMap(c);
    return m ? [m] : [];
  });
}

function checkHostPorts(ctx: RuleContext, spec: MapNode): void {
  const hostNetwork = asScalar(getValue(spec, 'hostNetwork'))?.value === true;
  const groups = [containersOf(spec, 'containers'), ...containersOf(spec, 'initContainers').map((c) => [c])];
  for (const group of groups) {
    const seen = new Map<string, string>();
    for (const c of group) {
      const name = scalarText(getValue(c, 'name')) ?? '';
      (asSeq(getValue(c, 'ports'))?.items ?? []).forEach((p, i) => {
        const hostPortNode = asScalar(getValue(p, 'hostPort'));
        const containerPortNode = asScalar(getValue(p, 'containerPort'));
        const containerPort = int(containerPortNode);
        // (with hostNetwork an unset hostPort is defaulted to the containerPort)
        const hostPort = int(hostPortNode) || (hostNetwork ? containerPort : 0);
        const at = hostPortNode && int(hostPortNode) !== 0 ? hostPortNode : containerPortNode;
        if (!at || hostPort === 0) return;
        if (hostPortNode && hostNetwork && containerPort !== 0 && hostPort !== containerPort)
          ctx.report(
            hostPortNode,
            `hostPort ${hostPort} differs from containerPort ${containerPort}, and this pod uses the node's network (hostNetwork: true): there the container listens on the node itself, so its port is the host port, and the API server rejects the pod ("must match containerPort when hostNetwork is true"). Set hostPort to ${containerPort}, or leave it out`,
            {
              fixes: () => [
                {
                  title: `Change to ${containerPort}`,
                  edits: [
                    { start: hostPortNode.start, end: hostPortNode.end, newText: String(containerPort) },
                  ],
                  preferred: true,
                },
              ],
            },
          );
        const protocol = scalarText(getValue(p, 'protocol')) || 'TCP';
        const hostIP = scalarText(getValue(p, 'hostIP')) ?? '';
        const key = `${protocol}/${hostIP}/${hostPort}`;
        const where = `${name ? `container "${name}" ` : ''}ports[${i}]`;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, where);
        else
          ctx.report(
            at,
            `${at === hostPortNode ? '' : `containerPort ${containerPort} is also the host port on the node's network (hostNetwork: true), and `}hostPort ${hostPort}/${protocol}${hostIP ? ` on ${hostIP}` : ''} is already taken by ${first}: a node port can forward to one container port only, and the API server rejects the pod ("Duplicate value"). Use another host port`,
          );
      });
    }
  }
}

function checkDns(ctx: RuleContext, spec: MapNode): void {
  const policy = getPair(spec, 'dnsPolicy');
  const configPair = getPair(spec, 'dnsConfig');
  const config = asMap(configPair?.value);
  const nameservers = asSeq(getValue(config, 'nameservers'))?.items ?? [];
  if (policy && scalarText(policy.value) === 'None') {
    if (!config) {
      ctx.report(
        policy.value ?? policy.key,
        'dnsPolicy None gives the pod no DNS settings at all, so it needs dnsConfig with at least one nameserver: the API server rejects the pod ("must provide `dnsConfig` when `dnsPolicy` is None"). Add dnsConfig.nameservers, or use dnsPolicy ClusterFirst',
        { missing: 'spec.dnsConfig' },
      );
      return;
    }
    if (nameservers.length === 0) {
      ctx.report(
        configPair!.key,
        'dnsPolicy None takes the pod\'s nameservers from dnsConfig only, and it lists none: the API server rejects the pod ("must provide at least one DNS nameserver when `dnsPolicy` is None"). Add dnsConfig.nameservers',
        { missing: 'spec.dnsConfig.nameservers' },
      );
      return;
    }
  }
  if (!config) return;
  if (nameservers.length > 3)
    ctx.report(
      nameservers[3],
      `dnsConfig lists ${nameservers.length} nameservers: the resolver reads at most 3 (resolv.conf's limit), and the API server rejects the pod ("must not have more than 3 nameservers"). Keep three`,
    );
  for (const n of nameservers) {
    const v = scalarText(n);
    if (v !== undefined && !parseIpSloppy(v))
      ctx.report(
        n,
        `nameserver "${v}" is not an IP address: resolv.conf takes addresses only, and the API server rejects the pod. Give the DNS server's IP address`,
      );
  }
  const searches = asSeq(getValue(config, 'searches'))?.items ?? [];
  const expanded = versionAtLeast(ctx.settings.kubernetesVersion, '1.28');
  const [maxPaths, maxChars] = expanded ? [32, 2048] : [6, 256];
  if (searches.length > maxPaths)
    ctx.report(
      searches[maxPaths],
      `dnsConfig lists ${searches.length} search domains: the API server takes at most ${maxPaths} and rejects the pod ("must not have more than ${maxPaths} search paths"). Keep ${maxPaths}`,
    );
  const values = searches.map((s) => scalarText(s) ?? '');
  const chars = values.join(' ').length;
  if (chars > maxChars && searches.length <= maxPaths)
    ctx.report(
      getPair(config, 'searches')!.key,
      `dnsConfig's search domains take ${chars} characters with the spaces between them: the API server takes at most ${maxChars} and rejects the pod. Shorten the list`,
    );
  searches.forEach((s, i) => {
    const v = values[i].replace(/\.$/, '');
    const problem = dns1123Subdomain(v);
    if (problem)
      ctx.report(
        s,
        `search domain "${values[i]}" is not a DNS name: it ${problem}; the API server rejects the pod`,
      );
  });
  for (const o of asSeq(getValue(config, 'options'))?.items ?? []) {
    if (!scalarText(getValue(o, 'name')))
      ctx.report(
        o,
        'A dnsConfig option needs a name (such as ndots, timeout, attempts): the API server rejects the pod ("must not be empty")',
      );
  }
}

function checkHostAliases(ctx: RuleContext, spec: MapNode): void {
  for (const alias of asSeq(getValue(spec, 'hostAliases'))?.items ?? []) {
    const ip = asScalar(getValue(alias, 'ip'));
    const v = ip ? stringValue(ip) : undefined;
    if (ip && v !== undefined && !parseIpSloppy(v))
      ctx.report(
        ip,
        `hostAliases ip "${v}" is not an IP address: the kubelet writes it into the pod's /etc/hosts, and the API server rejects the pod. Give an IP address (a name cannot be aliased to a name here)`,
      );
    for (const h of asSeq(getValue(alias, 'hostnames'))?.items ?? []) {
      const name = scalarText(h);
      const problem = name === undefined ? undefined : dns1123Subdomain(name);
      if (problem)
        ctx.report(
          h,
          `hostAliases hostname "${name}" is not a DNS name: it ${problem}; the API server rejects the pod`,
        );
    }
  }
}

function checkInitContainerProbes(ctx: RuleContext, spec: MapNode): void {
  for (const c of containersOf(spec, 'initContainers')) {
    if (scalarText(getValue(c, 'restartPolicy')) === 'Always') continue;
    const name = scalarText(getValue(c, 'name'));
    for (const field of [...PROBE_FIELDS, 'lifecycle']) {
      const pair = getPair(c, field);
      if (pair)
        ctx.report(
          pair.key,
          `${field} is not allowed on init container${name ? ` "${name}"` : ''}: an init container runs to completion before the others start, so there is nothing to probe or hook, and the API server rejects the pod ("may not be set for init containers without restartPolicy=Always"). Remove it, or make the container a sidecar with restartPolicy: Always`,
        );
    }
  }
}

export const rule: Rule = {
  id: 'pod-network-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  description:
    "A pod's networking fields the API server rejects: a host port taken twice, a hostPort that differs from its containerPort with hostNetwork, dnsPolicy None without nameservers, an invalid dnsConfig or hostAliases entry, probes or lifecycle hooks on an init container that is not a sidecar.",
  check(ctx) {
    const spec = asMap(getValue(podTemplateOf(ctx.resource), 'spec'));
    if (!spec) return;
    checkHostPorts(ctx, spec);
    checkDns(ctx, spec);
    checkHostAliases(ctx, spec);
    checkInitContainerProbes(ctx, spec);
  },
};
