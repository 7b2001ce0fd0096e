// A protocol connection over in-memory streams that answers `ping`, for the tests of how a long task
// of the server's thread lets the client's requests through (turns, interactive-slices).

import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

/** A server connection over in-memory streams that answers `ping`; `answered()` says whether the
 * answer was written yet. */
export function pingServer(): { send: () => void; answered: () => boolean; dispose: () => void } {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const server = createMessageConnection(
    new StreamMessageReader(toServer),
    new StreamMessageWriter(fromServer),
  );
  server.onRequest('ping', () => 'pong');
  server.listen();
  // (answered when the server's writer starts writing the answer to its stream, as it writes to
  // stdout: its header first, then its body once the stream took the header; the stream's 'data'
  // event comes later; the server sends nothing else)
  let answered = false;
  const write = fromServer.write.bind(fromServer) as (chunk: unknown, ...rest: unknown[]) => boolean;
  fromServer.write = ((chunk: unknown, ...rest: unknown[]) => {
    answered = true;
    return write(chunk, ...rest);
  }) as typeof fromServer.write;
  fromServer.resume();
  return {
    send: () => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
      toServer.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    },
    answered: () => answered,
    dispose: () => server.dispose(),
  };
}
