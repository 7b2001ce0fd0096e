// What the engine needs to know about the certificates a workload serves: the Secrets its pods mount
// (secret volumes, and secret sources of projected volumes), and the names in a Secret's leaf
// certificate. A BackendTLSPolicy's hostname or subjectAltNames must match the certificate the pods
// behind its Service present (engine/gateway/backend-tls.ts).

import type { MapNode } from '../syntax/ast';
import { asMap, asSeq, getIn, getValue, stringValue } from '../syntax/ast';
import type { Resource } from './resource';
import { hasTlsData, readTlsSecret, tlsCertificatePems } from './tls';
import type { SecretInfo } from '../engine/types';

/** The names of the Secrets a pod spec mounts as volumes, in order, each once. */
export function podSecretVolumes(spec: MapNode | undefined): string[] {
  const out: string[] = [];
  const add = (name: string | undefined) => {
    if (name && !out.includes(name)) out.push(name);
  };
  for (const v of asSeq(getValue(spec, 'volumes'))?.items ?? []) {
    const vm = asMap(v);
    add(stringValue(getIn(vm, ['secret', 'secretName'])));
    for (const src of asSeq(getIn(vm, ['projected', 'sources']))?.items ?? [])
      add(stringValue(getIn(src, ['secret', 'name'])));
  }
  return out;
}

/** The DNS, IP and URI names of a Secret's leaf certificate (tls.crt), when it holds a readable one. */
export function secretCertificateNames(r: Resource): SecretInfo['certificate'] {
  if (!hasTlsData(r)) return undefined;
  const c = readTlsSecret(r).certificate;
  if (!c) return undefined;
  // names taken from the Common Name are not names a TLS client checks
  return {
    dnsNames: c.namesFromCommonName ? [] : c.dnsNames,
    ipAddresses: c.ipAddresses,
    uris: c.uris ?? [],
    subject: c.subject,
    issuer: c.issuer,
    selfSigned: c.selfSigned,
    chain: tlsCertificatePems(r),
  };
}
