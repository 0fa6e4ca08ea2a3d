import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalApi, startLocalApi } from '../../dev/local-api.js';
import type { SweepResponse } from '../../lambda/contract/response.js';
import {
  expectAccountedFor,
  type HandlerUnderTest,
  handlerOnLoopback,
} from '../support/sweep-handler.js';

let sut: HandlerUnderTest;
let api: LocalApi;
beforeAll(async () => {
  sut = await handlerOnLoopback();
  api = await startLocalApi({ handler: sut.dispatch, port: 0 });
});
afterAll(async () => {
  await api.close();
  await sut.close();
});

describe('the local endpoint, over real HTTP', () => {
  it('sweeps on POST /sweeps with a JSON body', async () => {
    const res = await fetch(`${api.url}/sweeps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start: 1020, end: 1030 }),
    });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const response = (await res.json()) as SweepResponse;
    expect(response).toMatchObject({
      trigger: 'api',
      statuses: { '200': 6, '404': 5 },
      ids: { '200': '1020-1025', '404': '1026-1030' },
    });
    expectAccountedFor(response);
  });

  it('sweeps on GET /sweeps with query parameters', async () => {
    const res = await fetch(`${api.url}/sweeps?start=1&end=5&concurrency=2`);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ total: 5, statuses: { '200': 5 } });
  });

  it.each([
    ['POST', '/sweeps', '{"start":', 'application/json', 400, 'malformed_json'],
    ['POST', '/sweeps', '{"start":1,"end":2}', 'text/plain', 415, 'unsupported_media_type'],
    [
      'POST',
      '/sweeps',
      JSON.stringify({ start: 1, end: 2, x: 'y'.repeat(17_000) }),
      'application/json',
      413,
      'payload_too_large',
    ],
    [
      'POST',
      '/sweeps',
      '{"start":1,"end":2,"target":"http://169.254.169.254/{id}"}',
      'application/json',
      400,
      'invalid_request',
    ],
    ['DELETE', '/sweeps', undefined, undefined, 405, 'method_not_allowed'],
    ['GET', '/elsewhere', undefined, undefined, 404, 'not_found'],
  ])(
    'answers %s %s with %i and a JSON error body',
    async (method, path, body, type, status, code) => {
      const res = await fetch(`${api.url}${path}`, {
        method,
        body,
        headers: type ? { 'content-type': type } : {},
      });

      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ error: { code } });
    },
  );
});

describe('the local endpoint, with paths and queries API Gateway would refuse or keep', () => {
  it('answers 400, not 500, for a path that is not valid percent-encoding', async () => {
    const res = await fetch(`${api.url}/sweeps%`);

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message: 'the path is not valid percent-encoding: /sweeps%',
    });
  });

  it('passes a "__proto__" query key through, to be refused by name', async () => {
    const res = await fetch(`${api.url}/sweeps?start=1&end=2&__proto__=1`);

    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; details: object } };
    expect(error.code).toBe('invalid_request');
    expect(Object.entries(error.details)).toEqual([['__proto__', ['is not a known field']]]);
  });
});
