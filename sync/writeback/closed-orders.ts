/** Orders takt never writes back to: the ERP has closed, cancelled or locked them. */

const CLOSED = new Set([
  'completed', 'closed', 'cancelled', 'canceled', 'locked', 'done', 'cancel', 'technically_completed', 'deleted',
]);

export function isClosedForWriteback(status: string | null | undefined): boolean {
  return status !== null && status !== undefined && CLOSED.has(status.trim().toLowerCase());
}
