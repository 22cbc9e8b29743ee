/** An environment variable's value, trimmed; unset and blank are the same: not given. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
