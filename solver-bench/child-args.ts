/** A bench child's numeric `--name value` argument: the fallback when absent (an error without one). */
export function numberArgument(name: string, fallback?: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (value === undefined || !Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}
