import type { Result } from '../sync/ports.ts';
import { apiErrorFromFailure } from './errors.ts';

/** The value of a core Result, or the Failure thrown as an ApiError carrying its code. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw apiErrorFromFailure(result);
  return result.value;
}
