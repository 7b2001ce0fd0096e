// Invariants of the routing and reachability engine, checked on random manifests with fast-check.
// The manifests are written as YAML and read through the real model, like the CLI reads files.
// Seeds are fixed so a run is reproducible; on failure fast-check prints the seed and the shrunk case.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { evaluateReach } from '../server/src/engine/reach';
import { reachMatrix } from '../server/src/engine/reach-matrix';
import { resolveRoute } from '../server/src/engine/route';
import type { Cluster, Protocol } from '../server/src/engine/types';
import { clusterOf } from './support/cluster';

const SEED = 20261201;
const RUNS = 60;

// -------------------------------------------------------------------------------------------------
// Random NetworkPolicy worlds

const NAMESPACES = ['a', 'b', 'c'];
const APPS = ['web', 'api', 'db'];
const PORTS: [string, number, Protocol][] = [
  ['http', 8080, 'TCP'],
  ['metrics', 9100, 'TCP'],
  ['dns', 53, 'UDP'],
];
const IPS = ['10.0.1.1', '10.0.2.1', '192.168.0.5'];

type Obj = Record<string, unknown>;

const selectorArb: fc.Arbitrary<Obj> = fc.oneof(
  fc.constant({}),
  fc.constantFrom(...APPS).map((app) => ({ matchLabels: { app } })),
  fc
    .constantFrom(...APPS)
    .map((app) => ({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: [app] }] })),
);
const nsSelectorArb: fc.Arbitrary<Obj> = fc.oneof(
  fc.constant({}),
  fc.constantFrom('x', 'y').map((env) => ({ matchLabels: { env } })),
  fc.constantFrom(...NAMESPACES).map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })),
);
const peerArb: fc.Arbitrary<Obj> = fc.oneof(
  selectorArb.map((podSelector) => ({ podSelector })),
  nsSelectorArb.map((namespaceSelector) => ({ namespaceSelector })),
  fc
    .tuple(nsSelectorArb, selectorArb)
    .map(([namespaceSelector, podSelector]) => ({ namespaceSelector, podSelector })),
  fc.constantFrom(
    { ipBlock: { cidr: '10.0.0.0/16' } },
    { ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.2.0/24'] } },
    { ipBlock: { cidr: '0.0.0.0/0' } },
  ),
);
const portArb: fc.Arbitrary<Obj> = fc.oneof(
  fc.constantFrom(...PORTS).map(([, port, protocol]) => ({ port, protocol })),
  fc.constantFrom(...PORTS).map(([name, , protocol]) => ({ port: name, protocol })),
  fc.constant({ port: 8000, endPort: 9200 }),
  fc.constant({ protocol: 'UDP' }),
);
const ruleArb = (peersKey: 'from' | 'to'): fc.Arbitrary<Obj> =>
  fc
    .record({
      peers: fc.option(fc.array(peerArb, { maxLength: 2 }), { nil: undefined }),
      ports: fc.option(fc.array(portArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    })
    .map((r) => {
      const o: Obj = {};
      if (r.peers !== undefined) o[peersKey] = r.peers;
      if (r.ports !== undefined) o.ports = r.ports;
      return o;
    });

interface PolicySpec {
  namespace: string;
  podSelector: Obj;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: Obj[];
  egress?: Obj[];
}

const policyArb: fc.Arbitrary<PolicySpec> = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: selectorArb,
  policyTypes: fc.option(
    fc.constantFrom<('Ingress' | 'Egress')[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
    { nil: undefined },
  ),
  ingress: fc.option(fc.array(ruleArb('from'), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(ruleArb('to'), { maxLength: 2 }), { nil: undefined }),
});

interface PodSpec {
  namespace: string;
  app: string;
  ports: [string, number, Protocol][];
  ip?: string;
}

const podArb: fc.Arbitrary<PodSpec> = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  app: fc.constantFrom(...APPS),
  ports: fc.subarray(PORTS),
  ip: fc.option(fc.constantFrom(...IPS), { nil: undefined }),
});

interface World {
  envs: string[];
  pods: PodSpec[];
  policies: PolicySpec[];
}

const worldArb: fc.Arbitrary<World> = fc.record({
  envs: fc.tuple(...NAMESPACES.map(() => fc.constantFrom('x', 'y'))),
  pods: fc.array(podArb, { minLength: 2, maxLength: 5 }),
  policies: fc.array(policyArb, { maxLength: 4 }),
});

/** One YAML document per resource; pods are named p0, p1, ... and carry a `name` label. */
function worldDocs(w: World): string[] {
  const out: string[] = [];
  NAMESPACES.forEach((n, i) =>
    out.push(
      stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n, labels: { env: w.envs[i] } } }),
    ),
  );
  w.pods.forEach((p, i) => {
    const usedIp = p.ip && w.pods.findIndex((q) => q.ip === p.ip) === i ? p.ip : undefined; // pod IPs are unique
    out.push(
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${i}`, namespace: p.namespace, labels: { app: p.app, name: `p${i}` } },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'busybox',
              ports: p.ports.map(([name, containerPort, protocol]) => ({ name, containerPort, protocol })),
            },
          ],
        },
        ...(usedIp ? { status: { podIPs: [{ ip: usedIp }] } } : {}),
      }),
    );
  });
  w.policies.forEach((p, i) => out.push(stringify(policyDoc(`np${i}`, p))));
  return out;
}

function policyDoc(name: string, p: PolicySpec): Obj {
  const spec: Obj = { podSelector: p.podSelector };
  if (p.policyTypes) spec.policyTypes = p.policyTypes;
  if (p.ingress) spec.ingress = p.ingress;
  if (p.egress) spec.egress = p.egress;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: p.namespace },
    spec,
  };
}

function clusterFromDocs(docs: string[]): Cluster {
  return clusterOf({ 'world.yaml': docs.join('---\n') });
}

const CHECKS: [number | string, Protocol][] = [
  [8080, 'TCP'],
  ['http', 'TCP'],
  [9100, 'TCP'],
  [53, 'UDP'],
];

/** Every verdict of a world: the matrix on a few ports, and from/to an outside address. */
function verdicts(c: Cluster): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [port, protocol] of CHECKS) {
    const m = reachMatrix(c, { port, protocol });
    for (const cell of m.cells) out.set(`${cell.from}→${cell.to} ${port}/${protocol}`, cell.allowed);
    for (const w of m.workloads) {
      if (typeof port === 'number')
        out.set(
          `${w.name}→10.0.1.9 ${port}/${protocol}`,
          evaluateReach(c, w.name, '10.0.1.9', port, protocol).allowed,
        );
      out.set(
        `10.0.1.9→${w.name} ${port}/${protocol}`,
        evaluateReach(c, '10.0.1.9', w.name, port, protocol).allowed,
      );
    }
  }
  return out;
}

/** The directions a rule can be added to without changing which pods the policy isolates. */
function openDirections(p: PolicySpec): ('ingress' | 'egress')[] {
  const dirs: ('ingress' | 'egress')[] = [];
  const explicit = p.policyTypes && p.policyTypes.length > 0;
  const types = explicit ? p.policyTypes! : (p.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  if (types.includes('Ingress')) dirs.push('ingress');
  if (types.includes('Egress')) dirs.push('egress');
  return dirs;
}

test('property: adding an allow rule to a policy never turns an allowed connection into a denied one', () => {
  const arb = worldArb
    .filter((w) => w.policies.length > 0)
    .chain((w) =>
      fc.record({
        world: fc.constant(w),
        which: fc.nat({ max: w.policies.length - 1 }),
        pick: fc.nat({ max: 1 }),
        ingressRule: ruleArb('from'),
        egressRule: ruleArb('to'),
      }),
    );
  fc.assert(
    fc.property(arb, ({ world, which, pick, ingressRule, egressRule }) => {
      const before = verdicts(clusterFromDocs(worldDocs(world)));
      const target = world.policies[which];
      const dirs = openDirections(target);
      const dir = dirs[pick % dirs.length];
      const changed: PolicySpec =
        dir === 'ingress'
          ? { ...target, ingress: [...(target.ingress ?? []), ingressRule] }
          : { ...target, egress: [...(target.egress ?? []), egressRule] };
      const policies = world.policies.map((p, i) => (i === which ? changed : p));
      const after = verdicts(clusterFromDocs(worldDocs({ ...world, policies })));
      for (const [k, v] of before)
        if (v)
          assert.equal(
            after.get(k),
            true,
            `${k} was allowed, denied after adding a ${dir} rule to np${which}`,
          );
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('property: verdicts and explanations do not depend on document or file order', () => {
  const arb = worldArb.chain((w) => {
    const n = worldDocs(w).length;
    return fc.record({
      world: fc.constant(w),
      order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      files: fc.integer({ min: 1, max: 3 }),
    });
  });
  fc.assert(
    fc.property(arb, ({ world, order, files }) => {
      const docs = worldDocs(world);
      const a = clusterFromDocs(docs);
      const shuffled = order.map((i) => docs[i]);
      const split: Record<string, string> = {};
      shuffled.forEach((d, i) => {
        const f = `f${(i * 7) % files}.yaml`;
        split[f] = split[f] ? `${split[f]}---\n${d}` : d;
      });
      const b = clusterOf(Object.fromEntries(Object.entries(split).reverse()));
      for (const [port, protocol] of CHECKS) {
        assert.deepEqual(reachMatrix(b, { port, protocol }), reachMatrix(a, { port, protocol }));
      }
      const names = reachMatrix(a, { port: 8080 }).workloads.map((w) => w.name);
      const explain = (c: Cluster, from: string, to: string) =>
        evaluateReach(c, from, to, 'http').reasons.map((r) => [
          r.side,
          r.kind,
          r.policy,
          r.rule,
          r.message,
          r.details ?? [],
        ]);
      for (const from of names)
        for (const to of names) if (from !== to) assert.deepEqual(explain(b, from, to), explain(a, from, to));
    }),
    { seed: SEED + 1, numRuns: RUNS },
  );
});

test('property: a policy selecting a pod with an empty rule list for a type isolates it for that type', () => {
  const arb = worldArb.chain((w) =>
    fc.record({
      world: fc.constant(w),
      target: fc.nat({ max: w.pods.length - 1 }),
      type: fc.constantFrom<'Ingress' | 'Egress'>('Ingress', 'Egress'),
      emptyList: fc.boolean(),
    }),
  );
  fc.assert(
    fc.property(arb, ({ world, target, type, emptyList }) => {
      const pod = world.pods[target];
      const name = `${pod.namespace}/p${target}`;
      const before = clusterFromDocs(worldDocs(world));
      const spec: Obj = { podSelector: { matchLabels: { name: `p${target}` } }, policyTypes: [type] };
      if (emptyList) spec[type === 'Ingress' ? 'ingress' : 'egress'] = []; // written as [] or left out: the same
      const isolating = stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'isolate', namespace: pod.namespace },
        spec,
      });
      const after = clusterFromDocs([...worldDocs(world), isolating]);
      const others = reachMatrix(after, { port: 8080 })
        .workloads.map((w) => w.name)
        .filter((n) => n !== name);
      for (const other of [...others, '10.0.1.9']) {
        const [from, to] = type === 'Ingress' ? [other, name] : [name, other];
        const r = evaluateReach(after, from, to, 8080);
        const side = type === 'Ingress' ? r.ingress : r.egress;
        assert.equal(side.isolated, true, `${name} isolated for ${type}`);
        assert.ok(side.policies.some((p) => p.name === `${pod.namespace}/isolate`));
        const was = evaluateReach(before, from, to, 8080);
        const wasSide = type === 'Ingress' ? was.ingress : was.egress;
        // Already isolated: an empty rule list adds nothing to the union. Not isolated before: now nothing is allowed.
        assert.equal(side.allowed, wasSide.isolated ? wasSide.allowed : false, `${from} → ${to}`);
        if (!side.allowed)
          assert.ok(
            r.reasons.some((x) => x.policy === `${pod.namespace}/isolate` && x.kind === 'no-rule-allows'),
          );
      }
    }),
    { seed: SEED + 2, numRuns: RUNS },
  );
});

// -------------------------------------------------------------------------------------------------
// Routes

const HOSTS = ['shop.test', '*.shop.test', undefined];
const PATHS = ['/', '/api', '/api/v1', '/static/', '/login'];

interface IngressSpec {
  namespace: string;
  rules: { host?: string; paths: { path: string; pathType: string; service: string }[] }[];
  defaultBackend?: string;
}

const ingressArb: fc.Arbitrary<IngressSpec> = fc.record({
  namespace: fc.constantFrom('a', 'b'),
  rules: fc.array(
    fc.record({
      host: fc.constantFrom(...HOSTS),
      paths: fc.array(
        fc.record({
          path: fc.constantFrom(...PATHS),
          pathType: fc.constantFrom('Exact', 'Prefix', 'ImplementationSpecific'),
          service: fc.constantFrom('s1', 's2', 's3'),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    { maxLength: 3 },
  ),
  defaultBackend: fc.option(fc.constantFrom('s1', 'fallback'), { nil: undefined }),
});

function ingressDoc(name: string, s: IngressSpec): string {
  const spec: Obj = {};
  if (s.defaultBackend) spec.defaultBackend = { service: { name: s.defaultBackend, port: { number: 80 } } };
  if (s.rules.length || !s.defaultBackend)
    spec.rules = s.rules.map((r) => ({
      ...(r.host ? { host: r.host } : {}),
      http: {
        paths: r.paths.map((p) => ({
          path: p.path,
          pathType: p.pathType,
          backend: { service: { name: p.service, port: { number: 80 } } },
        })),
      },
    }));
  return stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: s.namespace },
    spec,
  });
}

/** A route result without source positions (they move with the order of the text). */
function routeView(c: Cluster, url: string) {
  const r = resolveRoute(c, url);
  return JSON.parse(JSON.stringify(r, (k, v) => (k === 'source' || k.endsWith('Source') ? undefined : v)));
}

test('property: the route chosen, its conflicts and its explanation do not depend on document or file order', () => {
  const arb = fc.array(ingressArb, { minLength: 1, maxLength: 4 }).chain((ings) =>
    fc.record({
      ings: fc.constant(ings),
      order: fc.shuffledSubarray([...ings.keys()], { minLength: ings.length, maxLength: ings.length }),
    }),
  );
  const urls = [
    'http://shop.test/api/v1/x',
    'http://shop.test/api',
    'http://a.shop.test/static',
    'http://other.test/login',
    'http://shop.test/nothing',
  ];
  fc.assert(
    fc.property(arb, ({ ings, order }) => {
      const docs = ings.map((s, i) => ingressDoc(`ing${i}`, s));
      const a = clusterOf({ 'one.yaml': docs.join('---\n') });
      const b = clusterOf(Object.fromEntries(order.map((i, k) => [`f${k}.yaml`, docs[i]])));
      for (const url of urls) assert.deepEqual(routeView(b, url), routeView(a, url), url);
    }),
    { seed: SEED + 3, numRuns: RUNS * 2 },
  );
});

// -------------------------------------------------------------------------------------------------
// Robustness

/** Any YAML value: scalars of every type, lists, maps with the field names the model looks for. */
const junkArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      null,
      true,
      0,
      -1,
      80,
      70000,
      '',
      'http',
      '10.0.0.0/8',
      '*.x.test',
      '/',
      'a/b',
      'TCP',
      'UDP',
      'Exact',
      'Prefix',
    ),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'ingress',
        'egress',
        'policyTypes',
        'rules',
        'defaultBackend',
        'tls',
        'hosts',
        'secretName',
        'selector',
        'containers',
        'containerPort',
        'targetPort',
        'ingressClassName',
        'podSelector',
        'namespaceSelector',
        'matchLabels',
        'matchExpressions',
        'ipBlock',
        'cidr',
        'except',
        'ports',
        'port',
        'endPort',
        'protocol',
        'from',
        'to',
        'host',
        'http',
        'paths',
        'path',
        'pathType',
        'backend',
        'service',
        'name',
        'number',
        'app',
        'key',
        'operator',
        'values',
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

/** Specs of the right overall shape whose leaves are anything; or anything at all. */
const maybe = (shaped: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: junkArb });
const specArb = (kind: string): fc.Arbitrary<unknown> => {
  if (kind === 'NetworkPolicy') {
    const rule = (peers: string) =>
      maybe(
        fc.record(
          {
            [peers]: maybe(
              fc.array(
                maybe(
                  fc.record(
                    {
                      podSelector: junkArb,
                      namespaceSelector: junkArb,
                      ipBlock: maybe(fc.record({ cidr: junkArb, except: junkArb })),
                    },
                    { requiredKeys: [] },
                  ),
                ),
                { maxLength: 2 },
              ),
            ),
            ports: maybe(
              fc.array(
                maybe(
                  fc.record({ port: junkArb, endPort: junkArb, protocol: junkArb }, { requiredKeys: [] }),
                ),
                { maxLength: 2 },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
      );
    return fc.record(
      {
        podSelector: junkArb,
        policyTypes: junkArb,
        ingress: maybe(fc.array(rule('from'), { maxLength: 2 })),
        egress: maybe(fc.array(rule('to'), { maxLength: 2 })),
      },
      { requiredKeys: [] },
    );
  }
  if (kind === 'Ingress') {
    const path = maybe(
      fc.record(
        {
          path: junkArb,
          pathType: junkArb,
          backend: maybe(
            fc.record(
              {
                service: maybe(
                  fc.record(
                    {
                      name: junkArb,
                      port: maybe(fc.record({ number: junkArb, name: junkArb }, { requiredKeys: [] })),
                    },
                    { requiredKeys: [] },
                  ),
                ),
                resource: junkArb,
              },
              { requiredKeys: [] },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    );
    const rule = maybe(
      fc.record(
        { host: junkArb, http: maybe(fc.record({ paths: maybe(fc.array(path, { maxLength: 2 })) })) },
        { requiredKeys: [] },
      ),
    );
    return fc.record(
      {
        ingressClassName: junkArb,
        defaultBackend: junkArb,
        tls: junkArb,
        rules: maybe(fc.array(rule, { minLength: 1, maxLength: 2 })),
      },
      { requiredKeys: [] },
    );
  }
  if (kind === 'Service')
    return fc.record(
      {
        selector: junkArb,
        ports: maybe(
          fc.array(
            maybe(
              fc.record(
                { port: junkArb, targetPort: junkArb, protocol: junkArb, name: junkArb },
                { requiredKeys: [] },
              ),
            ),
            { maxLength: 2 },
          ),
        ),
      },
      { requiredKeys: [] },
    );
  return fc.record(
    {
      containers: maybe(
        fc.array(
          maybe(
            fc.record(
              {
                name: junkArb,
                ports: maybe(
                  fc.array(
                    maybe(
                      fc.record(
                        { containerPort: junkArb, name: junkArb, protocol: junkArb },
                        { requiredKeys: [] },
                      ),
                    ),
                    { maxLength: 2 },
                  ),
                ),
              },
              { requiredKeys: [] },
            ),
          ),
          { maxLength: 2 },
        ),
      ),
    },
    { requiredKeys: [] },
  );
};

test('property: malformed manifests never make the engine throw', () => {
  let rulesSeen = 0; // the generator must reach the engine's inputs, or the property proves nothing
  fc.assert(
    fc.property(
      fc.array(
        fc
          .constantFrom('NetworkPolicy', 'Ingress', 'Pod', 'Service', 'Namespace', 'Deployment')
          .chain((kind) => fc.tuple(fc.constant(kind), specArb(kind), junkArb)),
        { minLength: 1, maxLength: 5 },
      ),
      (items) => {
        const docs = items.map(([kind, spec, labels], i) =>
          stringify({
            apiVersion:
              kind === 'NetworkPolicy' || kind === 'Ingress'
                ? 'networking.k8s.io/v1'
                : kind === 'Deployment'
                  ? 'apps/v1'
                  : 'v1',
            kind,
            metadata: { name: `r${i}`, namespace: 'a', labels },
            spec: kind === 'Deployment' ? { template: { metadata: { labels }, spec } } : spec,
          }),
        );
        const c = clusterFromDocs([
          ...docs,
          stringify({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'fixed', namespace: 'a' },
            spec: { containers: [{ name: 'c', image: 'x' }] },
          }),
        ]);
        rulesSeen +=
          c.policies.reduce((n, p) => n + p.ingress.length + p.egress.length, 0) +
          c.ingresses.reduce((n, i) => n + i.rules.length, 0);
        for (const [port, protocol] of CHECKS) {
          const m = reachMatrix(c, { port, protocol });
          for (const cell of m.cells.slice(0, 6)) evaluateReach(c, cell.from, cell.to, port, protocol);
          evaluateReach(c, '10.0.0.1', 'a/fixed', port, protocol);
        }
        for (const url of ['http://x.test/', 'http://a.x.test/a/b', 'http://10.0.0.1/']) {
          for (const mode of ['prefix', 'exact', 'regex'] as const)
            resolveRoute(c, url, { implementationSpecific: mode });
        }
      },
    ),
    { seed: SEED + 4, numRuns: RUNS * 2 },
  );
  assert.ok(rulesSeen > 20, `only ${rulesSeen} policy or Ingress rules were generated`);
});
