import { AsyncTaskError, hasMarker, type AsyncTaskErrorOptions } from './async-task-error.js';

/** A typed SDK error class: `new X(options)` and a cross-copy `X.isInstance(error)`. */
export interface AsyncTaskErrorClass<N extends string> {
  new (options: AsyncTaskErrorOptions): AsyncTaskError & { readonly name: N };
  isInstance(error: unknown): error is AsyncTaskError & { readonly name: N };
}

/**
 * Makes one error class with its own `Symbol.for` marker. A factory rather than five hand-written
 * subclasses keeps the bundle small; each class still lives in its own file with its own docs.
 */
export function defineError<N extends string>(name: N, retryableByDefault: (status: number) => boolean): AsyncTaskErrorClass<N> {
  const marker = `app.async-tasks.error.${name}`;
  return class extends AsyncTaskError {
    constructor(options: AsyncTaskErrorOptions) {
      super({ retryable: retryableByDefault(options.status ?? 0), ...options });
      this.name = name;
      (this as unknown as Record<symbol, boolean>)[Symbol.for(marker)] = true;
    }

    static override isInstance(error: unknown): error is AsyncTaskError & { readonly name: N } {
      return hasMarker(error, marker);
    }
  } as unknown as AsyncTaskErrorClass<N>;
}
