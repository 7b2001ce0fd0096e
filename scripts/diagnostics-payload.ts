// Size of the diagnostics the server publishes for one file (a measurement, not a test): the JSON
// of the publishDiagnostics notification is what crosses the pipe on every keystroke.
//
//   npm run build && node --import tsx scripts/diagnostics-payload.ts FILE.yaml
//   (e.g. a file from: node ../shared/bench/gen.mjs --lines 50000 --out /tmp/k8s-50k.yaml)

import { readFileSync } from 'node:fs';
import { LspClient } from '../test/support/lsp-client';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: diagnostics-payload.ts FILE.yaml');
  const text = readFileSync(file, 'utf8');
  const client = await LspClient.start();
  try {
    const uri = client.uriFor('payload.yaml');
    await client.open(uri, text);
    const diagnostics = await client.diagnostics(uri, 120000);
    const bytes = Buffer.byteLength(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'textDocument/publishDiagnostics',
        params: { uri, version: 1, diagnostics },
      }),
    );
    const withData = diagnostics.filter((d) => d.data !== undefined).length;
    console.log(
      JSON.stringify({
        file,
        lines: text.split('\n').length,
        diagnostics: diagnostics.length,
        withData,
        payloadBytes: bytes,
        bytesPerDiagnostic: Math.round(bytes / Math.max(1, diagnostics.length)),
      }),
    );
  } finally {
    await client.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
