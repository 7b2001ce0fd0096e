// An editor sends a completion request right behind the keystroke that triggers it. In a file of
// many documents the server parses the edited text first, then answers the request from that parse
// before it starts checking the edit: the answer does not wait for the check's first slice (which
// holds the rules of the edited documents and what they share).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './support/lsp-client';

const frame = (message: unknown) => {
  const body = JSON.stringify({ jsonrpc: '2.0', ...(message as object) });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

test('a completion request that comes with an edit is answered before the edit is checked', async () => {
  const client = await LspClient.start();
  try {
    const uri = client.uriFor('request-order.yaml');
    // (a file of 60 documents: a small file's whole check is shorter than a turn, and runs at once)
    const services = Array.from(
      { length: 59 },
      (_, i) =>
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\nspec:\n  ports:\n  - port: 80\n---\n`,
    ).join('');
    const ingress = [
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      '  name: shop',
      'spec:',
      '  rules:',
      '  - host: shop.example.com',
      '    http:',
      '      paths:',
      '      - ',
      '',
    ].join('\n');
    const text = services + ingress;
    const line = services.split('\n').length - 1 + 9;
    await client.open(uri, text);
    await client.diagnostics(uri);
    let raw = '';
    client.proc.stdout.on('data', (d: Buffer) => (raw += d.toString('latin1')));
    // the keystroke and the request in one write, as they come when the user types
    client.proc.stdin.write(
      frame({
        method: 'textDocument/didChange',
        params: {
          textDocument: { uri, version: 2 },
          contentChanges: [{ text: text.replace('shop.example.com', 'shop.example.org') }],
        },
      }) +
        frame({
          id: 424242,
          method: 'textDocument/completion',
          params: { textDocument: { uri }, position: { line, character: 8 } },
        }),
    );
    // the messages the server wrote since the edit, in order
    const messages = () => {
      const out: { id?: number; method?: string; params?: { version?: number }; result?: unknown }[] = [];
      for (let at = 0; ;) {
        const head = /Content-Length: (\d+)\r\n\r\n/.exec(raw.slice(at));
        if (!head) return out;
        const start = at + head.index + head[0].length;
        // (read as latin1: one character per byte, as Content-Length counts them)
        const body = raw.slice(start, start + Number(head[1]));
        if (body.length < Number(head[1])) return out;
        out.push(JSON.parse(Buffer.from(body, 'latin1').toString('utf8')));
        at = start + body.length;
      }
    };
    const answer = () => messages().findIndex((m) => m.id === 424242);
    const published = () =>
      messages().findIndex((m) => m.method === 'textDocument/publishDiagnostics' && m.params?.version === 2);
    const deadline = Date.now() + 20000;
    while ((answer() < 0 || published() < 0) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(answer() >= 0, 'no answer to the completion request');
    assert.ok(published() >= 0, 'no diagnostics for the edit');
    assert.ok(answer() < published(), 'the edit was checked before the request was answered');
    // answered from the edited text's parse: the fields of a path entry
    const items = messages()[answer()].result as { label: string }[];
    assert.deepEqual(items.map((i) => i.label).sort(), ['backend', 'path', 'pathType']);
  } finally {
    await client.stop();
  }
});
