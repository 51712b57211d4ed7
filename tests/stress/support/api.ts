/** Raw HTTP calls to a server, for the hostile-input suites (no SDK in between). */
export interface Api {
  baseUrl: string;
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: string; json?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; text: string; json: any }>;
  visitor(): Promise<{ token: string; userId: string }>;
}

export function api(baseUrl: string): Api {
  const call: Api['call'] = async (method, path, { token, body, json, headers = {} } = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(json !== undefined || body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : body !== undefined ? { body } : {}),
    });
    // A stream never ends by itself: only its status and headers matter here.
    const isStream = res.headers.get('content-type')?.includes('text/event-stream') ?? false;
    if (isStream) await res.body?.cancel();
    const text = isStream ? '' : await res.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    return { status: res.status, text, json: parsed };
  };
  return {
    baseUrl,
    call,
    visitor: async () => {
      const { status, json } = await call('POST', '/api/session', { json: {} });
      if (status !== 201) throw new Error(`session: ${status}`);
      return { token: json.accessToken, userId: json.userId };
    },
  };
}

/** The contract's error shape: `{ error: { code: snake_case, message: non-empty } }`. */
export const isErrorBody = (body: any) =>
  body !== null &&
  typeof body === 'object' &&
  typeof body.error?.code === 'string' &&
  /^[a-z_]+$/.test(body.error.code) &&
  typeof body.error.message === 'string' &&
  body.error.message.length > 0;
