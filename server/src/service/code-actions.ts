// Code actions of the language service: the quick fixes of the diagnostics the editor asks about,
// computed now by the rule that reported each (rules/check.ts fixesFor), the retirement notice's
// migration, and "Migrate this Ingress to Gateway API" where the cursor is; filtered by context.only.

import type { CodeAction, Range } from 'vscode-languageserver-types';
import { documentAt } from '../syntax/file';
import type { ParsedFile } from '../syntax/file';
import { fixesFor } from '../rules/check';
import { ingressAt } from '../features/migrate';
import { MIGRATE_COMMAND } from '../protocol/migrate';
import { ownDiagnostic, toCodeAction } from './convert';
import type { CodeActionContextLike, LanguageSettings, ServiceFile, ServiceWorkspace } from './types';

export function codeActions(
  workspace: ServiceWorkspace,
  settings: LanguageSettings,
  f: ServiceFile & { parsed: ParsedFile },
  uri: string,
  range: Range,
  context: CodeActionContextLike,
): CodeAction[] {
  const positionOf = (u: string, o: number) => workspace.positionOf(u, o);

  const asked = context && typeof context === 'object' ? context.diagnostics : undefined;
  if (!Array.isArray(asked)) return [];
  const actions: CodeAction[] = [];
  const migrating = new Set<string>();
  for (const raw of asked) {
    const diag = ownDiagnostic(raw);
    if (!diag) continue;
    const start = f.document.offsetAt(diag.range.start);
    const end = f.document.offsetAt(diag.range.end);
    const d = documentAt(f.parsed, start);
    if (!d || end < start) continue;
    if (diag.code === 'ingress-nginx-retired') {
      // the retirement notice's action: the migration of that Ingress (the client shows a diff first)
      const ingress = ingressAt(f.parsed, start, workspace.index);
      if (ingress && !migrating.has(ingress)) {
        migrating.add(ingress);
        actions.push({
          title: 'Migrate to Gateway API',
          kind: 'refactor.rewrite',
          diagnostics: [diag],
          command: {
            title: 'Migrate to Gateway API',
            command: MIGRATE_COMMAND,
            arguments: [{ scope: 'ingress', uri, ingress }],
          },
        });
      }
      continue;
    }
    const fixes = fixesFor(d, workspace.index, settings.check, uri, {
      ruleId: String(diag.code),
      start: start - d.base,
      end: end - d.base,
      message: String(diag.message),
    });
    for (const fix of fixes) {
      const shifted = {
        ...fix,
        edits: fix.edits.map((e) => ({ ...e, start: e.start + d.base, end: e.end + d.base })),
      };
      actions.push(toCodeAction(f.document, diag, shifted, positionOf));
    }
  }
  // every Ingress, whatever its controller: the migration as a refactoring where the cursor is
  const here =
    range && typeof range === 'object' && range.start
      ? ingressAt(f.parsed, f.document.offsetAt(range.start), workspace.index)
      : undefined;
  if (here && !migrating.has(here)) {
    actions.push({
      title: 'Migrate this Ingress to Gateway API',
      kind: 'refactor.rewrite',
      command: {
        title: 'Migrate this Ingress to Gateway API',
        command: MIGRATE_COMMAND,
        arguments: [{ scope: 'ingress', uri, ingress: here }],
      },
    });
  }
  const only = context.only;
  if (Array.isArray(only) && only.every((k) => typeof k === 'string')) {
    return actions.filter((a) =>
      only.some((k: string) => a.kind === k || (a.kind ?? '').startsWith(`${k}.`)),
    );
  }
  return actions;
}
