/**
 * Property suites are reproducible: fast-check prints the seed (and path) of a failure, and
 * `TAKT_FC_SEED=<seed> [TAKT_FC_PATH=<path>] npm test -- <file>` runs them from it again.
 */
import fc from 'fast-check';

const seed = process.env.TAKT_FC_SEED;
if (seed !== undefined && seed !== '') {
  const path = process.env.TAKT_FC_PATH;
  fc.configureGlobal({ seed: Number(seed), ...(path !== undefined && path !== '' && { path }) });
}
