// Engine input built from YAML text through the real pipeline (syntax → model → index → cluster), the
// way the CLI and the server build it. Tests write manifests, not engine structures.

import { parseFile } from '../../server/src/syntax/file';
import { resourcesOf } from '../../server/src/model/resource';
import { ResourceIndex } from '../../server/src/workspace/index';
import { buildCluster } from '../../server/src/model/cluster';
import type { Cluster } from '../../server/src/engine/types';

/** One cluster from several files: `{ 'a.yaml': text, ... }` or a single text (file `test.yaml`). */
export function clusterOf(files: Record<string, string> | string, defaultNamespace = 'default'): Cluster {
  const map = typeof files === 'string' ? { 'test.yaml': files } : files;
  const index = new ResourceIndex();
  index.setDefaultNamespace(defaultNamespace);
  for (const [uri, text] of Object.entries(map)) {
    const parsed = parseFile(text);
    const errors = parsed.docs.flatMap((d) => d.errors.filter((e) => !e.warning));
    if (errors.length) throw new Error(`${uri}: YAML error in test input: ${errors[0].message}`);
    index.setFile(
      uri,
      parsed.docs.flatMap((d) => resourcesOf(d)),
    );
  }
  return buildCluster(index);
}

/** Join YAML documents with `---`. */
export function docs(...parts: string[]): string {
  return parts.map((p) => p.replace(/^\n/, '')).join('---\n');
}
