// Writes plain objects as a multi-document YAML stream, each document with its comment lines above
// it (the migration's notes next to the route they concern). The only YAML writer of the server.

import { Document } from 'yaml';

export interface YamlDocumentOut {
  /** Undefined or an empty object: a document of comments only. */
  value?: Record<string, unknown>;
  /** Written as `# ...` lines above the document. */
  comments?: string[];
}

/** Comment text stays on its lines: line breaks in a note become separate comment lines. */
function commentLines(comments: string[]): string {
  return comments
    .flatMap((c) => c.split(/\r?\n/))
    .map((l) => ` ${l}`)
    .join('\n');
}

export function writeYamlDocuments(docs: readonly YamlDocumentOut[]): string {
  const parts: string[] = [];
  for (const d of docs) {
    const comments = d.comments?.length ? commentLines(d.comments) : '';
    if (!d.value || Object.keys(d.value).length === 0) {
      if (comments)
        parts.push(
          comments
            .split('\n')
            .map((l) => `#${l}`)
            .join('\n') + '\n',
        );
      continue;
    }
    // objects shared between documents or rules are written out each time, never as YAML aliases; and
    // written for YAML 1.1, which quotes every string that kubectl would read as something else (its
    // go-yaml v2 reads a plain yes, on, n or 1:20 as a boolean or a number, where YAML 1.2 keeps text)
    const text = new Document(d.value, { aliasDuplicateObjects: false, version: '1.1' }).toString({
      lineWidth: 0,
    });
    parts.push(
      (comments
        ? comments
            .split('\n')
            .map((l) => `#${l}`)
            .join('\n') + '\n'
        : '') + text,
    );
  }
  return parts.join('---\n');
}
