// Certificate chains against CA bundles, for BackendTLSPolicy: the CA certificates in a ConfigMap's
// `ca.crt` (one or more PEM blocks), and whether the chain a backend serves (its Secret's `tls.crt`:
// the leaf, then intermediates) leads to one of them. A step from a certificate to its issuer holds
// when the issuer's subject (and key identifier, when both carry one) is the certificate's issuer and
// the certificate's signature verifies with the issuer's public key (node:crypto checkIssued and
// verify). The chain is trusted when it reaches a CA of the bundle, or when the leaf itself is one of
// them. Validity dates are not part of this answer (the Secret's own rules report expiry).

import { X509Certificate } from 'node:crypto';
import type { CaBundleInfo, ChainVerdict } from '../engine/gateway/types';
import { formatName } from './tls-certificate';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Parsed certificates by PEM text: a bundle or chain is read once however often it is checked. */
const parsed = new Map<string, X509Certificate | null>();
const PARSED_LIMIT = 512;

function certificate(pem: string): X509Certificate | undefined {
  let c = parsed.get(pem);
  if (c === undefined) {
    try {
      c = new X509Certificate(pem);
    } catch {
      c = null;
    }
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(pem, c);
  }
  return c ?? undefined;
}

/** The PEM CERTIFICATE blocks of a text, in order (linear: one non-backtracking scan). */
export function pemCertificateBlocks(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

/** Was `child` issued by `issuer`: names (and key identifiers) agree and the signature verifies. */
function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Does `chain` (leaf first) lead to one of `anchors`? Intermediates are taken from the chain in any
 * order, each at most once. */
export function chainReaches(chain: X509Certificate[], anchors: X509Certificate[]): boolean {
  if (!chain.length) return false;
  const anchorPrints = new Set(anchors.map((a) => a.fingerprint256));
  const used = new Set<X509Certificate>();
  const walk = (c: X509Certificate, depth: number): boolean => {
    if (anchorPrints.has(c.fingerprint256)) return true;
    if (anchors.some((a) => issuedBy(c, a))) return true;
    if (depth >= 10) return false;
    for (const i of chain) {
      if (i === c || used.has(i) || !issuedBy(c, i)) continue;
      used.add(i);
      if (walk(i, depth + 1)) return true;
    }
    return false;
  };
  return walk(chain[0], 0);
}

/** The CA bundle of a `ca.crt` text, or undefined when no block of it parses as a certificate. */
export function caBundle(text: string): CaBundleInfo | undefined {
  const pems = pemCertificateBlocks(text);
  const anchors = pems.map(certificate).filter((c): c is X509Certificate => !!c);
  if (!anchors.length) return undefined;
  return {
    subjects: anchors.map((a) => formatName(a.subject)),
    check(chainPems: readonly string[]): ChainVerdict {
      const chain = chainPems.map(certificate).filter((c): c is X509Certificate => !!c);
      if (!chain.length || chainReaches(chain, anchors)) return { trusted: chain.length > 0 };
      // where the served chain ends (its last certificate issued by the one before), and whether a
      // CA of the bundle carries the name of that certificate's issuer without having signed it
      let top = chain[0];
      for (let n = 0; n < chain.length; n++) {
        const next = chain.find((i) => i !== top && issuedBy(top, i));
        if (!next) break;
        top = next;
      }
      return {
        trusted: false,
        end: { subject: formatName(top.subject), issuer: formatName(top.issuer) },
        sameNameOnly: anchors.some((a) => a.subject === top.issuer),
      };
    },
  };
}
