/** Nearest-rank percentile of `values` (0 < p ≤ 100); NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(values: number[]): Summary {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    // Not Math.max(...values): a spread of some 100,000 values overflows the call stack.
    max: values.length ? values.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY) : Number.NaN,
  };
}

export const formatSummary = (s: Summary) =>
  `n=${s.n} p50=${s.p50.toFixed(0)} ms p95=${s.p95.toFixed(0)} ms p99=${s.p99.toFixed(0)} ms max=${s.max.toFixed(0)} ms`;
