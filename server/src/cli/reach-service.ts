// kube-netlens reach --to Service/ns/name: the connection evaluated to each backend the Service's
// selector matches (engine/reach-service.ts), the service hairpin case named; printed as text, JSON,
// SARIF or Markdown like a connection to a pod.

import { EndpointError, resolveEndpoint } from '../engine/reach';
import type { Endpoint } from '../engine/reach';
import { evaluateServiceReach, findService } from '../engine/reach-service';
import type { ServiceReachResult } from '../engine/reach-service';
import type { Cluster, Protocol } from '../engine/types';
import { UsageError } from './common';
import type { LoadedFile } from './common';
import { printable } from '../protocol/escape';
import { sarifLog, textAnswerMarkdown } from './formats';
import type { SarifFinding } from './formats';
import { endpointKind, jsonResult, textResult } from './reach-format';
import { cniText, locator } from './reach-options';

/** `Service/ns/name`, or a name that resolves to no Pod or workload but to a Service. */
export function isServiceTarget(cluster: Cluster, text: string): boolean {
  if (/^service\//i.test(text.trim())) return true;
  try {
    resolveEndpoint(cluster, text);
    return false;
  } catch (e) {
    if (!(e instanceof EndpointError)) throw e;
    try {
      findService(cluster, text);
      return true;
    } catch {
      return false;
    }
  }
}

export function runServiceReach(
  cluster: Cluster,
  files: LoadedFile[],
  from: Endpoint,
  toText: string,
  port: number | string,
  protocol: Protocol,
  cni: string | undefined,
  options: Record<string, string[]>,
): number {
  let r: ServiceReachResult;
  try {
    r = evaluateServiceReach(cluster, from, toText, port, protocol, { cni });
  } catch (e) {
    if (e instanceof EndpointError) throw new UsageError(`--to: ${e.message}`);
    throw e;
  }
  const locate = locator(files);
  const portText = `${typeof r.port === 'string' ? `${r.port} (${r.servicePort})` : r.servicePort}/${r.protocol}`;
  const head = `${r.allowed ? 'ALLOWED' : 'DENIED'}: ${r.from} → Service ${r.service} on ${portText} (target port ${r.targetPort}; ${r.backends.length} backend${r.backends.length === 1 ? '' : 's'}${r.allowed ? '' : `, denied to ${r.backends.filter((b) => !b.result.allowed).length}`})`;
  const text = () => {
    const cniLine = r.backends.some((b) => b.result.cni !== undefined) ? cniText(cluster, cni) : undefined;
    const parts = [head + '\n'];
    for (const b of r.backends) {
      parts.push(
        `\n== backend ${b.backend}${b.hairpin ? ' (service hairpin: the proxy sends the connection back to the same pod)' : ''} ==\n`,
        textResult(b.result, locate, cniLine),
      );
    }
    return parts.join('');
  };
  if (options['--json'])
    process.stdout.write(
      JSON.stringify(
        {
          version: 1,
          allowed: r.allowed,
          from: r.from,
          fromKind: endpointKind(from),
          service: r.service,
          port: r.port,
          servicePort: r.servicePort,
          targetPort: r.targetPort,
          protocol: r.protocol,
          backends: r.backends.map((b) => ({
            backend: b.backend,
            hairpin: b.hairpin,
            ...jsonResult(b.result, from, b.backendKind, locate),
          })),
        },
        null,
        2,
      ) + '\n',
    );
  else if (options['--sarif']) {
    const findings: SarifFinding[] = r.backends
      .filter((b) => !b.result.allowed)
      .flatMap((b) => {
        const what = `${r.from} → Service ${r.service} (backend ${b.backend}${b.hairpin ? ', service hairpin' : ''}) on ${r.protocol} ${r.servicePort}`;
        return b.result.reasons.map((x) => ({
          ruleId: 'reach-denied',
          level: 'error' as const,
          message: `${what} is denied (${x.side}): ${x.message}`,
          location: locate(x.source),
        }));
      });
    process.stdout.write(sarifLog('reach', findings));
  } else if (options['--markdown']) process.stdout.write(textAnswerMarkdown('reach', text()));
  else process.stdout.write(printable(text()));
  return r.allowed ? 0 : 1;
}
