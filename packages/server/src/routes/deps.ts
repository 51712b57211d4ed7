import type { Logger } from 'pino';
import type { AccessTokenVerifier } from '../auth/access-token-verifier.js';
import type { SessionTokens } from '../auth/session-tokens.js';
import type { Config } from '../config.js';
import type { ServerDatabase } from '../db/types.js';
import type { EventHub } from '../events/event-hub.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { RequestLimits } from '../middleware/rate-limit/request-limits.js';
import type { StreamSlots } from '../middleware/rate-limit/stream-slots.js';
import type { ExecutionStopper } from '../runner/n8n-execution-stopper.js';
import type { UploadServices } from '../uploads/upload-services.js';
import type { ReplayStore } from '../webhooks/replay-store.js';

/** What the routes need; `createApp` builds the rest from these. */
export interface RouteDeps {
  config: Config;
  db: ServerDatabase;
  hub: EventHub;
  logger: Logger;
  tokens: SessionTokens;
  verify: AccessTokenVerifier;
  replayStore: ReplayStore;
  /** Database reachable and migrations applied. */
  ready: () => Promise<boolean>;
  now: () => number;
  /** Each costly endpoint's rate limits, shared by every instance. */
  limits: RequestLimits;
  /** Caps on open SSE streams per visitor and per IP, shared by every instance. */
  streamSlots: StreamSlots;
  /** Stops a cancelled task's n8n execution when the n8n API is configured. */
  stopExecution: ExecutionStopper;
  /** This instance's counters and histograms (`GET /metrics`). */
  metrics: ServerMetrics;
  /** Where uploads are kept and how their read URLs are signed. */
  uploads: UploadServices;
}
