// Reproduction for undici (8.13.1): an HTTP/2 response body cut by RST_STREAM(CANCEL) before
// END_STREAM, with no content-length, resolves as a complete body; no error reaches the caller.
// Run: node bench/repro/h2-reset-without-content-length.mjs (needs `openssl` for a throwaway cert).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { constants, createSecureServer } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';

const dir = mkdtempSync(join(tmpdir(), 'h2-repro-'));
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ],
  { stdio: 'ignore' },
);

const server = createSecureServer({
  key: readFileSync(join(dir, 'key.pem')),
  cert: readFileSync(join(dir, 'cert.pem')),
});
server.on('stream', (stream) => {
  stream.respond({ ':status': 200 }); // no content-length
  stream.write('x'.repeat(100), () => setTimeout(() => stream.close(constants.NGHTTP2_CANCEL), 10));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const dispatcher = new Agent({ allowH2: true, connect: { rejectUnauthorized: false } });
const url = `https://127.0.0.1:${server.address().port}/`;
try {
  const { statusCode, body } = await request(url, { dispatcher });
  const text = await body.text();
  console.log(`status ${statusCode}, ${text.length} bytes, no error: the reset went unnoticed`);
} catch (error) {
  console.log(`error as expected: ${error.code ?? error.name}: ${error.message}`);
} finally {
  await dispatcher.close();
  server.close();
}
