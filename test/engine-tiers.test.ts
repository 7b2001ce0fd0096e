// Every policy that decides a connection (engine/tiers.ts): admin tiers (ClusterNetworkPolicy
// v1alpha2, AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1), Cilium and Calico dialects, and
// the network plugin that enforces them. Table-driven: each case is manifests, a connection, the
// verdict and the tier/policy/rule/action that decides. The matrix must agree with every verdict.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluateReach } from '../server/src/engine/reach';
import { reachMatrix } from '../server/src/engine/reach-matrix';
import { parseCalicoSelector, matchesCalico } from '../server/src/engine/calico-selector';
import type { Protocol } from '../server/src/engine/types';
import { clusterOf, docs } from './support/cluster';

function ns(name: string, labels: Record<string, string> = {}): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('');
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${l ? '  labels:\n' + l : ''}`;
}

function pod(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  ports: string[] = ['http:8080/TCP'],
  ips: string[] = [],
): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('');
  const p = ports
    .map((x) => {
      const [, pname, num, proto] = /^(?:([a-z-]+):)?(\d+)\/(\w+)$/.exec(x)!;
      return `    - containerPort: ${num}\n      protocol: ${proto}\n${pname ? `      name: ${pname}\n` : ''}`;
    })
    .join('');
  const status = ips.length ? `status:\n  podIPs:\n${ips.map((ip) => `  - ip: ${ip}\n`).join('')}` : '';
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels:\n${l}spec:\n  containers:\n  - name: c\n    image: x\n${p ? '    ports:\n' + p : ''}${status}`;
}

// Three namespaces, two pods each: house=gryffindor|slytherin|ravenclaw, role=server|client.
const WORLD = docs(
  ns('gryffindor', { house: 'gryffindor' }),
  ns('slytherin', { house: 'slytherin' }),
  ns('ravenclaw', { house: 'ravenclaw' }),
  pod('harry', 'gryffindor', { house: 'gryffindor', role: 'server' }, [
    'web:80/TCP',
    'http:8080/TCP',
    'dns:53/UDP',
    '9003/SCTP',
  ]),
  pod('ron', 'gryffindor', { house: 'gryffindor', role: 'client' }),
  pod('draco', 'slytherin', { house: 'slytherin', role: 'server' }, ['web:80/TCP', 'http:8080/TCP']),
  pod('crabbe', 'slytherin', { house: 'slytherin', role: 'client' }),
  pod('luna', 'ravenclaw', { house: 'ravenclaw', role: 'server' }, ['web:80/TCP'], ['10.0.3.5']),
);

const y = (s: string) => s.replace(/^\n/, '');

function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, body: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n  tier: ${tier}\n  priority: ${priority}\n${y(body)}`;
}

function anp(name: string, priority: number, body: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n  priority: ${priority}\n${y(body)}`;
}

function banp(body: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata:\n  name: default\nspec:\n${y(body)}`;
}

function np(name: string, namespace: string, body: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${y(body)}`;
}

function cilium(name: string, namespace: string | undefined, body: string): string {
  const kind = namespace ? 'CiliumNetworkPolicy' : 'CiliumClusterwideNetworkPolicy';
  return `apiVersion: cilium.io/v2\nkind: ${kind}\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n${y(body)}`;
}

function calico(name: string, namespace: string | undefined, body: string): string {
  const kind = namespace ? 'NetworkPolicy' : 'GlobalNetworkPolicy';
  return `apiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n${y(body)}`;
}

const SUBJECT_G = `  subject:\n    namespaces:\n      matchLabels:\n        house: gryffindor\n`;
const FROM_S = `    from:\n    - namespaces:\n        matchLabels:\n          house: slytherin\n`;
const TO_S = `    to:\n    - namespaces:\n        matchLabels:\n          house: slytherin\n`;

const ALLOW_ALL_FROM_S_NP = np(
  'allow-s',
  'gryffindor',
  `
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          house: slytherin
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          house: slytherin
`,
);

const BASELINE_DENY = cnp(
  'default',
  'Baseline',
  10,
  SUBJECT_G +
    `  ingress:\n  - name: deny-s\n    action: Deny\n${FROM_S}  egress:\n  - name: deny-s\n    action: Deny\n${TO_S}`,
);

interface Case {
  name: string;
  yaml: string;
  from: string;
  to: string;
  port?: number | string;
  protocol?: Protocol;
  cni?: string;
  allowed: boolean;
  /** Expected deciding reason of the denying side (or the ingress side when allowed): tier, policy, rule, action. */
  tier?: string;
  policy?: string;
  rule?: string;
  action?: string;
  conditions?: RegExp;
}

const adminAction = (action: string) =>
  cnp(
    'pass-example',
    'Admin',
    10,
    SUBJECT_G +
      `  ingress:\n  - name: r\n    action: ${action}\n${FROM_S}  egress:\n  - name: r\n    action: ${action}\n${TO_S}`,
  );

const CASES: Case[] = [
  // --- admin tier, v1alpha2 (conformance "standard-anp-np-banp") --------------------------------
  {
    name: 'admin Deny beats a NetworkPolicy allow',
    yaml: docs(WORLD, adminAction('Deny'), ALLOW_ALL_FROM_S_NP, BASELINE_DENY),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'Admin',
    policy: 'pass-example',
    rule: 'ingress[0]',
    action: 'Deny',
  },
  {
    name: 'admin Deny on egress',
    yaml: docs(WORLD, adminAction('Deny'), ALLOW_ALL_FROM_S_NP),
    from: 'gryffindor/harry',
    to: 'slytherin/draco',
    port: 8080,
    allowed: false,
    tier: 'Admin',
    rule: 'egress[0]',
  },
  {
    name: 'Pass hands over to the NetworkPolicy, which allows',
    yaml: docs(WORLD, adminAction('Pass'), ALLOW_ALL_FROM_S_NP, BASELINE_DENY),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'NetworkPolicy',
    policy: 'gryffindor/allow-s',
  },
  {
    name: 'Pass without a NetworkPolicy reaches the baseline Deny',
    yaml: docs(WORLD, adminAction('Pass'), BASELINE_DENY),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'Baseline',
    policy: 'default',
    rule: 'ingress[0]',
    action: 'Deny',
  },
  {
    name: 'egress Pass then baseline Deny',
    yaml: docs(WORLD, adminAction('Pass'), BASELINE_DENY),
    from: 'gryffindor/harry',
    to: 'slytherin/draco',
    port: 80,
    allowed: false,
    tier: 'Baseline',
    rule: 'egress[0]',
  },
  {
    name: 'Accept ends evaluation: the baseline Deny is never consulted',
    yaml: docs(WORLD, adminAction('Accept'), BASELINE_DENY),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'Admin',
    action: 'Accept',
  },
  {
    name: 'Accept also overrides a NetworkPolicy that isolates',
    yaml: docs(
      WORLD,
      adminAction('Accept'),
      np('deny-all', 'gryffindor', '  podSelector: {}\n  policyTypes: [Ingress]\n'),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'Admin',
  },
  {
    name: 'a NetworkPolicy that isolates decides before the baseline',
    yaml: docs(
      WORLD,
      np('deny-all', 'gryffindor', '  podSelector: {}\n  policyTypes: [Ingress]\n'),
      cnp('allow-base', 'Baseline', 5, SUBJECT_G + `  ingress:\n  - action: Accept\n${FROM_S}`),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'NetworkPolicy',
  },
  {
    name: 'a peer not matched falls through to the default allow',
    yaml: docs(WORLD, adminAction('Deny')),
    from: 'ravenclaw/luna',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'Default',
  },
  // priorities: lower first; same-priority order is undefined, the engine takes the name order
  {
    name: 'priority 40 Pass wins over priority 50 Deny',
    yaml: docs(
      WORLD,
      cnp('p50', 'Admin', 50, SUBJECT_G + `  ingress:\n  - action: Deny\n${FROM_S}`),
      cnp('p40', 'Admin', 40, SUBJECT_G + `  ingress:\n  - action: Pass\n${FROM_S}`),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'Default',
  },
  {
    name: 'priority 50 Deny wins over priority 60 Pass',
    yaml: docs(
      WORLD,
      cnp('p50', 'Admin', 50, SUBJECT_G + `  ingress:\n  - action: Deny\n${FROM_S}`),
      cnp('p60', 'Admin', 60, SUBJECT_G + `  ingress:\n  - action: Pass\n${FROM_S}`),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'Admin',
    policy: 'p50',
  },
  {
    name: 'rules of one policy: the first that matches decides',
    yaml: docs(
      WORLD,
      cnp(
        'ordered',
        'Admin',
        1,
        SUBJECT_G +
          `  ingress:\n  - action: Accept\n    from:\n    - pods:\n        namespaceSelector: {}\n        podSelector:\n          matchLabels:\n            role: server\n  - action: Deny\n${FROM_S}`,
      ),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'Admin',
    rule: 'ingress[0]',
  },
  {
    name: 'second rule applies to a pod the first does not match',
    yaml: docs(
      WORLD,
      cnp(
        'ordered',
        'Admin',
        1,
        SUBJECT_G +
          `  ingress:\n  - action: Accept\n    from:\n    - pods:\n        namespaceSelector: {}\n        podSelector:\n          matchLabels:\n            role: server\n  - action: Deny\n${FROM_S}`,
      ),
    ),
    from: 'slytherin/crabbe',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'Admin',
    rule: 'ingress[1]',
  },
  // ports / protocols
  ...(() => {
    const p = cnp(
      'ports',
      'Admin',
      3,
      SUBJECT_G +
        `  ingress:\n  - action: Deny\n${FROM_S}    protocols:\n    - tcp:\n        destinationPort:\n          number: 80\n    - udp:\n        destinationPort:\n          range:\n            start: 50\n            end: 60\n    - destinationNamedPort: http\n`,
    );
    const yaml = docs(WORLD, p);
    return [
      {
        name: 'protocols tcp number matches 80/TCP',
        yaml,
        from: 'slytherin/draco',
        to: 'gryffindor/harry',
        port: 80,
        allowed: false,
        tier: 'Admin',
      },
      {
        name: 'protocols udp range matches 53/UDP',
        yaml,
        from: 'slytherin/draco',
        to: 'gryffindor/harry',
        port: 53,
        protocol: 'UDP' as Protocol,
        allowed: false,
        tier: 'Admin',
      },
      {
        name: 'destinationNamedPort http resolves to 8080 on the destination',
        yaml,
        from: 'slytherin/draco',
        to: 'gryffindor/harry',
        port: 8080,
        allowed: false,
        tier: 'Admin',
      },
      {
        name: 'a port none of the protocols match is not denied',
        yaml,
        from: 'slytherin/draco',
        to: 'gryffindor/harry',
        port: 9003,
        protocol: 'SCTP' as Protocol,
        allowed: true,
        tier: 'Default',
      },
    ] as Case[];
  })(),
  // networks: all addresses match every pod (pod-to-pod traffic included), CIDRs need pod IPs
  {
    name: 'egress Deny to 0.0.0.0/0 and ::/0 catches pod-to-pod traffic',
    yaml: docs(
      WORLD,
      cnp(
        'cidr',
        'Admin',
        85,
        SUBJECT_G +
          `  egress:\n  - action: Accept\n${TO_S}  - action: Deny\n    to:\n    - networks:\n      - 0.0.0.0/0\n      - ::/0\n`,
      ),
    ),
    from: 'gryffindor/harry',
    to: 'ravenclaw/luna',
    port: 80,
    allowed: false,
    tier: 'Admin',
    rule: 'egress[1]',
  },
  {
    name: 'the Accept before it still admits slytherin',
    yaml: docs(
      WORLD,
      cnp(
        'cidr',
        'Admin',
        85,
        SUBJECT_G +
          `  egress:\n  - action: Accept\n${TO_S}  - action: Deny\n    to:\n    - networks:\n      - 0.0.0.0/0\n      - ::/0\n`,
      ),
    ),
    from: 'gryffindor/harry',
    to: 'slytherin/draco',
    port: 80,
    allowed: true,
    tier: 'Admin',
    rule: 'egress[0]',
  },
  {
    name: 'networks match a pod by its status.podIPs',
    yaml: docs(
      WORLD,
      cnp(
        'cidr',
        'Admin',
        85,
        SUBJECT_G + `  egress:\n  - action: Deny\n    to:\n    - networks:\n      - 10.0.3.0/24\n`,
      ),
    ),
    from: 'gryffindor/harry',
    to: 'ravenclaw/luna',
    port: 80,
    allowed: false,
    tier: 'Admin',
  },
  {
    name: 'networks match an address outside the cluster',
    yaml: docs(
      WORLD,
      cnp(
        'cidr',
        'Admin',
        85,
        SUBJECT_G + `  egress:\n  - action: Deny\n    to:\n    - networks:\n      - 192.0.2.0/24\n`,
      ),
    ),
    from: 'gryffindor/harry',
    to: '192.0.2.7',
    port: 443,
    allowed: false,
    tier: 'Admin',
  },
  // v1alpha1
  {
    name: 'v1alpha1 AdminNetworkPolicy Allow is Accept',
    yaml: docs(
      WORLD,
      anp(
        'a',
        5,
        SUBJECT_G +
          `  ingress:\n  - action: Allow\n${FROM_S}    ports:\n    - portNumber:\n        protocol: TCP\n        port: 80\n`,
      ),
      np('deny-all', 'gryffindor', '  podSelector: {}\n  policyTypes: [Ingress]\n'),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'Admin',
    action: 'Allow',
  },
  {
    name: 'v1alpha1 portRange and namedPort',
    yaml: docs(
      WORLD,
      anp(
        'a',
        5,
        SUBJECT_G +
          `  ingress:\n  - action: Deny\n${FROM_S}    ports:\n    - portRange:\n        protocol: TCP\n        start: 8000\n        end: 9000\n    - namedPort: web\n`,
      ),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'Admin',
  },
  {
    name: 'BaselineAdminNetworkPolicy Deny applies when no NetworkPolicy selects the pod',
    yaml: docs(WORLD, banp(SUBJECT_G + `  ingress:\n  - action: Deny\n${FROM_S}`)),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'Baseline',
    policy: 'default',
  },
  // --- Cilium -------------------------------------------------------------------------------------
  {
    name: 'Cilium ingressDeny wins over an allow of the same policy',
    yaml: docs(
      WORLD,
      cilium(
        'c',
        'gryffindor',
        `
  endpointSelector:
    matchLabels:
      role: server
  ingress:
  - fromEntities: [all]
  ingressDeny:
  - fromEndpoints:
    - matchLabels:
        k8s:io.kubernetes.pod.namespace: slytherin
`,
      ),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'NetworkPolicy',
    policy: 'gryffindor/c',
    rule: 'ingressDeny[0]',
    action: 'Deny',
  },
  {
    name: 'Cilium deny wins over a Kubernetes NetworkPolicy allow',
    yaml: docs(
      WORLD,
      ALLOW_ALL_FROM_S_NP,
      cilium(
        'c',
        undefined,
        `
  endpointSelector: {}
  ingressDeny:
  - fromEndpoints:
    - matchLabels:
        io.kubernetes.pod.namespace: slytherin
    toPorts:
    - ports:
      - port: "80"
        protocol: TCP
`,
      ),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'NetworkPolicy',
    rule: 'ingressDeny[0]',
  },
  {
    name: 'Cilium fromEndpoints without a namespace label means the policy namespace',
    yaml: docs(
      WORLD,
      cilium(
        'same-ns',
        'gryffindor',
        `
  endpointSelector: {}
  ingress:
  - fromEndpoints:
    - matchLabels:
        role: client
`,
      ),
    ),
    from: 'slytherin/crabbe',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'NetworkPolicy',
  },
  {
    name: 'Cilium fromEndpoints in the same namespace allows',
    yaml: docs(
      WORLD,
      cilium(
        'same-ns',
        'gryffindor',
        `
  endpointSelector: {}
  ingress:
  - fromEndpoints:
    - matchLabels:
        role: client
`,
      ),
    ),
    from: 'gryffindor/ron',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'NetworkPolicy',
    rule: 'ingress[0]',
  },
  {
    name: 'Cilium toPorts with endPort; an empty rule {} allows nothing',
    yaml: docs(
      WORLD,
      cilium(
        'ports',
        'gryffindor',
        `
  endpointSelector: {}
  ingress:
  - {}
  - toPorts:
    - ports:
      - port: "8000"
        endPort: 8100
        protocol: TCP
`,
      ),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 8080,
    allowed: true,
    tier: 'NetworkPolicy',
    rule: 'ingress[1]',
  },
  {
    name: 'Cilium default deny after an empty rule',
    yaml: docs(
      WORLD,
      cilium(
        'ports',
        'gryffindor',
        `
  endpointSelector: {}
  ingress:
  - {}
`,
      ),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'NetworkPolicy',
  },
  {
    name: 'Cilium L7 rules allow under conditions',
    yaml: docs(
      WORLD,
      cilium(
        'l7',
        'gryffindor',
        `
  endpointSelector: {}
  ingress:
  - fromEntities: [cluster]
    toPorts:
    - ports:
      - port: "80"
        protocol: TCP
      rules:
        http:
        - method: GET
          path: /public/.*
`,
      ),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'NetworkPolicy',
    conditions: /HTTP GET path matching \/public/,
  },
  {
    name: 'Cilium toCIDRSet except',
    yaml: docs(
      WORLD,
      cilium(
        'cidr',
        'gryffindor',
        `
  endpointSelector: {}
  egress:
  - toCIDRSet:
    - cidr: 192.0.2.0/24
      except:
      - 192.0.2.128/25
`,
      ),
    ),
    from: 'gryffindor/harry',
    to: '192.0.2.200',
    port: 443,
    allowed: false,
    tier: 'NetworkPolicy',
  },
  {
    name: 'Cilium toFQDNs cannot be decided for an address: not allowed, and said so',
    yaml: docs(
      WORLD,
      cilium(
        'fqdn',
        'gryffindor',
        `
  endpointSelector: {}
  egress:
  - toFQDNs:
    - matchName: api.example.com
`,
      ),
    ),
    from: 'gryffindor/harry',
    to: '192.0.2.10',
    port: 443,
    allowed: false,
    tier: 'NetworkPolicy',
  },
  {
    name: 'under Cilium the admin tier is inert',
    yaml: docs(
      WORLD,
      adminAction('Deny'),
      cilium('x', 'ravenclaw', '  endpointSelector: {}\n  ingress:\n  - fromEntities: [all]\n'),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'Default',
  },
  // --- Calico -------------------------------------------------------------------------------------
  {
    name: 'Calico order: a Deny at order 100 beats an Allow at order 200',
    yaml: docs(
      WORLD,
      calico(
        'allow',
        'gryffindor',
        "  order: 200\n  selector: role == 'server'\n  ingress:\n  - action: Allow\n",
      ),
      calico(
        'deny',
        'gryffindor',
        "  order: 100\n  selector: all()\n  ingress:\n  - action: Deny\n    source:\n      namespaceSelector: house == 'slytherin'\n",
      ),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'calico:default',
    policy: 'gryffindor/deny',
    action: 'Deny',
  },
  {
    name: 'Calico: a source in another namespace is not matched, the next policy allows',
    yaml: docs(
      WORLD,
      calico(
        'allow',
        'gryffindor',
        "  order: 200\n  selector: role == 'server'\n  ingress:\n  - action: Allow\n",
      ),
      calico(
        'deny',
        'gryffindor',
        "  order: 100\n  selector: all()\n  ingress:\n  - action: Deny\n    source:\n      namespaceSelector: house == 'slytherin'\n",
      ),
    ),
    from: 'ravenclaw/luna',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'calico:default',
    policy: 'gryffindor/allow',
  },
  {
    name: 'Calico: Kubernetes NetworkPolicies sit at order 1000, after a GlobalNetworkPolicy at 500',
    yaml: docs(
      WORLD,
      ALLOW_ALL_FROM_S_NP,
      calico(
        'gdeny',
        undefined,
        "  order: 500\n  selector: projectcalico.org/namespace == 'gryffindor'\n  types: [Ingress]\n  ingress:\n  - action: Deny\n    protocol: TCP\n    destination:\n      ports: [80, '8000:8100']\n",
      ),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 8080,
    allowed: false,
    tier: 'calico:default',
    policy: 'gdeny',
  },
  {
    name: 'Calico: a GlobalNetworkPolicy at 2000 comes after the Kubernetes NetworkPolicy',
    yaml: docs(
      WORLD,
      ALLOW_ALL_FROM_S_NP,
      calico(
        'gdeny',
        undefined,
        "  order: 2000\n  selector: projectcalico.org/namespace == 'gryffindor'\n  types: [Ingress]\n  ingress:\n  - action: Deny\n",
      ),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 8080,
    allowed: true,
    tier: 'calico:default',
    policy: 'gryffindor/allow-s',
  },
  {
    name: 'Calico Pass skips to the next tier; the end of a tier denies',
    yaml: docs(
      WORLD,
      'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: security\nspec:\n  order: 100\n',
      calico(
        'pass',
        undefined,
        "  tier: security\n  order: 1\n  selector: has(house)\n  ingress:\n  - action: Pass\n    source:\n      selector: role == 'server'\n      namespaceSelector: all()\n",
      ),
      calico('default-deny', 'gryffindor', '  selector: all()\n  types: [Ingress]\n'),
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'calico:default',
  },
  {
    name: 'Calico: the end of the security tier denies what no rule matched',
    yaml: docs(
      WORLD,
      'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: security\nspec:\n  order: 100\n',
      calico(
        'pass',
        undefined,
        "  tier: security\n  order: 1\n  selector: has(house)\n  ingress:\n  - action: Pass\n    source:\n      selector: role == 'server'\n      namespaceSelector: all()\n",
      ),
    ),
    from: 'slytherin/crabbe',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'calico:security',
  },
  {
    name: 'Calico protocol by number and notNets',
    yaml: docs(
      WORLD,
      calico(
        'egress',
        'gryffindor',
        '  selector: all()\n  types: [Egress]\n  egress:\n  - action: Allow\n    protocol: 6\n    destination:\n      notNets: [192.0.2.0/24]\n',
      ),
    ),
    from: 'gryffindor/harry',
    to: '198.51.100.1',
    port: 443,
    allowed: true,
    tier: 'calico:default',
  },
  // --- the network plugin --------------------------------------------------------------------------
  {
    name: 'Flannel alone: every NetworkPolicy is inert',
    yaml: docs(WORLD, np('deny-all', 'gryffindor', '  podSelector: {}\n  policyTypes: [Ingress]\n')),
    cni: 'flannel',
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'Default',
  },
  {
    name: 'Flannel detected from its DaemonSet',
    yaml: docs(
      WORLD,
      np('deny-all', 'gryffindor', '  podSelector: {}\n  policyTypes: [Ingress]\n'),
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: kube-flannel-ds\n  namespace: kube-flannel\nspec:\n  selector:\n    matchLabels:\n      app: flannel\n  template:\n    metadata:\n      labels:\n        app: flannel\n    spec:\n      containers:\n      - name: f\n        image: flannel\n',
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'Default',
  },
  {
    name: 'Canal (Flannel + Calico) enforces NetworkPolicy',
    yaml: docs(WORLD, np('deny-all', 'gryffindor', '  podSelector: {}\n  policyTypes: [Ingress]\n')),
    cni: 'canal',
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: false,
    tier: 'NetworkPolicy',
  },
  {
    name: 'Weave: Calico policies are inert',
    yaml: docs(WORLD, calico('deny', 'gryffindor', '  selector: all()\n  ingress:\n  - action: Deny\n')),
    cni: 'weave',
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
    tier: 'Default',
  },
  {
    // same kind name, another API group: not evaluated as a Kubernetes NetworkPolicy (it would isolate every pod of the namespace)
    name: 'an Antrea-native NetworkPolicy (crd.antrea.io) is not a Kubernetes NetworkPolicy',
    yaml: docs(
      WORLD,
      `apiVersion: crd.antrea.io/v1beta1\nkind: NetworkPolicy\nmetadata:\n  name: annp\n  namespace: gryffindor\nspec:\n  priority: 5\n  appliedTo:\n  - podSelector: {}\n  ingress:\n  - action: Drop\n    from:\n    - podSelector:\n        matchLabels: {role: auditor}\n`,
    ),
    from: 'slytherin/draco',
    to: 'gryffindor/harry',
    port: 80,
    allowed: true,
  },
];

function deciding(r: ReturnType<typeof evaluateReach>) {
  const side = !r.egress.allowed
    ? r.egress
    : !r.ingress.allowed
      ? r.ingress
      : r.ingress.tier !== 'Default'
        ? r.ingress
        : r.egress;
  return { side, reason: side.reasons[0] };
}

for (const c of CASES) {
  test(`tiers: ${c.name}`, () => {
    const cluster = clusterOf(c.yaml);
    const r = evaluateReach(cluster, c.from, c.to, c.port ?? 80, c.protocol ?? 'TCP', { cni: c.cni });
    const { side, reason } = deciding(r);
    assert.equal(r.allowed, c.allowed, `verdict: ${r.reasons.map((x) => x.message).join(' | ')}`);
    if (c.tier) assert.equal(side.tier, c.tier, `tier: ${reason.message}`);
    if (c.policy) assert.equal(reason.policy, c.policy, reason.message);
    if (c.rule) assert.equal(reason.rule, c.rule, reason.message);
    if (c.action) assert.equal(reason.action, c.action, reason.message);
    if (c.conditions) assert.match((r.conditions ?? []).join('\n'), c.conditions);
    else assert.equal(r.conditions, undefined);
    // The matrix answers the same for the pair (workload pairs only).
    if (!/^\d/.test(c.from) && !/^\d/.test(c.to)) {
      const m = reachMatrix(cluster, { port: c.port ?? 80, protocol: c.protocol ?? 'TCP', cni: c.cni });
      const cell = m.cells.find((x) => x.from === r.from && x.to === r.to)!;
      assert.equal(cell.allowed, r.allowed, 'matrix agrees');
      if (c.tier) assert.equal(cell.tier, c.tier, 'matrix names the same tier');
    }
  });
}

test('a denied verdict names the policy, rule and action in plain words', () => {
  const r = evaluateReach(
    clusterOf(docs(WORLD, adminAction('Deny'))),
    'slytherin/draco',
    'gryffindor/harry',
    80,
  );
  assert.equal(
    r.ingress.reasons[0].message,
    'denied by ClusterNetworkPolicy pass-example ingress[0] "r" (Admin tier, priority 10; action Deny; matches slytherin/draco on 80/TCP)',
  );
  assert.deepEqual(
    r.ingress.chain?.map((s) => [s.policy, s.outcome]),
    [['pass-example', 'deny']],
  );
});

test('the chain lists what Pass handed over and the policy that decided after it', () => {
  const r = evaluateReach(
    clusterOf(docs(WORLD, adminAction('Pass'), ALLOW_ALL_FROM_S_NP)),
    'slytherin/draco',
    'gryffindor/harry',
    80,
  );
  assert.deepEqual(
    r.ingress.chain?.map((s) => `${s.tier}:${s.policy}:${s.outcome}`),
    ['Admin:pass-example:pass', 'NetworkPolicy:gryffindor/allow-s:isolates'],
  );
});

test('an inert policy is listed as such in the verdict', () => {
  const r = evaluateReach(
    clusterOf(docs(WORLD, adminAction('Deny'))),
    'slytherin/draco',
    'gryffindor/harry',
    80,
    'TCP',
    { cni: 'cilium' },
  );
  assert.equal(r.allowed, true);
  assert.deepEqual(
    r.ingress.inert?.map((p) => p.name),
    ['pass-example'],
  );
  assert.match(
    r.ingress.reasons[0].details?.join('\n') ?? '',
    /not enforced by Cilium: ClusterNetworkPolicy pass-example/,
  );
});

test('a network peer without pod IPs is undecided and said so', () => {
  const yaml = docs(
    WORLD,
    cnp(
      'cidr',
      'Admin',
      85,
      SUBJECT_G + `  egress:\n  - action: Deny\n    to:\n    - networks:\n      - 10.0.0.0/8\n`,
    ),
  );
  const r = evaluateReach(clusterOf(yaml), 'gryffindor/harry', 'slytherin/draco', 80);
  assert.equal(r.allowed, true);
  assert.equal(r.egress.reasons[0].undecided, true);
  assert.match(
    r.egress.reasons[0].details?.join('\n') ?? '',
    /may hold the pod IP of slytherin\/draco, which the manifests do not give/,
  );
});

// ---------------------------------------------------------------------------------------------------
// Calico selectors

test('Calico selectors: the whole language', () => {
  const labels = { app: 'web', tier: 'frontend', 'projectcalico.org/namespace': 'prod' };
  const table: [string, boolean][] = [
    ['', true],
    ['all()', true],
    ["app == 'web'", true],
    ['app == "api"', false],
    ["app != 'api'", true],
    ["missing != 'x'", true],
    ["app in {'web', 'api'}", true],
    ["app not in {'web'}", false],
    ["missing not in {'x'}", true],
    ['has(tier)', true],
    ['!has(tier)', false],
    ["has(app) && tier == 'frontend'", true],
    ["app == 'x' || tier == 'frontend'", true],
    ["!(app == 'web' && has(tier))", false],
    ["app contains 'e'", true],
    ["app starts with 'w'", true],
    ["app ends with 'x'", false],
    ['global()', false],
    ["projectcalico.org/namespace == 'prod'", true],
  ];
  for (const [text, expected] of table) {
    const p = parseCalicoSelector(text);
    assert.ok(p.ok, `${text}: ${!p.ok && p.error.message}`);
    assert.equal(matchesCalico(p.selector, labels), expected, text);
  }
});

test('Calico selector errors name the bad token and its exact range', () => {
  const table: [string, string, number, number][] = [
    ["app = 'web'", 'unexpected "=": did you mean "=="?', 4, 5],
    ['app == web', 'expected a quoted value such as "web", found "web"', 7, 10],
    [
      "app == 'web' &&",
      'expected a label key, "has(", "all()", "!" or "(", found the end of the selector',
      14,
      15,
    ],
    ['has(app', 'expected ")", found the end of the selector', 6, 7],
    ["app in {'a' 'b'}", `expected "," or "}", found "'b'"`, 12, 15],
    ["app == 'web", "unterminated string: no closing '", 7, 11],
    [
      "app 'x'",
      `expected "==", "!=", "in", "not in", "contains", "starts with" or "ends with" after label "app", found "'x'"`,
      4,
      7,
    ],
    ["(app == 'x'", 'expected ")", found the end of the selector', 10, 11],
    ["app == 'x' tier", 'expected "&&", "||" or the end of the selector, found "tier"', 11, 15],
  ];
  for (const [text, message, start, end] of table) {
    const p = parseCalicoSelector(text);
    assert.equal(p.ok, false, text);
    if (!p.ok) assert.deepEqual(p.error, { message, start, end }, text);
  }
});

test('Calico selector parsing is linear and bounded on hostile input', () => {
  const deep = '('.repeat(5000) + "a == 'b'" + ')'.repeat(5000);
  const p = parseCalicoSelector(deep);
  assert.equal(p.ok, false);
  if (!p.ok) assert.match(p.error.message, /nests deeper than 128 levels/);
  const bangs = parseCalicoSelector('!'.repeat(100_000) + 'has(a)');
  assert.ok(bangs.ok);
  const long = parseCalicoSelector(Array.from({ length: 20_000 }, (_, i) => `k${i} == 'v'`).join(' && '));
  assert.ok(long.ok);
});

// ---------------------------------------------------------------------------------------------------
// Property: adding a Deny anywhere never allows more

const NSES = ['gryffindor', 'slytherin', 'ravenclaw'];
const peerArb = fc.oneof(
  fc.constantFrom(...NSES).map((h) => `    - namespaces:\n        matchLabels:\n          house: ${h}\n`),
  fc
    .constantFrom('server', 'client')
    .map(
      (role) =>
        `    - pods:\n        namespaceSelector: {}\n        podSelector:\n          matchLabels:\n            role: ${role}\n`,
    ),
);
const actionArb = fc.constantFrom('Accept', 'Deny', 'Pass');
const adminArb = fc.record({
  tier: fc.constantFrom('Admin', 'Baseline'),
  priority: fc.integer({ min: 0, max: 5 }),
  subject: fc.constantFrom(...NSES),
  ingress: fc.array(fc.tuple(actionArb, peerArb), { maxLength: 2 }),
  egress: fc.array(fc.tuple(actionArb, peerArb), { maxLength: 2 }),
});
const worldArb = fc.array(adminArb, { maxLength: 3 });

function render(
  list: {
    tier: string;
    priority: number;
    subject: string;
    ingress: [string, string][];
    egress: [string, string][];
  }[],
): string[] {
  return list.map((p, i) => {
    const action = (a: string) => (p.tier === 'Baseline' && a === 'Pass' ? 'Deny' : a);
    const ing = p.ingress.map(([a, peer]) => `  - action: ${action(a)}\n    from:\n${peer}`).join('');
    const eg = p.egress.map(([a, peer]) => `  - action: ${action(a)}\n    to:\n${peer}`).join('');
    return cnp(
      `p${i}`,
      p.tier as 'Admin',
      p.priority * 10 + i,
      `  subject:\n    namespaces:\n      matchLabels:\n        house: ${p.subject}\n${ing ? '  ingress:\n' + ing : ''}${eg ? '  egress:\n' + eg : ''}`,
    );
  });
}

test('property: adding a Deny rule anywhere never allows more (fixed seed)', () => {
  fc.assert(
    fc.property(
      worldArb,
      fc.nat(),
      fc.constantFrom('ingress', 'egress'),
      peerArb,
      fc.boolean(),
      (world, at, dir, peer, cilium) => {
        const before = render(world);
        // Insert a Deny rule as the first rule of one policy, or as a new top-priority policy.
        const withDeny = render(world);
        const denyRule = `  - action: Deny\n    ${dir === 'ingress' ? 'from' : 'to'}:\n${peer}`;
        if (world.length && at % 2 === 0) {
          const i = at % world.length;
          const text = withDeny[i];
          const key = `  ${dir}:\n`;
          withDeny[i] = text.includes(key) ? text.replace(key, key + denyRule) : text + key + denyRule;
        } else {
          withDeny.push(
            cnp('extra-deny', 'Admin', 1000, `  subject:\n    namespaces: {}\n  ${dir}:\n${denyRule}`),
          );
        }
        const extra = cilium ? [ALLOW_ALL_FROM_S_NP] : [];
        const a = reachMatrix(clusterOf(docs(WORLD, ...extra, ...before)), { port: 80 });
        const b = reachMatrix(clusterOf(docs(WORLD, ...extra, ...withDeny)), { port: 80 });
        for (let k = 0; k < a.cells.length; k++)
          if (b.cells[k].allowed)
            assert.ok(a.cells[k].allowed, `${a.cells[k].from} → ${a.cells[k].to} opened by a Deny`);
      },
    ),
    { seed: 20261206, numRuns: 60 },
  );
});

test('property: the matrix agrees with evaluateReach under admin tiers (fixed seed)', () => {
  fc.assert(
    fc.property(worldArb, fc.boolean(), (world, withNp) => {
      const cluster = clusterOf(docs(WORLD, ...(withNp ? [ALLOW_ALL_FROM_S_NP] : []), ...render(world)));
      const m = reachMatrix(cluster, { port: 80 });
      for (const cell of m.cells) {
        const r = evaluateReach(cluster, cell.from, cell.to, 80);
        assert.equal(cell.allowed, r.allowed, `${cell.from} → ${cell.to}`);
      }
    }),
    { seed: 20261207, numRuns: 40 },
  );
});

test('property: a Cilium deny or a Calico Deny rule added anywhere never allows more (fixed seed)', () => {
  const ciliumAllow = fc
    .record({
      ns: fc.constantFrom(...NSES),
      from: fc.constantFrom('server', 'client'),
      port: fc.constantFrom(80, 8080),
    })
    .map((a) =>
      cilium(
        `allow-${a.ns}-${a.from}-${a.port}`,
        a.ns,
        `  endpointSelector: {}\n  ingress:\n  - fromEndpoints:\n    - matchLabels:\n        k8s:io.kubernetes.pod.namespace: ${a.ns}\n        role: ${a.from}\n    toPorts:\n    - ports:\n      - port: "${a.port}"\n        protocol: TCP\n`,
      ),
    );
  const calicoPolicy = fc
    .record({
      ns: fc.constantFrom(...NSES),
      order: fc.integer({ min: 1, max: 3 }),
      action: fc.constantFrom('Allow', 'Deny', 'Pass', 'Log'),
      role: fc.constantFrom('server', 'client'),
    })
    .map((a) => ({
      ns: a.ns,
      order: a.order,
      rules: [
        `  - action: ${a.action}\n    source:\n      selector: role == '${a.role}'\n      namespaceSelector: all()\n`,
      ],
    }));
  const renderCalico = (ps: { ns: string; order: number; rules: string[] }[]) =>
    ps.map((p, i) =>
      calico(
        `c${i}`,
        p.ns,
        `  order: ${p.order * 100 + i}\n  selector: all()\n  types: [Ingress]\n  ingress:\n${p.rules.join('')}`,
      ),
    );
  fc.assert(
    fc.property(
      fc.array(ciliumAllow, { maxLength: 3 }),
      fc.array(calicoPolicy, { maxLength: 3 }),
      fc.nat(),
      fc.constantFrom('server', 'client'),
      fc.boolean(),
      (allows, calicos, at, role, useCilium) => {
        if (useCilium) {
          const before = docs(WORLD, ...allows);
          const deny = cilium(
            'deny',
            undefined,
            `  endpointSelector: {}\n  ingressDeny:\n  - fromEndpoints:\n    - matchLabels:\n        role: ${role}\n`,
          );
          const a = reachMatrix(clusterOf(before), { port: 80 });
          const b = reachMatrix(clusterOf(docs(before, deny)), { port: 80 });
          for (let k = 0; k < a.cells.length; k++)
            if (b.cells[k].allowed)
              assert.ok(a.cells[k].allowed, `${a.cells[k].from} → ${a.cells[k].to} opened by a Cilium deny`);
        } else {
          const withDeny = calicos.map((p) => ({ ...p, rules: [...p.rules] }));
          const denyRule = `  - action: Deny\n    source:\n      selector: role == '${role}'\n      namespaceSelector: all()\n`;
          if (withDeny.length && at % 2 === 0)
            withDeny[at % withDeny.length].rules.splice(at % 2, 0, denyRule);
          else withDeny.push({ ns: NSES[at % NSES.length], order: 2, rules: [denyRule] });
          const a = reachMatrix(clusterOf(docs(WORLD, ...renderCalico(calicos))), { port: 80 });
          const b = reachMatrix(clusterOf(docs(WORLD, ...renderCalico(withDeny))), { port: 80 });
          for (let k = 0; k < a.cells.length; k++)
            if (b.cells[k].allowed)
              assert.ok(a.cells[k].allowed, `${a.cells[k].from} → ${a.cells[k].to} opened by a Calico Deny`);
          // and the matrix still agrees with the explanation
          const cluster = clusterOf(docs(WORLD, ...renderCalico(withDeny)));
          for (const cell of b.cells)
            assert.equal(
              cell.allowed,
              evaluateReach(cluster, cell.from, cell.to, 80).allowed,
              `${cell.from} → ${cell.to}`,
            );
        }
      },
    ),
    { seed: 20261208, numRuns: 50 },
  );
});
