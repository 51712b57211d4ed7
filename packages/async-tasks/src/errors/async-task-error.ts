const MARKER = 'app.async-tasks.error';
const SYMBOL = Symbol.for(MARKER);

/**
 * Options every SDK error accepts.
 *
 * @example
 * throw new NetworkError({ message: 'no answer', code: 'network', cause } satisfies AsyncTaskErrorOptions);
 */
export interface AsyncTaskErrorOptions {
  message: string;
  /** Machine-readable code, e.g. the server's `error.code`. */
  code?: string;
  /** HTTP status when the error came from a response. */
  status?: number;
  /** Whether sending the same request again later can succeed. */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * Base class of every error the SDK produces. `isInstance()` checks a `Symbol.for` marker instead of
 * the prototype chain, so it works when two copies of the package are loaded on one page.
 *
 * @example
 * if (AsyncTaskError.isInstance(error)) console.log(error.code, error.retryable);
 */
export class AsyncTaskError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read by hasMarker() through Symbol.for, across package copies
  private readonly [SYMBOL] = true;
  declare readonly code: string;
  declare readonly status: number | undefined;
  declare readonly retryable: boolean;

  constructor({ message, code = 'error', status, retryable = false, cause }: AsyncTaskErrorOptions) {
    super(message, { cause });
    Object.assign(this, { name: 'AsyncTaskError', code, status, retryable });
  }

  static isInstance(error: unknown): error is AsyncTaskError {
    return hasMarker(error, MARKER);
  }
}

/** Whether `error` carries the marker `Symbol.for(marker)`; used by every subclass's `isInstance()`. */
export function hasMarker(error: unknown, marker: string): boolean {
  const symbol = Symbol.for(marker);
  return error != null && typeof error === 'object' && symbol in error && (error as Record<symbol, unknown>)[symbol] === true;
}
