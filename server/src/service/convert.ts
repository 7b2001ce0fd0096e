// Findings and feature results to protocol-shaped data (positions in the file's text).

import type {
  CodeAction,
  Diagnostic,
  DiagnosticRelatedInformation,
  Position,
  TextEdit,
} from 'vscode-languageserver-types';
import { CodeActionKind, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, QuickFix, RelatedSpan, Severity } from '../rules/types';
import { ruleDocUrl } from '../rules/types';

export const SOURCE = 'kube-netlens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Turns an offset in any known file (open or indexed from disk) into a position. */
export type PositionOf = (uri: string, offset: number) => Position | undefined;

/** Related locations already converted, by the finding's related span (a rule that names the same
 * places in many findings hands the same span objects: 2,000 Ingresses on one host point at the same
 * 20 others). Valid while the positions it was filled under are: one check of one file. */
export type RelatedCache = Map<RelatedSpan, DiagnosticRelatedInformation | null>;

/** A finding (offsets in the file, or in its document when that starts at `base`) as a diagnostic.
 * Its quick fixes are not part of it: a code action request computes them (see getCodeActions). */
export function toDiagnostic(
  doc: TextDocument,
  f: Finding,
  positionOf?: PositionOf,
  cache?: RelatedCache,
  base = 0,
): Diagnostic {
  const d: Diagnostic = {
    range: { start: doc.positionAt(f.start + base), end: doc.positionAt(f.end + base) },
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: ruleDocUrl(f.ruleId) },
    source: SOURCE,
    message: f.message,
  };
  if (f.tags?.length)
    d.tags = f.tags.map((t) => (t === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary));
  if (f.related?.length && positionOf) {
    const out: DiagnosticRelatedInformation[] = [];
    for (const r of f.related) {
      let info = cache?.get(r);
      if (info === undefined) {
        const start = positionOf(r.uri, r.start);
        const end = positionOf(r.uri, r.end);
        info = start && end ? { location: { uri: r.uri, range: { start, end } }, message: r.message } : null;
        cache?.set(r, info);
      }
      if (info) out.push(info);
    }
    d.relatedInformation = out;
  }
  return d;
}

/** A quick fix (offsets in the file) as a code action for one diagnostic. */
export function toCodeAction(
  doc: TextDocument,
  diagnostic: Diagnostic,
  fix: QuickFix,
  positionOf?: (uri: string, offset: number) => Position | undefined,
): CodeAction {
  const edits: TextEdit[] = fix.edits.map((e) => ({
    range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) },
    newText: e.newText,
  }));
  const changes: Record<string, TextEdit[]> = {};
  if (edits.length || !fix.otherFiles?.length) changes[doc.uri] = edits;
  for (const f of fix.otherFiles ?? []) {
    const other: TextEdit[] = [];
    for (const e of f.edits) {
      const start = positionOf?.(f.uri, e.start);
      const end = positionOf?.(f.uri, e.end);
      if (start && end) other.push({ range: { start, end }, newText: e.newText });
    }
    if (other.length) changes[f.uri] = [...(changes[f.uri] ?? []), ...other];
  }
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.preferred,
    edit: { changes },
  };
}

function isPosition(p: unknown): p is Position {
  if (!p || typeof p !== 'object') return false;
  const { line, character } = p as Record<string, unknown>;
  return (
    Number.isInteger(line) &&
    Number.isInteger(character) &&
    (line as number) >= 0 &&
    (character as number) >= 0
  );
}

/** A diagnostic as a client sent it back in a code action request, if it is well-formed and ours;
 * anything else (null, a missing range, a foreign source) is undefined. */
export function ownDiagnostic(raw: unknown): Diagnostic | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const d = raw as Record<string, unknown>;
  if (d.source !== SOURCE || typeof d.code !== 'string' || typeof d.message !== 'string') return undefined;
  const range = d.range as Record<string, unknown> | null | undefined;
  if (!range || typeof range !== 'object' || !isPosition(range.start) || !isPosition(range.end))
    return undefined;
  return raw as Diagnostic;
}
