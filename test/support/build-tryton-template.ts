/** Builds the Tryton template database the live suites copy (`.ci/run` calls it before the tests). */
import { hasTryton, trytonTemplate } from './tryton-server.ts';

if (!hasTryton) {
  console.error('trytond is not installed');
  process.exit(1);
}
const started = Date.now();
const file = await trytonTemplate();
console.log(`Tryton template ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${file}`);
