import { describe, expect, it } from 'vitest';
import { classifyError } from '../../lambda/sweep/classify.js';

const withCode = (code: string, name = 'Error') => Object.assign(new Error(code), { code, name });

describe('classifyError', () => {
  it.each([
    [withCode('UND_ERR_CONNECT_TIMEOUT'), 'timeout'],
    [withCode('UND_ERR_HEADERS_TIMEOUT'), 'timeout'],
    [withCode('UND_ERR_BODY_TIMEOUT'), 'timeout'],
    [withCode('ECONNREFUSED'), 'connection'],
    [withCode('ECONNRESET'), 'connection'],
    [withCode('UND_ERR_SOCKET'), 'connection'],
    [withCode('ENOTFOUND'), 'dns'],
    [withCode('EAI_AGAIN'), 'dns'],
    [withCode('CERT_HAS_EXPIRED'), 'tls'],
    [withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls'],
    [withCode('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
    [withCode('HPE_INVALID_CONSTANT'), 'protocol'],
    [Object.assign(new Error('bad'), { name: 'HTTPParserError' }), 'protocol'],
    [withCode('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), 'protocol'],
    [new Error('fetch failed', { cause: withCode('ECONNREFUSED') }), 'connection'],
    [withCode('ERR_HTTP2_SESSION_ERROR'), 'connection'],
    [Object.assign(withCode('ERR_HTTP2_STREAM_ERROR'), { http2ErrorCode: 7 }), 'connection'],
    [Object.assign(withCode('ERR_HTTP2_STREAM_ERROR'), { http2ErrorCode: 2 }), 'connection'],
    [Object.assign(withCode('ERR_HTTP2_STREAM_ERROR'), { http2ErrorCode: 1 }), 'protocol'],
    [new Error('mystery'), 'other'],
    ['not even an error', 'other'],
  ])('classifies %o as %s', (error, kind) => {
    expect(classifyError(error)).toBe(kind);
  });
});
