// ListenerSets and listener conflicts (engine/gateway/conflicts.ts, graph.ts): the merged listener list
// of a Gateway and the ListenerSets its allowedListeners admits, precedence (Gateway, then ListenerSets
// oldest first, then namespace/name), Conflicted conditions, ListenerSet Accepted/Programmed, the
// Gateway's attachedListenerSets, and what routes and requests see. Cases follow the conformance tests
// listenerset-hostname-conflict, listenerset-protocol-conflict, listenerset-allowed-namespace-*,
// listenerset-default-not-allowed and listenerset-gateway-parent-section-name-not-found.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, docs } from './support/cluster';
import { gatewayGraph } from '../server/src/engine/gateway/graph';
import { resolveGatewayRoute } from '../server/src/engine/gateway/resolve';
import { conflictBetween } from '../server/src/engine/gateway/conflicts';
import type { ListenerInfo } from '../server/src/engine/gateway/types';

const NS = 'infra';

interface L {
  name: string;
  port?: number;
  protocol?: string;
  hostname?: string;
}

function listeners(ls: L[]): string {
  return ls
    .map(
      (l) =>
        `  - name: ${l.name}\n    port: ${l.port ?? 80}\n    protocol: ${l.protocol ?? 'HTTP'}\n${l.hostname ? `    hostname: "${l.hostname}"\n` : ''}    allowedRoutes:\n      namespaces:\n        from: All\n`,
    )
    .join('');
}

function gateway(name: string, ls: L[], allowed = 'Same'): string {
  return `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${NS}\nspec:\n  gatewayClassName: example\n${allowed ? `  allowedListeners:\n    namespaces:\n      from: ${allowed}\n` : ''}  listeners:\n${listeners(ls)}`;
}

function listenerSet(
  name: string,
  parent: string,
  ls: L[],
  opts: { ns?: string; created?: string } = {},
): string {
  return `apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata:\n  name: ${name}\n  namespace: ${opts.ns ?? NS}\n${opts.created ? `  creationTimestamp: "${opts.created}"\n` : ''}spec:\n  parentRef:\n    name: ${parent}\n    namespace: ${NS}\n  listeners:\n${listeners(ls)}`;
}

function httpRoute(
  name: string,
  parent: { name: string; kind?: string; sectionName?: string },
  path: string,
  backend: string,
): string {
  return `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: ${name}\n  namespace: ${NS}\nspec:\n  parentRefs:\n  - name: ${parent.name}\n${parent.kind ? `    kind: ${parent.kind}\n` : ''}${parent.sectionName ? `    sectionName: ${parent.sectionName}\n` : ''}  rules:\n  - matches:\n    - path: {type: PathPrefix, value: ${path}}\n    backendRefs:\n    - {name: ${backend}, port: 8080}\n`;
}

const SVC = (name: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${NS}\nspec:\n  selector: {app: ${name}}\n  ports:\n  - port: 8080\n`;

/** "owner/listener" → "Accepted/Programmed/Conflicted" reasons, for every listener of every Gateway. */
function listenerTable(yaml: string): Record<string, string> {
  const g = gatewayGraph(clusterOf(yaml));
  const out: Record<string, string> = {};
  for (const gs of g.gateways) {
    for (const l of gs.listeners) {
      const c = Object.fromEntries(l.conditions.map((x) => [x.type, x]));
      out[`${l.ref.listenerSet?.id.name ?? gs.gateway.id.name}/${l.ref.listener.name}`] =
        `${c.Accepted.status}:${c.Accepted.reason} ${c.Programmed.status}:${c.Programmed.reason} ${c.Conflicted.status}:${c.Conflicted.reason}`;
    }
  }
  return out;
}

function setTable(yaml: string): Record<string, string> {
  const g = gatewayGraph(clusterOf(yaml));
  return Object.fromEntries(
    g.listenerSets.map((s) => [
      s.listenerSet.id.name,
      s.conditions.map((c) => `${c.type}=${c.status}:${c.reason}`).join(' '),
    ]),
  );
}

const OK = 'True:Accepted True:Programmed False:NoConflicts';
const HOST = 'False:HostnameConflict False:HostnameConflict True:HostnameConflict';
const PROTO = 'False:ProtocolConflict False:ProtocolConflict True:ProtocolConflict';

describe('listener conflicts across a Gateway and its ListenerSets', () => {
  test('hostname conflict (listenerset-hostname-conflict): the Gateway wins, then the older / first-named ListenerSet', () => {
    const yaml = docs(
      gateway('gw', [
        { name: 'gateway-listener', hostname: 'gateway-listener.com' },
        { name: 'conflict-gw', hostname: 'conflict-gw.com' },
      ]),
      listenerSet('ls-gw-1', 'gw', [
        { name: 'ls1', hostname: 'ls1.com' },
        { name: 'conflict-gw', hostname: 'conflict-gw.com' },
        { name: 'conflict-ls', hostname: 'conflict-ls.com' },
      ]),
      listenerSet('ls-gw-2', 'gw', [{ name: 'conflict-gw', hostname: 'conflict-gw.com' }]),
      listenerSet('ls-ls-1', 'gw', [
        { name: 'ls2', hostname: 'ls2.com' },
        { name: 'conflict-ls', hostname: 'conflict-ls.com' },
      ]),
      listenerSet('ls-ls-2', 'gw', [{ name: 'conflict-ls', hostname: 'conflict-ls.com' }]),
    );
    assert.deepEqual(listenerTable(yaml), {
      'gw/gateway-listener': OK,
      'gw/conflict-gw': OK,
      'ls-gw-1/ls1': OK,
      'ls-gw-1/conflict-gw': HOST,
      'ls-gw-1/conflict-ls': OK,
      'ls-gw-2/conflict-gw': HOST,
      'ls-ls-1/ls2': OK,
      'ls-ls-1/conflict-ls': HOST,
      'ls-ls-2/conflict-ls': HOST,
    });
    assert.deepEqual(setTable(yaml), {
      'ls-gw-1': 'Accepted=True:ListenersNotValid Programmed=True:Programmed',
      'ls-gw-2': 'Accepted=False:ListenersNotValid Programmed=False:ListenersNotValid',
      'ls-ls-1': 'Accepted=True:ListenersNotValid Programmed=True:Programmed',
      'ls-ls-2': 'Accepted=False:ListenersNotValid Programmed=False:ListenersNotValid',
    });
    assert.equal(gatewayGraph(clusterOf(yaml)).gateways[0].attachedListenerSets, 2);
  });

  test('protocol conflict (listenerset-protocol-conflict): a TCP listener on an HTTP port loses; the HTTP listeners beside it in its set stay', () => {
    const yaml = docs(
      gateway('gw', [
        { name: 'gateway-listener', hostname: 'gateway-listener.com' },
        { name: 'pc-gw', hostname: 'pc-gw.com' },
      ]),
      listenerSet('ls-gw-1', 'gw', [
        { name: 'ls1', hostname: 'ls1.com' },
        { name: 'pc-gw', protocol: 'TCP' },
        { name: 'pc-ls', hostname: 'pc-ls.com' },
      ]),
      listenerSet('ls-gw-2', 'gw', [{ name: 'pc-gw', protocol: 'TCP' }]),
    );
    assert.deepEqual(listenerTable(yaml), {
      'gw/gateway-listener': OK,
      'gw/pc-gw': OK,
      'ls-gw-1/ls1': OK,
      'ls-gw-1/pc-gw': PROTO,
      'ls-gw-1/pc-ls': OK,
      'ls-gw-2/pc-gw': PROTO,
    });
    assert.equal(gatewayGraph(clusterOf(yaml)).gateways[0].attachedListenerSets, 1);
  });

  test('ListenerSet precedence: the oldest creationTimestamp first, a name only breaks a tie', () => {
    const yaml = docs(
      gateway('gw', [{ name: 'base', hostname: 'base.com' }]),
      listenerSet('aaa-newer', 'gw', [{ name: 'x', hostname: 'x.com' }], { created: '2026-05-01T00:00:00Z' }),
      listenerSet('zzz-older', 'gw', [{ name: 'x', hostname: 'x.com' }], { created: '2026-01-01T00:00:00Z' }),
    );
    const t = listenerTable(yaml);
    assert.equal(t['zzz-older/x'], OK);
    assert.equal(t['aaa-newer/x'], HOST);
  });

  test('within one Gateway no listener wins: TCP and HTTP on one port are both conflicted; UDP on it is distinct', () => {
    const t = listenerTable(
      gateway(
        'gw',
        [
          { name: 'web', hostname: 'web.com' },
          { name: 'raw', protocol: 'TCP' },
          { name: 'dns', protocol: 'UDP' },
        ],
        '',
      ),
    );
    assert.deepEqual(t, { 'gw/web': PROTO, 'gw/raw': PROTO, 'gw/dns': OK });
  });

  test('which protocols may share a port', () => {
    const l = (protocol: string, hostname?: string, port = 443): ListenerInfo => ({
      name: protocol,
      protocol,
      hostname,
      port,
      allowedRoutes: { from: 'Same' },
    });
    assert.equal(
      conflictBetween(l('HTTPS', 'a.com'), l('TLS', 'b.com')),
      undefined,
      'HTTPS and TLS are both told apart by SNI',
    );
    assert.equal(conflictBetween(l('HTTPS', 'a.com'), l('TLS', 'a.com')), 'HostnameConflict');
    assert.equal(conflictBetween(l('HTTP', 'a.com'), l('HTTPS', 'b.com')), 'ProtocolConflict');
    assert.equal(conflictBetween(l('TCP'), l('UDP')), undefined);
    assert.equal(conflictBetween(l('TCP'), l('TCP')), 'HostnameConflict');
    assert.equal(conflictBetween(l('HTTP', 'a.com'), l('HTTP', 'a.com', 80)), undefined, 'another port');
    assert.equal(
      conflictBetween(l('HTTP'), l('HTTP', '*.a.com')),
      undefined,
      'a listener without hostname and a wildcard are distinct',
    );
  });
});

describe('ListenerSet attachment (allowedListeners)', () => {
  test('the default None and Same refuse ListenerSets of other namespaces (NotAllowed); a missing Gateway is ParentNotAccepted', () => {
    const yaml = docs(
      gateway('closed', [{ name: 'http' }], ''),
      gateway('same', [{ name: 'http' }], 'Same'),
      listenerSet('to-closed', 'closed', [{ name: 'a', hostname: 'a.com' }]),
      listenerSet('same-ns', 'same', [{ name: 'a', hostname: 'a.com' }]),
      listenerSet('other-ns', 'same', [{ name: 'a', hostname: 'a.com' }], { ns: 'team' }),
      listenerSet('orphan', 'nowhere', [{ name: 'a', hostname: 'a.com' }]),
    );
    const sets = setTable(yaml);
    assert.equal(sets['to-closed'], 'Accepted=False:NotAllowed Programmed=False:NotAllowed');
    assert.equal(sets['same-ns'], 'Accepted=True:Accepted Programmed=True:Programmed');
    assert.equal(sets['other-ns'], 'Accepted=False:NotAllowed Programmed=False:NotAllowed');
    assert.equal(sets.orphan, 'Accepted=False:ParentNotAccepted Programmed=False:ParentNotAccepted');
    const g = gatewayGraph(clusterOf(yaml));
    assert.deepEqual(
      g.gateways.map((x) => [x.gateway.id.name, x.attachedListenerSets]),
      [
        ['closed', 0],
        ['same', 1],
      ],
    );
  });
});

describe('routes and requests on ListenerSet listeners', () => {
  const yaml = docs(
    gateway('gw', [{ name: 'gw-listener', hostname: 'gw.com' }]),
    listenerSet('ls', 'gw', [
      { name: 'ls-listener', hostname: 'ls.com' },
      { name: 'dup', hostname: 'gw.com' },
    ]),
    httpRoute('via-ls', { name: 'ls', kind: 'ListenerSet', sectionName: 'ls-listener' }, '/good', 'v1'),
    httpRoute('via-gw-section', { name: 'gw', sectionName: 'ls-listener' }, '/bad', 'v2'),
    httpRoute('on-conflicted', { name: 'ls', kind: 'ListenerSet', sectionName: 'dup' }, '/dup', 'v3'),
    SVC('v1'),
    SVC('v2'),
    SVC('v3'),
  );
  const c = clusterOf(yaml);
  const g = gatewayGraph(c);
  const parent = (name: string) => g.routes.find((r) => r.route.id.name === name)!.parents[0];

  test('a route attaches to a ListenerSet listener through a ListenerSet parentRef, not through the Gateway (listenerset-gateway-parent-section-name-not-found)', () => {
    assert.equal(parent('via-ls').accepted, true);
    assert.equal(parent('via-gw-section').reason, 'NoMatchingParent');
    assert.equal(
      resolveGatewayRoute(c, 'http://ls.com/good', { gateway: `${NS}/gw` }).match?.backend?.service,
      'v1',
    );
    assert.match(resolveGatewayRoute(c, 'http://gw.com/bad', { gateway: `${NS}/gw` }).reason ?? '', /^404: /);
  });

  test('a route naming a conflicted listener is not attached, and the request goes to the listener that kept the hostname', () => {
    const p = parent('on-conflicted');
    assert.equal(p.accepted, false);
    assert.equal(p.reason, 'NoMatchingParent');
    assert.match(
      p.message,
      /listener "dup" .* of ListenerSet infra\/ls has the same port, protocol family and hostname as listener "gw-listener" .* of Gateway infra\/gw: the earlier listener keeps the port/,
    );
    const r = resolveGatewayRoute(c, 'http://gw.com/dup', { gateway: `${NS}/gw` });
    assert.equal(r.listener, 'gw-listener');
    assert.equal(r.match, null);
    assert.ok(
      r.notes.some((n) => /listener "dup" .* serves nothing$/.test(n)),
      r.notes.join('\n'),
    );
  });
});
