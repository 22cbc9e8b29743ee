/**
 * The search's only source of randomness, so a seed and an iteration budget always give the
 * same schedule. The seed is scrambled so that small seeds start far apart.
 */
import { Mulberry32 } from '../random.ts';

export class SearchRandom extends Mulberry32 {
  constructor(seed: number) {
    super((seed ^ 0x9e3779b9) >>> 0);
  }

  /** Integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}
