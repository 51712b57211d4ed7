/** Whatever was thrown, as an `Error` (failures become state, and state holds errors). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
