/**
 * A small Prometheus registry for the core's counters and gauges (events by outcome, plan runs,
 * backlog), rendered in the text exposition format next to the API's HTTP metrics.
 */
export type Labels = Readonly<Record<string, string>>;

export function promLabels(pairs: Labels): string {
  const entries = Object.entries(pairs);
  if (entries.length === 0) return '';
  const escape = (v: string): string => v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
  return `{${entries.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
}

class Series {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(readonly name: string, readonly help: string, readonly type: 'counter' | 'gauge') {}

  protected update(labels: Labels, f: (old: number) => number): void {
    const key = promLabels(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value = f(entry.value);
    this.values.set(key, entry);
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${promLabels(labels)} ${value}`);
    return lines;
  }
}

export class Counter extends Series {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }

  inc(labels: Labels = {}, by = 1): void {
    this.update(labels, (old) => old + by);
  }
}

export class Gauge extends Series {
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }

  set(value: number, labels: Labels = {}): void {
    this.update(labels, () => value);
  }
}

export class CoreMetrics {
  readonly events = new Counter('takt_events_total', 'Inbound events by outcome (accepted, duplicate, stale, rejected).');
  readonly planRuns = new Counter('takt_plan_runs_total', 'Committed schedule versions.');
  readonly lastSolveMs = new Gauge('takt_last_solve_milliseconds', 'Solver time of the last plan run, by plant.');
  readonly outboxBacklog = new Gauge('takt_outbox_backlog', 'Write-backs not yet delivered.');
  readonly outboxBacklogAge = new Gauge('takt_outbox_backlog_age_seconds', 'How long the oldest undelivered write-back has waited.');
  readonly circuitOpen = new Gauge('takt_erp_circuit_open', '1 while an ERP connection is not answering (its circuit open), by connection.');
  readonly deadLetters = new Gauge('takt_dead_letters', 'Write-backs that failed for good and wait for a replay.');
  readonly dirty = new Gauge('takt_plant_dirty', '1 when a plant has changes not yet planned.');

  render(): string {
    return `${[this.events, this.planRuns, this.lastSolveMs, this.outboxBacklog, this.outboxBacklogAge, this.circuitOpen, this.deadLetters, this.dirty].flatMap((s) => s.render()).join('\n')}\n`;
  }
}
