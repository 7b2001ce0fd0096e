// Small readers shared by the policy dialects (policy-kinds-admin, -cilium, -calico): selectors,
// string lists, numbers and protocols as the manifests write them.

import type { AstNode } from '../syntax/ast';
import { asScalar, asSeq, isNullish, scalarText, stringValue, toPlain } from '../syntax/ast';
import { toLabelSelector } from '../engine/selector';
import type { LabelSelector } from '../engine/selector';
import type { Protocol } from '../engine/types';

export function selector(node: AstNode | null | undefined): LabelSelector | undefined {
  if (isNullish(node)) return undefined;
  return toLabelSelector(toPlain(node)) ?? {};
}

export function strings(node: AstNode | null | undefined): string[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  return seq.items.map((n) => scalarText(n)).filter((x): x is string => x !== undefined);
}

export function num(node: AstNode | null | undefined): number | undefined {
  const s = asScalar(node);
  if (!s) return undefined;
  if (typeof s.value === 'number') return s.value;
  if (typeof s.value === 'string' && /^\d+$/.test(s.value)) return Number(s.value);
  return undefined;
}

export function protocol(node: AstNode | null | undefined): Protocol {
  const p = stringValue(node)?.toUpperCase();
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}
