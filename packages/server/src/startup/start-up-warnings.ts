import type { Config } from '../config.js';
import { databaseTarget } from './database-url.js';

/** A setting that works but will not do what the operator wants; logged at warn at start. */
export interface StartUpWarning {
  /** The variable to change. */
  variable: string;
  message: string;
}

/**
 * The combinations of settings the server starts with but that cannot work as meant, each with
 * what to set instead.
 *
 * @example
 * for (const w of startUpWarnings(config)) logger.warn({ variable: w.variable }, w.message);
 */
export function startUpWarnings(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'n8nWebhookUrl'>): StartUpWarning[] {
  const warnings: StartUpWarning[] = [];
  if (config.n8nWebhookUrl && !config.databaseUrl) {
    warnings.push({
      variable: 'DATABASE_URL',
      message:
        `N8N_WEBHOOK_URL is set but the database is the embedded PGlite in ${config.dataDir}, which n8n cannot reach: ` +
        'the workflow reads the conversation and reports through the database, so every reply would fail or time out. ' +
        'Set DATABASE_URL to a PostgreSQL that both this server and n8n reach (or unset N8N_WEBHOOK_URL to use the built-in runner).',
    });
  }
  if (config.databaseUrl && databaseTarget(config.databaseUrl).transactionPooler) {
    warnings.push({
      variable: 'DATABASE_URL',
      message:
        `DATABASE_URL looks like a transaction-mode pooler (${databaseTarget(config.databaseUrl).address}; port 6543 or pgbouncer=true): ` +
        'the server keeps one LISTEN connection that turns database notifications into live streams, and a transaction-mode ' +
        'pooler hands that connection to another client after each transaction, so streams and the runner would not see changes. ' +
        "Use a session-mode connection: Supabase's session pooler (port 5432) or the direct connection.",
    });
  }
  return warnings;
}
