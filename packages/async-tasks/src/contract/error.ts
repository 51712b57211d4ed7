/**
 * The `code` of an error answer; clients branch on it.
 *
 * @example
 * if (error.code === ('rate_limited' satisfies ErrorCode)) showSlowDown();
 */
export type ErrorCode =
  | 'invalid_input'
  | 'malformed_json'
  | 'bad_request'
  | 'unauthorized'
  | 'invalid_token'
  | 'invalid_refresh_token'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'too_many_streams'
  | 'invalid_signature'
  | 'replayed'
  | 'database_unavailable'
  | 'not_ready'
  | 'internal';

/**
 * Every error answer of the HTTP API has this body.
 *
 * @example
 * const body: ErrorBody = { error: { code: 'not_found', message: 'task not found' } };
 */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}
