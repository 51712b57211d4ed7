/** The bearer token the stress suites start their server processes with (`METRICS_TOKEN`). */
export const METRICS_TOKEN = 'stress-metrics-token-0123456789abcdef0123';

/** One scrape of a server's `/metrics`: each named sample's value (NaN when it is missing). */
export async function scrapeMetrics(baseUrl: string): Promise<(name: string) => number> {
  const text = await (await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return (name) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
}
