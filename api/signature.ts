/**
 * Webhook signatures: `X-Takt-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * Several `v1=` entries are allowed (secret rotation); any one matching any configured secret passes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Principal, Source } from '../sync/ports.ts';

export const SIGNATURE_HEADER = 'x-takt-signature';
/** Older (or further in the future) than this, a signature is refused as a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type WebhookSecrets = Partial<Readonly<Record<Source, string>>>;

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function sign(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The header value a sender would put on `rawBody` (used by tests and by senders' docs). */
export function signatureHeader(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return `t=${timestamp},v1=${sign(secret, timestamp, rawBody)}`;
}

export function verifySignature(
  header: string | undefined,
  rawBody: Buffer,
  secrets: readonly string[],
  nowSeconds: number,
): SignatureCheck {
  if (header === undefined || header === '') return { ok: false, reason: 'missing X-Takt-Signature header' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value !== undefined && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (timestamp === undefined || candidates.length === 0) return { ok: false, reason: 'malformed X-Takt-Signature header' };
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'signature timestamp outside the 5 minute tolerance' };
  }
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret, timestamp, rawBody), 'hex');
    for (const candidate of candidates) {
      if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) return { ok: true };
    }
  }
  return { ok: false, reason: 'signature does not match' };
}

/**
 * The secrets that bind a request: those of the sources the key sends for. A key whose sources
 * have no secret configured (or an admin key, which is no source) sends unsigned.
 */
export function secretsFor(principal: Principal, secrets: WebhookSecrets): readonly string[] {
  const out: string[] = [];
  for (const scope of principal.scopes) {
    if (scope === 'erp' || scope === 'wms' || scope === 'qms' || scope === 'mes') {
      const secret = secrets[scope];
      if (secret !== undefined && secret !== '') out.push(secret);
    }
  }
  return out;
}
