// PEM text of a TLS Secret: the blocks of tls.crt and tls.key read into certificates and a private key
// with Node's built-in crypto, or a sentence saying why they cannot be (never quoting the value).
// The KeyObject returned to model/tls.ts stays there: no key material is kept or shown.

import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

interface PemBlock {
  label: string;
  /** The whole block, BEGIN and END lines included. */
  text: string;
  headers: boolean;
}

const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/** PEM blocks of a text, or the label of the first BEGIN line that has no END line. */
function pemBlocks(text: string): { blocks: PemBlock[]; truncated?: string } {
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) {
    const label = m[1];
    const endLine = `-----END ${label}-----`;
    const end = text.indexOf(endLine, m.index + m[0].length);
    if (end < 0) return { blocks, truncated: label };
    const blockText = text.slice(m.index, end + endLine.length);
    blocks.push({
      label,
      text: blockText + '\n',
      headers: /^[A-Za-z-]+:/m.test(blockText.slice(m[0].length, end - m.index)),
    });
    BEGIN.lastIndex = end + endLine.length;
  }
  return { blocks };
}

export function where(field: string, source: 'data' | 'stringData'): string {
  return source === 'stringData' ? `stringData ${field}` : field;
}

/** Why a value that should be PEM is not, with what it looks like instead. */
function notPem(
  field: string,
  source: 'data' | 'stringData',
  bytes: Buffer,
  expected: string,
  looksDer: () => boolean,
): string {
  const w = where(field, source);
  const text = bytes.toString('latin1').trim();
  if (text.length === 0) return `${w} is empty`;
  if (/^LS0tLS1CRUdJTi/.test(text)) {
    return source === 'stringData'
      ? `${w} holds base64 text, but stringData takes the PEM as plain text: paste the PEM, or move the value under data`
      : `${w} is base64-encoded twice: it decodes to base64 text instead of PEM (encode the PEM file once)`;
  }
  if (bytes[0] === 0x30 && looksDer()) {
    return `${w} holds DER (binary), not PEM: controllers expect PEM text (convert it with openssl to PEM${source === 'data' ? ', then base64-encode that' : ''})`;
  }
  return source === 'stringData'
    ? `${w} is not PEM: expected a "-----BEGIN ${expected}-----" block`
    : `${w} is base64 but does not decode to PEM: expected a "-----BEGIN ${expected}-----" block`;
}

export function readCertificates(
  bytes: Buffer,
  source: 'data' | 'stringData',
): { certs: X509Certificate[] } | { problem: string } {
  const w = where('tls.crt', source);
  const text = bytes.toString('latin1');
  const { blocks, truncated } = pemBlocks(text);
  const certBlocks = blocks.filter(
    (b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE',
  );
  if (truncated && (truncated.endsWith('CERTIFICATE') || certBlocks.length === 0)) {
    return {
      problem: `${w} is truncated: its "-----BEGIN ${truncated}-----" line has no matching "-----END ${truncated}-----" line`,
    };
  }
  if (blocks.length === 0) {
    return {
      problem: notPem('tls.crt', source, bytes, 'CERTIFICATE', () => {
        try {
          new X509Certificate(bytes);
          return true;
        } catch {
          return false;
        }
      }),
    };
  }
  if (certBlocks.length === 0) {
    const label = blocks[0].label;
    return {
      problem: `${w} holds a PEM "${label}" block but no CERTIFICATE${label.includes('PRIVATE KEY') ? ' (are tls.crt and tls.key swapped?)' : ''}`,
    };
  }
  const certs: X509Certificate[] = [];
  for (let i = 0; i < certBlocks.length; i++) {
    try {
      certs.push(new X509Certificate(certBlocks[i].text));
    } catch {
      const which =
        certBlocks.length === 1 ? 'its CERTIFICATE block' : `certificate ${i + 1} of ${certBlocks.length}`;
      return {
        problem: `${w}: ${which} does not parse as an X.509 certificate (the base64 between the BEGIN and END lines is damaged or is not a certificate)`,
      };
    }
  }
  return { certs };
}

export function readPrivateKey(
  bytes: Buffer,
  source: 'data' | 'stringData',
): { key: KeyObject } | { problem: string } {
  const w = where('tls.key', source);
  const text = bytes.toString('latin1');
  const { blocks, truncated } = pemBlocks(text);
  const keyBlock = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
  if (truncated && !keyBlock) {
    return {
      problem: `${w} is truncated: its "-----BEGIN ${truncated}-----" line has no matching "-----END ${truncated}-----" line`,
    };
  }
  if (blocks.length === 0) {
    return {
      problem: notPem('tls.key', source, bytes, 'PRIVATE KEY', () => {
        for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
          try {
            createPrivateKey({ key: bytes, format: 'der', type });
            return true;
          } catch {
            // try the next encoding
          }
        }
        return false;
      }),
    };
  }
  if (!keyBlock) {
    const label = blocks[0].label;
    return {
      problem: `${w} holds a PEM "${label}" block but no PRIVATE KEY${label.includes('CERTIFICATE') ? ' (are tls.crt and tls.key swapped?)' : ''}`,
    };
  }
  if (
    keyBlock.label === 'ENCRYPTED PRIVATE KEY' ||
    (keyBlock.headers && /Proc-Type:\s*4,ENCRYPTED/.test(keyBlock.text))
  ) {
    return {
      problem: `${w} is encrypted with a passphrase: controllers need the unencrypted key (decrypt it with openssl pkey)`,
    };
  }
  try {
    return { key: createPrivateKey({ key: keyBlock.text, format: 'pem' }) };
  } catch {
    // Node's message names decoder routines, never the key; ours says even less.
    return {
      problem: `${w}: its "${keyBlock.label}" block does not parse as a private key (the base64 between the BEGIN and END lines is damaged or is not a key)`,
    };
  }
}
