// ingress-nginx custom-headers names a ConfigMap ("namespace/name") whose entries the controller adds to
// every response of the Ingress's locations. While it loads the Ingress, ingress-nginx checks each entry
// (internal/ingress/annotations/customheaders): a header name outside [a-zA-Z0-9-_], a value outside its
// character set, or (since 1.12) a name that global-allowed-response-headers of the controller's own
// ConfigMap does not list (empty by default) denies every location of the Ingress: its paths answer 503.
// - error: an entry the controller refuses, when the workspace holds the ConfigMap (and, for the
//   allow-list, the controller ConfigMap);
// - warning / information: the ConfigMap is not in the workspace (warning when its namespace has other
//   ConfigMaps there), or no controller ConfigMap is there to check the allow-list against.

import {
  decideController,
  GLOBAL_ALLOWED_RESPONSE_HEADERS,
  NGINX_HEADER_NAME,
  nginxControllerConfig,
} from '../engine/controller';
import { NGINX_PREFIX } from '../engine/annotations/index';
import { buildCluster } from '../model/cluster';
import { controllerInput } from '../model/ingress';
import type { Resource } from '../model/resource';
import { asMap, asScalar, getValue } from '../syntax/ast';
import type { ResourceIndex } from '../workspace/index';
import { annotationPair } from './annotation-pairs';
import type { Rule } from './types';

const KEY = `${NGINX_PREFIX}custom-headers`;
const VALUE = /^[a-zA-Z\d_ :;.,\\/"'?!(){}[\]@<>=\-+*#$&`|~^%]+$/;

/** The string entries of a ConfigMap's data. */
function dataOf(r: Resource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of asMap(getValue(r.node, 'data'))?.pairs ?? []) {
    const v = asScalar(p.value);
    if (p.keyText !== undefined && v)
      out[p.keyText] = typeof v.value === 'string' ? v.value : String(v.value);
  }
  return out;
}

function controllerConfig(index: ResourceIndex) {
  return index.memoKinds(['ConfigMap'], 'nginx-controller-config', () =>
    nginxControllerConfig(
      index.ofKind('ConfigMap').map((c) => ({
        namespace: index.namespaceOf(c.resource),
        name: c.resource.name ?? '',
        data: dataOf(c.resource),
      })),
    ),
  );
}

export const rule: Rule = {
  id: 'ingress-nginx-custom-headers',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['Ingress'],
  description:
    "ingress-nginx custom-headers names a ConfigMap with an entry the controller refuses: a header name or value outside its character set, or (ingress-nginx 1.12+) a header the controller ConfigMap's global-allowed-response-headers does not list. The controller then denies every location of the Ingress (503). Information when the workspace lacks the ConfigMap or the controller ConfigMap to check against.",
  check(ctx) {
    const r = ctx.resource;
    const anchor = annotationPair(r, KEY);
    if (!anchor?.value) return;
    const input = controllerInput(r, ctx.index.namespaceOf(r));
    if (decideController(input, buildCluster(ctx.index).ingressClasses).kind !== 'ingress-nginx') return;
    const span = anchor.valueNode ?? anchor.keyNode;
    const value = anchor.value.trim();
    const m = /^([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9.]*)$/.exec(value);
    if (!m) return; // ingress-annotation-value reports a value that is not namespace/name
    const found = ctx.index.find('ConfigMap', m[1], m[2])[0];
    if (!found) {
      const others = ctx.index.ofKind('ConfigMap', m[1]).length > 0;
      ctx.report(
        span,
        `ConfigMap ${value} is not in the workspace${others ? `, which defines other ConfigMaps in namespace ${m[1]}` : ''}: ingress-nginx denies every location of this Ingress (503) when it does not exist`,
        { severity: others ? 'warning' : 'information' },
      );
      return;
    }
    const headers = Object.entries(dataOf(found.resource));
    const badName = headers.find(([k]) => !NGINX_HEADER_NAME.test(k));
    if (badName) {
      ctx.report(
        span,
        `ConfigMap ${value} holds "${badName[0]}", which ingress-nginx refuses as a header name (letters, digits, "-" and "_" only): it denies every location of this Ingress, whose paths answer 503`,
      );
      return;
    }
    const badValue = headers.find(([, v]) => !VALUE.test(v));
    if (badValue) {
      ctx.report(
        span,
        `ConfigMap ${value} gives header ${badValue[0]} a value ingress-nginx refuses (empty, or a character outside its set): it denies every location of this Ingress, whose paths answer 503`,
      );
      return;
    }
    if (headers.length === 0) return;
    const cfg = controllerConfig(ctx.index);
    if (!cfg) {
      ctx.report(
        span,
        `ingress-nginx 1.12 and later set ${headers.map(([k]) => k).join(', ')} only when its controller ConfigMap lists ${headers.length === 1 ? 'it' : 'them'} in ${GLOBAL_ALLOWED_RESPONSE_HEADERS} (empty by default), and otherwise answer 503 on every path of this Ingress; the workspace holds no controller ConfigMap to check`,
        { severity: 'information' },
      );
      return;
    }
    const refused = headers.map(([k]) => k).filter((k) => !cfg.allowedResponseHeaders.includes(k));
    if (refused.length)
      ctx.report(
        span,
        `ingress-nginx refuses ${refused.join(', ')} of ConfigMap ${value}: the controller ConfigMap ${cfg.id} ${cfg.keySet ? `lists only ${cfg.allowedResponseHeaders.join(', ') || 'nothing'} in ${GLOBAL_ALLOWED_RESPONSE_HEADERS}` : `does not set ${GLOBAL_ALLOWED_RESPONSE_HEADERS} (no header is allowed)`}, so every path of this Ingress answers 503; add ${refused.length === 1 ? 'it' : 'them'} there`,
      );
  },
};
