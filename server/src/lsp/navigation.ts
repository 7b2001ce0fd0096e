// Protocol glue for navigation: go to definition, find references and CodeLens. The features compute
// file offsets; this turns them into locations in open documents or indexed disk files.

import type { ClientCapabilities, CodeLens, Connection, Location, LocationLink, Position } from 'vscode-languageserver';
import { CodeLensRefreshRequest } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedFile } from '../syntax/file';
import { documentAt } from '../syntax/file';
import type { ResourceIndex } from '../workspace/index';
import type { SourceRef } from '../engine/types';
import { definition } from '../features/definition';
import { references } from '../features/references';
import { codeLenses } from '../features/code-lens';
import type { PositionOf } from './convert';

export interface NavigationHost {
  index: ResourceIndex;
  /** The current parse of an open document (checked first when out of date). */
  parsedFor(uri: string): { doc: TextDocument; parsed: ParsedFile } | undefined;
  /** Bring every open document's parse and index entries up to date. */
  flush(): void;
  positionOf: PositionOf;
}

/** The command VS Code runs to show a list of locations (the client converts the arguments). */
export const SHOW_REFERENCES = 'editor.action.showReferences';

const REFRESH_DELAY_MS = 200;

export function registerNavigation(connection: Connection, host: NavigationHost): { initialize(c: ClientCapabilities): void; indexChanged(): void } {
  let refreshSupported = false;
  let refreshTimer: NodeJS.Timeout | undefined;
  let linkSupport = false;

  function toLocation(ref: SourceRef): Location | undefined {
    const start = host.positionOf(ref.uri, ref.start);
    const end = host.positionOf(ref.uri, ref.end);
    return start && end ? { uri: ref.uri, range: { start, end } } : undefined;
  }

  function locations(refs: SourceRef[]): Location[] {
    return refs.map(toLocation).filter((l): l is Location => !!l);
  }

  function at(uri: string, position: Position) {
    host.flush();
    const got = host.parsedFor(uri);
    if (!got) return undefined;
    const offset = got.doc.offsetAt(position);
    const d = documentAt(got.parsed, offset);
    return d ? { d, offset: offset - d.base, doc: got.doc } : undefined;
  }

  connection.onDefinition((params) => {
    try {
      const a = at(params.textDocument.uri, params.position);
      if (!a) return null;
      const result = definition(a.d, a.offset, params.textDocument.uri, host.index);
      if (!result) return null;
      const targets = locations(result.targets);
      if (!linkSupport) return targets;
      // Links also say which characters were asked from, so the editor underlines the whole name.
      const origin = { start: a.doc.positionAt(a.d.base + result.origin.start), end: a.doc.positionAt(a.d.base + result.origin.end) };
      return targets.map((t): LocationLink => ({ originSelectionRange: origin, targetUri: t.uri, targetRange: t.range, targetSelectionRange: t.range }));
    } catch (e) {
      connection.console.error(`[kube-netlens] definition failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return null;
    }
  });

  connection.onReferences((params) => {
    try {
      const a = at(params.textDocument.uri, params.position);
      if (!a) return null;
      const result = references(a.d, a.offset, params.textDocument.uri, host.index);
      if (!result) return null;
      return locations(params.context.includeDeclaration ? [...result.declarations, ...result.references] : result.references);
    } catch (e) {
      connection.console.error(`[kube-netlens] references failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return null;
    }
  });

  connection.onCodeLens((params): CodeLens[] => {
    try {
      host.flush();
      const uri = params.textDocument.uri;
      const got = host.parsedFor(uri);
      if (!got) return [];
      return codeLenses(got.parsed, uri, host.index).map((lens) => {
        const position = got.doc.positionAt(lens.offset);
        const locs = locations(lens.locations);
        return {
          range: { start: position, end: position },
          // With nothing to list, the lens is plain text (an empty command is not clickable).
          command: locs.length ? { title: lens.title, command: SHOW_REFERENCES, arguments: [uri, position, locs] } : { title: lens.title, command: '' },
        };
      });
    } catch (e) {
      connection.console.error(`[kube-netlens] codeLens failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return [];
    }
  });

  return {
    initialize(c: ClientCapabilities) {
      refreshSupported = !!c.workspace?.codeLens?.refreshSupport;
      linkSupport = !!c.textDocument?.definition?.linkSupport;
    },
    /** Another file changed what the lenses count: ask the client to fetch them again, once typing
     * pauses (the edited document's own lenses are re-requested by the editor anyway). */
    indexChanged() {
      if (!refreshSupported) return;
      if (refreshTimer) clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => {
        refreshTimer = undefined;
        void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
      }, REFRESH_DELAY_MS);
    },
  };
}
