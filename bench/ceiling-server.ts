import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/**
 * The ceiling: a minimal node:http server that answers every request with one page's bytes,
 * held in memory, with the headers Kiosque sent for it. Nothing Kiosque does per request
 * (routing, cache lookup, header building) can go faster than this on the same machine.
 *
 * Usage: node --import tsx bench/ceiling-server.ts <kiosque page URL> <port>
 * Prints "ready <port>" once it holds the bytes and listens.
 */

// Set per response by node itself (or meaningless to copy).
const perResponse = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

function fetchRaw(url: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // node:http, not fetch: fetch would decompress, and the point is to keep the compressed bytes.
    const request = httpRequest(url, { headers: { 'accept-encoding': 'br, gzip' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

const [url, portText] = process.argv.slice(2);
if (!url || !portText) {
  console.error('usage: ceiling-server.ts <page URL> <port>');
  process.exit(2);
}
const page = await fetchRaw(url);
if (page.status !== 200) {
  console.error(`ceiling: ${url} answered ${page.status}`);
  process.exit(1);
}
const headers: Record<string, string | string[]> = {};
for (const [name, value] of Object.entries(page.headers)) {
  if (value !== undefined && !perResponse.has(name)) headers[name] = value;
}
headers['content-length'] = String(page.body.length);
const body = page.body;

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.keepAliveTimeout = 72_000;
server.listen(Number(portText), '127.0.0.1', () => {
  console.log(`ready ${portText} ${page.headers['content-encoding'] ?? 'identity'} ${body.length}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
