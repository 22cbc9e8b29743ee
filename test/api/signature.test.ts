import { describe, expect, it } from 'vitest';
import { secretsFor, sign, signatureHeader, verifySignature } from '../../api/signature.ts';
import { KEYS } from './fake-takt.ts';
import { bearer, event, testApp } from './helpers.ts';

const SECRET = 'erp-webhook-secret';
const NOW_MS = Date.parse('2026-11-23T07:00:00Z');
const NOW_S = NOW_MS / 1000;

describe('verifySignature', () => {
  const body = Buffer.from('{"events":[]}');

  it('accepts a fresh signature over the exact body', () => {
    expect(verifySignature(signatureHeader(SECRET, NOW_S, body), body, [SECRET], NOW_S)).toEqual({ ok: true });
  });

  it('accepts any v1 entry matching any secret (rotation)', () => {
    const header = `t=${NOW_S},v1=${'0'.repeat(64)},v1=${sign('new-secret', NOW_S, body)}`;
    expect(verifySignature(header, body, ['old-secret', 'new-secret'], NOW_S).ok).toBe(true);
  });

  it.each([
    ['a changed body', signatureHeader(SECRET, NOW_S, '{"events":[1]}'), 'signature does not match'],
    ['another secret', signatureHeader('other', NOW_S, body), 'signature does not match'],
    ['a stale timestamp', signatureHeader(SECRET, NOW_S - 301, body), 'signature timestamp outside the 5 minute tolerance'],
    ['a future timestamp', signatureHeader(SECRET, NOW_S + 301, body), 'signature timestamp outside the 5 minute tolerance'],
    ['no timestamp', `v1=${sign(SECRET, NOW_S, body)}`, 'malformed X-Takt-Signature header'],
    ['garbage', 'hello', 'malformed X-Takt-Signature header'],
    ['no header', undefined, 'missing X-Takt-Signature header'],
  ])('refuses %s', (_name, header, reason) => {
    expect(verifySignature(header, body, [SECRET], NOW_S)).toEqual({ ok: false, reason });
  });

  it('accepts a signature exactly at the tolerance edge', () => {
    expect(verifySignature(signatureHeader(SECRET, NOW_S - 300, body), body, [SECRET], NOW_S).ok).toBe(true);
  });

  it('binds only the secrets of the key’s own sources', () => {
    const secrets = { erp: 'e', mes: 'm' };
    expect(secretsFor({ keyId: '1', name: 'x', scopes: ['erp', 'wms'], plants: null }, secrets)).toEqual(['e']);
    expect(secretsFor({ keyId: '2', name: 'x', scopes: ['admin'], plants: null }, secrets)).toEqual([]);
  });
});

describe('signed webhooks on POST /v1/events', () => {
  const payload = JSON.stringify({ events: [event()] });
  const signedApp = () => testApp({ webhookSecrets: { erp: SECRET }, clock: () => NOW_MS });
  const send = (headers: Record<string, string>, body: string = payload, key: string = KEYS.erp) => ({
    method: 'POST' as const,
    url: '/v1/events',
    headers: { ...bearer(key), 'content-type': 'application/json', ...headers },
    payload: body,
  });

  it('accepts a good signature', async () => {
    const { app, takt } = await signedApp();
    const res = await app.inject(send({ 'x-takt-signature': signatureHeader(SECRET, NOW_S - 10, payload) }));
    expect(res.statusCode).toBe(202);
    expect(takt.ingested).toHaveLength(1);
  });

  it.each([
    ['bad', signatureHeader('wrong', NOW_S, payload)],
    ['stale', signatureHeader(SECRET, NOW_S - 360, payload)],
  ])('refuses a %s signature with 401 bad_signature', async (_name, header) => {
    const { app, takt } = await signedApp();
    const res = await app.inject(send({ 'x-takt-signature': header }));
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'bad_signature', field: 'headers.x-takt-signature' });
    expect(takt.ingested).toEqual([]);
  });

  it('refuses a missing signature', async () => {
    const { app } = await signedApp();
    const res = await app.inject(send({}));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('bad_signature');
  });

  it('verifies before parsing: a bad signature on malformed JSON is bad_signature, not invalid_json', async () => {
    const { app } = await signedApp();
    const res = await app.inject(send({ 'x-takt-signature': signatureHeader('wrong', NOW_S, '{oops') }, '{oops'));
    expect(res.json().error.code).toBe('bad_signature');
    const signed = await app.inject(send({ 'x-takt-signature': signatureHeader(SECRET, NOW_S, '{oops') }, '{oops'));
    expect(signed.statusCode).toBe(400);
    expect(signed.json().error.code).toBe('invalid_json');
  });

  it('signs over the raw bytes: re-serialised JSON does not verify', async () => {
    const { app } = await signedApp();
    const spaced = JSON.stringify(JSON.parse(payload), null, 2);
    const res = await app.inject(send({ 'x-takt-signature': signatureHeader(SECRET, NOW_S, payload) }, spaced));
    expect(res.statusCode).toBe(401);
  });

  it('lets keys of sources without a secret send unsigned', async () => {
    const { app } = await signedApp();
    const wms = JSON.stringify({ events: [event({ source: 'wms', type: 'lot.upserted', data: { id: 'L1' } })] });
    const res = await app.inject(send({}, wms, KEYS.wms));
    expect(res.statusCode).toBe(202);
  });
});
