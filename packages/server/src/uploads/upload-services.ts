import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { ServerDatabase } from '../db/types.js';
import { createLogger } from '../logger.js';
import { createUploadCleanup, type UploadCleanup } from './upload-cleanup.js';
import { type UploadStorage, uploadStorage } from './upload-storage.js';
import { createUploadUrls, type UploadUrls } from './upload-urls.js';

/** What the routes, the runner and the dispatcher share about uploads. */
export interface UploadServices {
  storage: UploadStorage;
  urls: UploadUrls;
  /** Deletes what is left of deleted uploads (bucket objects) and uploads never attached. */
  cleanup: UploadCleanup;
}

/** `visitorKey`: the secret the visitor tokens are signed with; the read URLs of visitors are keyed with it too. */
export function createUploadServices({
  config,
  db,
  visitorKey,
  logger = createLogger('silent'),
  now = Date.now,
}: {
  config: Config;
  db: ServerDatabase;
  visitorKey: string;
  logger?: Logger;
  now?: () => number;
}): UploadServices {
  const storage = uploadStorage(config.uploads);
  return {
    storage,
    urls: createUploadUrls({ visitorKey, workerKey: config.webhookSecret, ttlSeconds: config.uploads.urlTtlSeconds, now }),
    cleanup: createUploadCleanup({ db, storage, logger }),
  };
}
