import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSpans, type Span } from '../lambda/sweep/data.js';

/** PokéAPI's National Pokédex ends here: ids past it answer 404, as the real API does. */
export const DEMO_MAX_ID = 1025;
/** Near PokéAPI's typical response time, so local sweeps feel like the real thing. */
export const DEMO_LATENCY_MS = 400;
export const DEMO_PATH_TEMPLATE = '/api/v2/pokemon/{id}/';

export interface DemoUpstreamOptions {
  /** Mean response delay. @default 400 */
  readonly latencyMs?: number;
  /** Each delay is drawn uniformly within ±jitter of the mean (0..1). @default 0.25 */
  readonly jitter?: number;
  /** Share of requests answered 503 (retryable) instead of the Pokémon. @default 0 */
  readonly faultRate?: number;
  /** Share of requests whose connection is reset without an answer. @default 0 */
  readonly resetRate?: number;
  /** Ids (compact form, "25-30") answered 200 with the next id's record, as a bad cache would. */
  readonly wrongIds?: string;
  /** Ids (compact form) answered 200 with an error object instead of the record. */
  readonly errorIds?: string;
  /** Seed of the generator behind latencies and faults, for repeatable sweeps. @default 1 */
  readonly seed?: number;
  /** @default 0 - any free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface DemoUpstream {
  /** e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** The TARGET_URL_TEMPLATE that sweeps it. */
  readonly urlTemplate: string;
  /** Requests answered or reset so far. */
  readonly requests: () => number;
  close(): Promise<void>;
}

const POKEMON_PATH = /^\/api\/v2\/pokemon\/(\d+)\/?$/;

/** Starts a PokéAPI-shaped upstream on loopback: 200 with a small JSON body for 1..1025, else 404. */
export async function startDemoUpstream(options: DemoUpstreamOptions = {}): Promise<DemoUpstream> {
  const { latencyMs = DEMO_LATENCY_MS, jitter = 0.25, faultRate = 0, resetRate = 0 } = options;
  const random = mulberry32(options.seed ?? 1);
  const wrong = spansOf(options.wrongIds);
  const erring = spansOf(options.errorIds);
  const timers = new Set<NodeJS.Timeout>();
  let requests = 0;

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const match = req.method === 'GET' ? POKEMON_PATH.exec(req.url ?? '') : null;
    const id = Number(match?.[1]);
    const roll = random();
    if (roll < resetRate) {
      req.socket.resetAndDestroy();
      return;
    }
    if (roll < resetRate + faultRate) {
      send(res, 503, 'text/plain', 'Service Unavailable');
    } else if (match && within(erring, id)) {
      send(res, 200, 'application/json', JSON.stringify({ error: 'upstream unavailable' }));
    } else if (match && within(wrong, id)) {
      send(res, 200, 'application/json', JSON.stringify(pokemon(id + 1)));
    } else if (match && id >= 1 && id <= DEMO_MAX_ID) {
      send(res, 200, 'application/json', JSON.stringify(pokemon(id)));
    } else {
      send(res, 404, 'text/plain', 'Not Found');
    }
  };

  const server = createServer((req, res) => {
    requests++;
    req.resume();
    const delay = latencyMs * (1 + jitter * (2 * random() - 1));
    if (delay <= 0) return answer(req, res);
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer(req, res);
    }, delay);
    timers.add(timer);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  return {
    url,
    urlTemplate: `${url}${DEMO_PATH_TEMPLATE}`,
    requests: () => requests,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The demo's faults from the environment, as `npm start` passes it: DEMO_WRONG_IDS and
 * DEMO_ERROR_IDS (compact form). Throws a RangeError naming the variable for a bad value.
 */
export function demoFaultsFrom(
  env: Readonly<Record<string, string | undefined>>,
): Pick<DemoUpstreamOptions, 'wrongIds' | 'errorIds'> {
  const read = (name: string) => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    try {
      parseSpans(value);
    } catch {
      throw new RangeError(`${name} must be ids in compact form like "25-30,40", got "${value}"`);
    }
    return value;
  };
  const wrongIds = read('DEMO_WRONG_IDS');
  const errorIds = read('DEMO_ERROR_IDS');
  return { ...(wrongIds && { wrongIds }), ...(errorIds && { errorIds }) };
}

function spansOf(form: string | undefined): Span[] {
  return form === undefined ? [] : parseSpans(form);
}

function within(spans: readonly Span[], id: number): boolean {
  return spans.some(([first, last]) => id >= first && id <= last);
}

/** A small body in PokéAPI's shape; deterministic per id. */
function pokemon(id: number) {
  return {
    id,
    name: `pokemon-${id}`,
    species: { name: `pokemon-${id}`, url: `/api/v2/pokemon-species/${id}/` },
    height: (id % 20) + 1,
    weight: (id % 97) * 10 + 1,
    base_experience: 50 + (id % 250),
  };
}

/** A tiny seeded PRNG (mulberry32): repeatable latencies and faults without a dependency. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
