// Warm the parser, the rules and the features on a bundled sample before the first file arrives:
// a fresh Node process runs cold code several times slower, which the user would otherwise pay
// on the first file they open.

import sample from './warmup-sample.yaml';
import { IncrementalParser } from '../syntax/file';
import { ResourceIndex } from '../workspace/index';
import { resourcesOf } from '../model/resource';
import { checkParsedFile } from '../rules/check';
import { complete } from '../features/completion';
import { hover } from '../features/hover';

export function warmUp(budgetMs = 250): { rounds: number; ms: number } {
  const start = performance.now();
  let rounds = 0;
  // distinct texts each round, so the document cache does not short-cut the work
  while (performance.now() - start < budgetMs && rounds < 60) {
    // several copies in one stream: big enough for the hot paths to get optimised
    const text = warmUpText(rounds);
    const parsed = new IncrementalParser().parse(text);
    const index = new ResourceIndex();
    index.setFile(
      'warmup',
      parsed.docs.flatMap((d) => resourcesOf(d)),
    );
    checkParsedFile(parsed, index, {
      settings: { kubernetesVersion: '1.34', severities: {} },
      reportSyntax: true,
    });
    const d = parsed.docs[parsed.docs.length - 1];
    const at = d.text.indexOf('podSelector');
    complete(d.text, at);
    hover(d, at + 2);
    rounds++;
  }
  return { rounds, ms: performance.now() - start };
}

/** Round `round` of the warm-up text: several copies of the sample, distinct in every round. */
export function warmUpText(round: number): string {
  return Array.from({ length: 6 }, (_, i) =>
    sample.replace('name: storefront', `name: storefront-${round}-${i}`),
  ).join('\n---\n');
}
