// Findings and feature results to protocol types.

import type { Diagnostic, TextEdit, CodeAction } from 'vscode-languageserver';
import { CodeActionKind, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, QuickFix, Severity } from '../rules/types';
import { ruleDocUrl } from '../rules/types';

export const SOURCE = 'kube-netlens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface FixData {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

/** Turns an offset in any known file (open or indexed from disk) into a position. */
export type PositionOf = (uri: string, offset: number) => { line: number; character: number } | undefined;

export function toDiagnostic(doc: TextDocument, f: Finding, positionOf?: PositionOf): Diagnostic {
  const d: Diagnostic = {
    range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) },
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: ruleDocUrl(f.ruleId) },
    source: SOURCE,
    message: f.message,
  };
  if (f.tags?.length) d.tags = f.tags.map((t) => (t === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary));
  if (f.fixes?.length) d.data = { fixes: f.fixes.map((x) => toFixData(doc, x)) };
  if (f.related?.length && positionOf) {
    d.relatedInformation = f.related.flatMap((r) => {
      const start = positionOf(r.uri, r.start);
      const end = positionOf(r.uri, r.end);
      return start && end ? [{ location: { uri: r.uri, range: { start, end } }, message: r.message }] : [];
    });
  }
  return d;
}

export function toFixData(doc: TextDocument, fix: QuickFix): FixData {
  return {
    title: fix.title,
    preferred: fix.preferred,
    edits: fix.edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText })),
  };
}

export function toCodeAction(uri: string, diagnostic: Diagnostic, fix: FixData): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.preferred,
    edit: { changes: { [uri]: fix.edits } },
  };
}
