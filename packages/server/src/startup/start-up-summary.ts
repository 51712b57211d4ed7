import type { Config } from '../config.js';
import { databaseTarget } from './database-url.js';

type SummaryConfig = Pick<
  Config,
  'databaseUrl' | 'dataDir' | 'llm' | 'n8nWebhookUrl' | 'relayPublicUrl' | 'runnerConcurrency' | 'corsOrigins' | 'metrics'
>;

/** What the server runs with, as log fields (no secret: hosts, never keys, passwords or URL paths). */
export interface StartUpSummary {
  database: { engine: 'pglite'; dataDir: string } | { engine: 'postgres'; address: string; database: string };
  llm: { mode: 'demo' } | { mode: 'model'; host: string; model: string; key: boolean };
  dispatch: { mode: 'runner'; concurrency: number } | { mode: 'n8n'; webhookHost: string; relay: string };
  corsOrigins: string[];
  metrics: 'off' | 'token';
  /** The same, one line each, for a person reading the console. */
  lines: string[];
}

const hostOf = (url: string) => new URL(url).host;

/**
 * The settings an operator checks first, read from the config: which database, which model (or
 * demo mode), who does the work, which origins may call, whether metrics are served.
 *
 * @example
 * const { lines, ...fields } = startUpSummary(config);
 * logger.info(fields, 'server started');
 */
export function startUpSummary(config: SummaryConfig): StartUpSummary {
  const database: StartUpSummary['database'] = config.databaseUrl
    ? { engine: 'postgres', ...pick(databaseTarget(config.databaseUrl)) }
    : { engine: 'pglite', dataDir: config.dataDir };
  const n8n = config.n8nWebhookUrl !== null;
  // In n8n mode the workflow may bring its own key (its credential), which the relay passes on.
  const llm: StartUpSummary['llm'] =
    config.llm.apiKey || n8n
      ? { mode: 'model', host: hostOf(config.llm.baseUrl), model: config.llm.model, key: config.llm.apiKey !== null }
      : { mode: 'demo' };
  const dispatch: StartUpSummary['dispatch'] = config.n8nWebhookUrl
    ? {
        mode: 'n8n',
        webhookHost: hostOf(config.n8nWebhookUrl),
        relay: config.relayPublicUrl ? hostOf(config.relayPublicUrl) : 'this server',
      }
    : { mode: 'runner', concurrency: config.runnerConcurrency };
  const metrics = config.metrics.token ? 'token' : 'off';

  const lines = [
    database.engine === 'pglite'
      ? `database: PGlite (embedded, one process) in ${database.dataDir}`
      : `database: PostgreSQL at ${database.address}, database "${database.database}"`,
    llm.mode === 'demo'
      ? 'LLM: demo mode (no LLM_API_KEY): replies are a labelled demo text'
      : `LLM: ${llm.model} at ${llm.host}${llm.key ? '' : n8n ? " (no LLM_API_KEY: the workflow's credential is used)" : ''}`,
    dispatch.mode === 'runner'
      ? dispatch.concurrency > 0
        ? `replies: built-in runner, up to ${dispatch.concurrency} at a time`
        : 'replies: none on this instance (RUNNER_CONCURRENCY=0)'
      : `replies: n8n at ${dispatch.webhookHost}, LLM relay reached at ${dispatch.relay}`,
    `origins: ${config.corsOrigins.length ? config.corsOrigins.join(', ') : 'none besides this server (CORS_ORIGINS)'}`,
    `metrics: ${metrics === 'token' ? 'GET /metrics with the METRICS_TOKEN bearer token' : 'off (set METRICS_TOKEN)'}`,
  ];
  return { database, llm, dispatch, corsOrigins: config.corsOrigins, metrics, lines };
}

function pick({ address, database }: { address: string; database: string }) {
  return { address, database };
}
