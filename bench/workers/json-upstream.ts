/**
 * A loopback upstream whose every id answers at once with a ~1 KB PokéAPI-shaped JSON record
 * carrying that id: what a body check reads. A process of its own, apart from the clients.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveJobs } from '../lib/procs.js';

export interface JsonUpstreamHello {
  readonly template: string;
  /** The size of one record, in bytes. */
  readonly bodyBytes: number;
}

/** A record of about 1 KB: the fields PokéAPI leads with, and a list of moves to pad it out. */
export function record(id: number): string {
  const moves = Array.from({ length: 17 }, (_, i) => ({
    move: { name: `move-${i}`, url: `/api/v2/move/${i + 1}/` },
  }));
  return JSON.stringify({
    id,
    name: `pokemon-${id}`,
    base_experience: 64,
    height: 7,
    weight: 69,
    species: { name: `pokemon-${id}`, url: `/api/v2/pokemon-species/${id}/` },
    moves,
  });
}

const server = createServer({ keepAlive: true }, (req, res) => {
  const body = record(Number(/\/items\/(\d+)/.exec(req.url ?? '')?.[1]));
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

serveJobs(async () => ({}), {
  template: `http://127.0.0.1:${port}/items/{id}`,
  bodyBytes: Buffer.byteLength(record(1)),
} satisfies JsonUpstreamHello);
