import { ApiError } from './api-error.js';

interface PgErrorLike {
  code?: unknown;
  message?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

/** Finds a PostgreSQL error (with a SQLSTATE `code`) in `error` or its `cause` chain. */
function findPgError(error: unknown): PgErrorLike | null {
  for (let e = error as PgErrorLike | undefined, depth = 0; e && depth < 5; e = e.cause as PgErrorLike, depth++) {
    if (typeof e === 'object' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e;
  }
  return null;
}

/**
 * Maps an error raised by the database functions to the API error the client should see, or
 * returns null when it is not a database error we expect (a real 500).
 *
 * @example
 * catch (e) { throw toApiError(e) ?? e }
 */
export function databaseErrorToApiError(error: unknown): ApiError | null {
  const pg = findPgError(error);
  if (!pg) return null;
  const message = typeof pg.message === 'string' ? pg.message : 'database error';
  const constraint = typeof pg.constraint === 'string' ? pg.constraint : '';
  const code = pg.code as string;
  switch (code) {
    case 'P0002': // no_data_found: unknown or foreign id, same answer for both
      return new ApiError(404, 'not_found', message, {}, { cause: error });
    case '42501': // insufficient_privilege
      return new ApiError(403, 'forbidden', 'not allowed', {}, { cause: error });
    case '23505': // unique_violation
      return new ApiError(409, 'conflict', message, {}, { cause: error });
    case '23514': // check_violation: the constraint names say what the limit is
      if (/size|bytes/i.test(constraint)) return new ApiError(413, 'payload_too_large', message, {}, { cause: error });
      return new ApiError(400, 'invalid_input', message, {}, { cause: error });
    case '54000': // program_limit_exceeded
      return new ApiError(413, 'payload_too_large', message, {}, { cause: error });
    case '22001': // string_data_right_truncation: the functions use it for "too large"
      return new ApiError(413, 'payload_too_large', message, {}, { cause: error });
    case '22P02': // invalid_text_representation
    case '22023': // invalid_parameter_value
    case '22004': // null_value_not_allowed
    case '23502': // not_null_violation
    case '22003': // numeric_value_out_of_range
    case 'P0001': // raise_exception from a function's own validation
      return new ApiError(400, 'invalid_input', message, {}, { cause: error });
    case '55000': // object_not_in_prerequisite_state: e.g. an action the task's state forbids
      return new ApiError(409, 'invalid_state', message, {}, { cause: error });
    // The HTTP layer refuses these inputs first (storable-json.ts); the database's own refusal
    // stays a 4xx too, for any path that reaches it another way.
    case '22021': // character_not_in_repertoire: a NUL byte in text
      return new ApiError(400, 'invalid_input', 'text must not contain the NUL character (\\u0000)', {}, { cause: error });
    case '22P05': // untranslatable_character: \u0000 (or an unpaired surrogate escape) in jsonb
      return new ApiError(400, 'invalid_input', `JSON text the database cannot store: ${message}`, {}, { cause: error });
    case '54001': // statement_too_complex: "stack depth limit exceeded", a value nested too deep
      return new ApiError(400, 'invalid_input', 'the value nests too deep for the database', {}, { cause: error });
    default:
      // Any other data exception (class 22: a value the type refuses) is the input's fault; any
      // other program limit (class 54) is its size.
      if (code.startsWith('22')) return new ApiError(400, 'invalid_input', message, {}, { cause: error });
      if (code.startsWith('54')) return new ApiError(413, 'payload_too_large', message, {}, { cause: error });
      return null;
  }
}
