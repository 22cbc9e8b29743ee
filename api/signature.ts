/**
 * Webhook signatures: `X-Takt-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * Several `v1=` entries are allowed (secret rotation); any one matching any configured secret passes.
 */
import type { Principal, Source } from '../sync/ports.ts';

// One scheme in and out: takt verifies what sources sign exactly as it signs its own webhooks.
export { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, sign, signatureHeader, verifySignature, type SignatureCheck } from '../sync/webhook-signature.ts';

export type WebhookSecrets = Partial<Readonly<Record<Source, string>>>;

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
