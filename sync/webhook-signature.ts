/**
 * The one webhook signing scheme, both ways: takt verifies inbound webhooks with it and signs its
 * outbound ones with it, so a receiver can check takt's deliveries with the same code a sender
 * uses to sign for takt.
 *
 *   X-Takt-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=<…>]
 *
 * Several `v1=` entries are allowed (secret rotation); any one matching any secret the verifier
 * holds passes. This mirrors api/signature.ts exactly (same header, format and tolerance); it
 * lives under sync/ so that api/signature.ts can import it (sync/ must not import api/).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-takt-signature';
/** Older (or further in the future) than this, a signature is refused as a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function sign(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The header value for `rawBody` signed with one secret. */
export function signatureHeader(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return signatureHeaderFor([secret], timestamp, rawBody);
}

/** The header value with one `v1=` per secret (current first), as sent during a rotation's overlap. */
export function signatureHeaderFor(secrets: readonly string[], timestamp: number, rawBody: Buffer | string): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${sign(secret, timestamp, rawBody)}`)].join(',');
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
