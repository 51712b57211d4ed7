import { HANDOFF, type HandoffScript, type PanelExports, type PanelHandoff } from './handoff.js';

/** Where the panel chunk is: not asked for yet, on its way, here, or failed (offline, missing file). */
export interface PanelChunkState {
  status: 'idle' | 'loading' | 'loaded' | 'failed';
  panel?: PanelExports;
}

/** The panel chunk of the script-tag bundle, loaded once per page however many widgets it has. */
export interface PanelChunk {
  get(): PanelChunkState;
  /** Calls `listener` with the state now and after every change; returns the unsubscribe. */
  subscribe(listener: (state: PanelChunkState) => void): () => void;
  /** Starts loading unless it is loading or loaded already; after a failure, loads again. */
  load(): void;
}

export interface PanelChunkOptions {
  url: string;
  version: string;
  runtime: PanelHandoff['runtime'];
  /** The nonce of the bundle's own script, for pages whose CSP allows scripts by nonce. */
  nonce?: string;
}

/**
 * The panel chunk, fetched with a classic `<script>` from `url`: no CORS needed across origins,
 * allowed by `script-src` like the bundle itself. The chunk takes the shared runtime from its own
 * script element and hands its panel back (src/bundle/handoff.ts).
 *
 * @example
 * const chunk = createPanelChunk({ url: besideOwnScript('chat-widget-panel.js'), version, runtime });
 * chunk.load();
 */
export function createPanelChunk({ url, version, runtime, nonce }: PanelChunkOptions): PanelChunk {
  let state: PanelChunkState = { status: 'idle' };
  const listeners = new Set<(state: PanelChunkState) => void>();
  const set = (next: PanelChunkState) => {
    state = next;
    for (const listener of [...listeners]) listener(state);
  };

  const load = () => {
    if (state.status === 'loading' || state.status === 'loaded') return;
    set({ status: 'loading' });
    let panel: PanelExports | undefined;
    const script: HandoffScript = document.createElement('script');
    script[HANDOFF] = { version, runtime, provide: (provided) => (panel = provided) };
    if (nonce) script.nonce = nonce;
    // `load` fires after the chunk ran: a chunk that ran without providing its panel (another
    // version, a file that is not the chunk) has failed as surely as one that did not arrive.
    script.onload = script.onerror = () => {
      script.remove();
      set(panel ? { status: 'loaded', panel } : { status: 'failed' });
    };
    script.src = url;
    document.head.append(script);
  };

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },
    load,
  };
}
