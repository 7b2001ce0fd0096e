// The routing preview's message checks, run on both sides (plain checks, no schema library): the
// params of a request before the server answers it, a result before the webview draws it.

import { PreviewMethod } from './preview-types';
import type { PreviewMethodName, Protocol, Scope } from './preview-types';

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export const isStr = (x: unknown, max = 4096): x is string => typeof x === 'string' && x.length <= max;
export const optStr = (x: unknown, max = 4096) => x === undefined || isStr(x, max);
export const isScope = (x: unknown): x is Scope => x === 'file' || x === 'workspace';
const isProtocol = (x: unknown): x is Protocol => x === 'TCP' || x === 'UDP' || x === 'SCTP';
const isPort = (x: unknown): x is number | string =>
  (typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 65535) ||
  (typeof x === 'string' && /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(x));

/** Why the params of a preview request are not acceptable; undefined when they are. */
export function paramsError(method: PreviewMethodName, p: unknown): string | undefined {
  if (!isObject(p)) return 'the parameters must be an object';
  switch (method) {
    case PreviewMethod.routeGraph:
      if (!isScope(p.scope)) return 'scope must be "file" or "workspace"';
      if (!optStr(p.uri)) return 'uri must be a string';
      if (p.scope === 'file' && !p.uri) return 'scope "file" needs a uri';
      return undefined;
    case PreviewMethod.testUrl:
      if (!isStr(p.url, 2048)) return 'url must be a string of at most 2048 characters';
      if (!optStr(p.ingressClass, 253)) return 'ingressClass must be a string';
      if (
        p.implementationSpecific !== undefined &&
        !['prefix', 'exact', 'regex'].includes(p.implementationSpecific as string)
      )
        return 'implementationSpecific must be "prefix", "exact" or "regex"';
      if (!optStr(p.gateway, 600)) return 'gateway must be a string';
      if (p.method !== undefined && !(isStr(p.method, 32) && /^[A-Za-z]*$/.test(p.method)))
        return 'method must be an HTTP method';
      if (
        p.headers !== undefined &&
        !(Array.isArray(p.headers) && p.headers.length <= 64 && p.headers.every((h) => isStr(h, 8192)))
      )
        return 'headers must be at most 64 strings';
      return undefined;
    case PreviewMethod.reachMatrix:
      if (!isScope(p.scope)) return 'scope must be "file" or "workspace"';
      if (!optStr(p.uri) || !optStr(p.namespace, 253)) return 'uri and namespace must be strings';
      if (p.scope === 'file' && !p.uri) return 'scope "file" needs a uri';
      if (!isPort(p.port)) return 'port must be a number from 1 to 65535 or a port name';
      if (!isProtocol(p.protocol)) return 'protocol must be TCP, UDP or SCTP';
      return undefined;
    case PreviewMethod.explainCell:
      if (!isStr(p.from, 600) || !isStr(p.to, 600)) return 'from and to must be strings';
      if (!optStr(p.service, 600)) return 'service must be a string';
      if (!isPort(p.port)) return 'port must be a number from 1 to 65535 or a port name';
      if (!isProtocol(p.protocol)) return 'protocol must be TCP, UDP or SCTP';
      return undefined;
  }
  return 'unknown method';
}

/** A light structural check of a result before the webview renders it. */
export function resultError(method: PreviewMethodName, r: unknown): string | undefined {
  if (!isObject(r)) return 'the result is not an object';
  switch (method) {
    case PreviewMethod.routeGraph:
      if (!Array.isArray(r.nodes) || !Array.isArray(r.edges)) return 'a route graph needs nodes and edges';
      for (const n of r.nodes)
        if (
          !isObject(n) ||
          !isStr(n.id) ||
          !isStr(n.label, 100000) ||
          !Array.isArray(n.details) ||
          !Array.isArray(n.problems)
        )
          return 'malformed node';
      for (const e of r.edges)
        if (!isObject(e) || !isStr(e.id) || !isStr(e.from) || !isStr(e.to) || !Array.isArray(e.problems))
          return 'malformed edge';
      return undefined;
    case PreviewMethod.testUrl:
      if (typeof r.matched !== 'boolean' || !isStr(r.summary, 100000) || !isObject(r.highlight))
        return 'malformed URL test result';
      return undefined;
    case PreviewMethod.reachMatrix:
      if (!Array.isArray(r.workloads) || !Array.isArray(r.allowed)) return 'malformed matrix';
      return undefined;
    case PreviewMethod.explainCell:
      if (typeof r.allowed !== 'boolean' || !Array.isArray(r.reasons)) return 'malformed explanation';
      return undefined;
  }
  return 'unknown method';
}
