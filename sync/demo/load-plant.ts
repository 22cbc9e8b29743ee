/**
 * Loads a plant problem into the store through the ingestion path, as its source systems would
 * send it, and answers what was rejected (nothing, for a valid problem).
 */
import type { PlantProblem } from '../../scheduler/problem.ts';
import { ingestEvents } from '../ingest/ingest-events.ts';
import type { EventOutcome, Principal } from '../ports.ts';
import type { Db } from '../store/database.ts';
import { problemToEvents } from './problem-events.ts';

const LOADER: Principal = { keyId: 'system', name: 'plant loader', scopes: ['erp', 'wms', 'qms', 'mes'], plants: null };

export async function loadPlant(db: Db, problem: PlantProblem, at: Date, idPrefix = 'load'): Promise<readonly EventOutcome[]> {
  const report = await ingestEvents(db, problemToEvents(problem, at.toISOString(), idPrefix), LOADER);
  return report.outcomes.filter((o) => o.status === 'rejected');
}
