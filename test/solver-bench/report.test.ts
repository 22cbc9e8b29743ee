import { describe, expect, it } from 'vitest';
import { logLogSlope } from '../../solver-bench/plants.ts';
import { barChart, logLogChart } from '../../solver-bench/svg.ts';

describe('logLogSlope', () => {
  it('recovers the exponent of a power law', () => {
    const points = [1000, 10_000, 100_000].map((x) => ({ x, y: 3 * x ** 1.5 }));
    expect(logLogSlope(points)).toBeCloseTo(1.5, 10);
  });

  it('needs two usable points', () => {
    expect(logLogSlope([{ x: 1000, y: 5 }])).toBeNull();
    expect(logLogSlope([{ x: 1000, y: 5 }, { x: 10_000, y: 0 }])).toBeNull();
  });
});

describe('svg charts', () => {
  it('draws one bar per instance and marks missing answers', () => {
    const svg = barChart([{ label: 'la01', value: 2 }, { label: 'la02', value: null }], 'gap', '%');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(1);
    expect(svg).toContain('×');
    expect(svg).toContain('la02');
  });

  it('spans whole decades on both log axes', () => {
    const svg = logLogChart([{ name: 'constructive', points: [{ x: 1000, y: 40 }, { x: 100_000, y: 9000 }] }], 't', 'ops', 'ms');
    expect(svg).toContain('>1e3<');
    expect(svg).toContain('>1e5<');
    expect(svg).toContain('>1e1<');
    expect(svg).toContain('>1e4<');
    expect(svg.match(/<circle/g)).toHaveLength(2);
  });
});
