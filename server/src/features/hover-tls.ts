// Hover on an Ingress tls `secretName`, or on a TLS Secret (its name, tls.crt, tls.key): what the
// certificate says (subject, names, issuer, validity, fingerprint, chain) and whether the key
// matches. Never any key material: only the key's type and whether it matches.

import { escapeMarkdown, printable } from '../protocol/escape';
import type { Span } from '../syntax/ast';
import { getValue, stringValue } from '../syntax/ast';
import type { ParsedDocument } from '../syntax/parse';
import type { Resource } from '../model/resource';
import { resourcesOf } from '../model/resource';
import type { ResourceIndex } from '../workspace/index';
import type { IngressTlsModel } from '../model/ingress';
import { ingressModel } from '../model/ingress';
import type { TlsCertificateInfo, TlsSecretInfo } from '../model/tls';
import {
  certificateCovers,
  findTlsSecret,
  formatDays,
  formatUtc,
  hasTlsData,
  readTlsSecret,
} from '../model/tls';
import type { HoverResult } from './hover';
import { graphProblemsOfValue } from '../rules/route-graph-view';

function inside(span: Span | null | undefined, offset: number): boolean {
  return !!span && offset >= span.start && offset <= span.end;
}

/** A certificate or manifest string in a table cell or sentence: no column, link, image or HTML. */
function cell(s: string): string {
  return escapeMarkdown(s);
}

/** A manifest string as inline code (no backtick closes it early; control characters as escapes). */
function code(s: string): string {
  return '`' + printable(s.replace(/`/g, "'"), true) + '`';
}

function validity(c: TlsCertificateInfo, now: number): string {
  const range = `${formatUtc(c.notBefore)} → ${formatUtc(c.notAfter)}`;
  if (c.notAfter <= now) return `${range} — **expired** ${formatDays(now - c.notAfter)} ago`;
  if (c.notBefore > now) return `${range} — **not valid yet** (starts in ${formatDays(c.notBefore - now)})`;
  return `${range} — ${formatDays(c.notAfter - now)} left`;
}

function fileName(uri: string): string {
  const last = uri.split('/').pop() ?? uri;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function keyLine(info: TlsSecretInfo): string {
  if (!info.key) return 'none: the Secret has no tls.key';
  if (info.keyNotBase64) return 'tls.key is not valid base64';
  if (info.keyProblem) return `⚠ ${info.keyProblem}`;
  if (info.keyMatches === true) return `${info.keyType}, matches the certificate`;
  if (info.keyMatches === false) return `${info.keyType}, **does not match** the certificate`;
  return `${info.keyType}`;
}

function certificateRows(c: TlsCertificateInfo, info: TlsSecretInfo, now: number): string[] {
  const names = [...c.dnsNames, ...c.ipAddresses.map((ip) => `${ip} (IP)`)];
  const namesText = c.namesFromCommonName
    ? `${c.dnsNames.join(', ')} — from the Common Name: the certificate has no subject alternative names, which browsers and Go clients require`
    : names.length
      ? names.join(', ')
      : 'none';
  const chain =
    info.chainLength === 1
      ? `1 certificate (leaf only${c.selfSigned ? ', self-signed' : ': clients need the issuer to be trusted directly'})`
      : `${info.chainLength} certificates (leaf + ${info.chainLength - 1} issuer${info.chainLength > 2 ? 's' : ''})`;
  return [
    `| Subject | ${cell(c.subject || '(empty)')} |`,
    `| Names | ${cell(namesText)} |`,
    `| Issuer | ${cell(c.issuer || '(empty)')}${c.selfSigned ? ' (self-signed)' : ''} |`,
    `| Valid | ${validity(c, now)} |`,
    `| SHA-256 | \`${c.fingerprint256}\` |`,
    `| Chain | ${chain} |`,
    `| Public key | ${cell(c.publicKey)} |`,
    `| Private key | ${cell(keyLine(info))} |`,
  ];
}

/** The markdown describing a Secret's certificate and key (no key material). */
export function tlsSecretMarkdown(
  secret: Resource,
  index: ResourceIndex,
  now: number,
  where?: string,
): string {
  const info = readTlsSecret(secret);
  const title = `**TLS Secret** ${code(`${index.namespaceOf(secret)}/${secret.name ?? '<unnamed>'}`)}${where ? ` (in ${cell(where)})` : ''}`;
  const type = stringValue(getValue(secret.node, 'type')) ?? 'Opaque';
  const lines = [title];
  if (type !== 'kubernetes.io/tls') lines.push(`Type is ${cell(type)}, not kubernetes.io/tls.`);
  if (!info.crt) {
    lines.push('No tls.crt: there is no certificate to serve.');
    return lines.join('\n\n');
  }
  if (info.crtNotBase64) {
    lines.push('tls.crt is not valid base64, so the certificate cannot be read.');
    return lines.join('\n\n');
  }
  if (info.certificateProblem || !info.certificate) {
    lines.push(`⚠ ${info.certificateProblem ?? 'tls.crt holds no certificate'}`);
    lines.push(`Private key: ${keyLine(info)}`);
    return lines.join('\n\n');
  }
  lines.push(['| | |', '|---|---|', ...certificateRows(info.certificate, info, now)].join('\n'));
  return lines.join('\n\n');
}

function entryCoverage(entry: IngressTlsModel, c: TlsCertificateInfo): string | undefined {
  const hosts = entry.hosts.map((h) => stringValue(h)).filter((h): h is string => !!h);
  if (!hosts.length) return undefined;
  return `Hosts of this tls entry: ${hosts.map((h) => `${cell(h)} ${certificateCovers(c, h) && !c.namesFromCommonName ? '✓' : '✗ not covered'}`).join(', ')}`;
}

function ingressHover(
  r: Resource,
  offset: number,
  index: ResourceIndex,
  uri: string,
  now: number,
): HoverResult | undefined {
  for (const entry of ingressModel(r).tls) {
    const node = entry.secretName;
    if (!node || !inside(node, offset)) continue;
    const name = stringValue(node);
    if (!name) return undefined;
    const ns = index.namespaceOf(r);
    const found = findTlsSecret(index, ns, name, uri);
    let markdown: string;
    if (!found) {
      // what rule ingress-tls-secret-missing says there (missing, or to be created by cert-manager)
      const problem = graphProblemsOfValue(index, uri, r, 'ingress-tls-secret-missing', node)[0];
      markdown = `**TLS Secret** ${code(`${ns}/${name}`)}${problem ? `\n\n${cell(problem.message)}` : ''}`;
    } else {
      markdown = tlsSecretMarkdown(
        found.resource,
        index,
        now,
        found.uri !== uri ? fileName(found.uri) : undefined,
      );
      const c = readTlsSecret(found.resource).certificate;
      const coverage = c ? entryCoverage(entry, c) : undefined;
      if (coverage) markdown += `\n\n${coverage}`;
    }
    return { markdown, start: node.start, end: node.end };
  }
  return undefined;
}

function secretHover(
  r: Resource,
  offset: number,
  index: ResourceIndex,
  now: number,
): HoverResult | undefined {
  if (!hasTlsData(r)) return undefined;
  const info = readTlsSecret(r);
  const spans: Span[] = [];
  if (r.nameNode) spans.push(r.nameNode);
  for (const ref of [info.crt, info.key]) if (ref) spans.push(ref.keySpan, ref.valueSpan);
  const hit = spans.find((s) => inside(s, offset));
  if (!hit) return undefined;
  return { markdown: tlsSecretMarkdown(r, index, now), start: hit.start, end: hit.end };
}

/** Hover for TLS: on an Ingress tls `secretName` value, or on a TLS Secret's name, tls.crt or
 * tls.key. `offset` is relative to the document; `uri` is the document's (a Secret in the same file
 * wins when the workspace holds several of that name). */
export function tlsHover(
  doc: ParsedDocument,
  offset: number,
  index: ResourceIndex,
  uri: string,
  now: number = Date.now(),
): HoverResult | undefined {
  if (!doc.root) return undefined;
  const r = resourcesOf(doc).find((x) => offset >= x.node.start && offset <= x.node.end);
  if (!r) return undefined;
  if (r.kind === 'Ingress') return ingressHover(r, offset, index, uri, now);
  if (r.kind === 'Secret') return secretHover(r, offset, index, now);
  return undefined;
}
