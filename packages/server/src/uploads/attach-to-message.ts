import type { UploadConfig } from './upload-config.js';
import { ApiError } from '../http/api-error.js';
import type { Queryable } from '../db/types.js';
import { attachUploads } from './upload-queries.js';

/**
 * Links the visitor's uploads to the message just stored, in the send's transaction (so a
 * worker that claims the reply sees them). A repeated send with the same ids changes nothing;
 * another visitor's or an unknown id is a 404 and nothing of the send is kept.
 */
export async function attachToMessage(tx: Queryable, messageId: string, uploadIds: string[] | undefined, config: UploadConfig) {
  if (!uploadIds || uploadIds.length === 0) return;
  if (!config.enabled) throw new ApiError(400, 'invalid_input', 'attachmentIds: attachments are turned off on this server');
  if (uploadIds.length > config.maxFilesPerMessage) {
    throw new ApiError(
      400,
      'invalid_input',
      `attachmentIds: at most ${config.maxFilesPerMessage} files on one message (UPLOAD_MAX_FILES_PER_MESSAGE)`,
    );
  }
  await attachUploads(tx, messageId, uploadIds, config.maxFilesPerMessage);
}
