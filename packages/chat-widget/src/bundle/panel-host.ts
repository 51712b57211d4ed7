import { HANDOFF, type HandoffScript } from './handoff.js';

declare const __VERSION__: string;

// The panel chunk's side of the handoff, run before any of its other modules: every shared module
// reads `runtime` (build/panel-split.ts). The script element is the one the first chunk made.
const handoff = (document.currentScript as HandoffScript | null)?.[HANDOFF];
if (!handoff) throw new Error('chat-widget-panel.js is loaded by chat-widget.js, not by a script tag of its own.');
if (handoff.version !== __VERSION__) {
  throw new Error(
    `chat-widget-panel.js ${__VERSION__} cannot run beside chat-widget.js ${handoff.version}: serve both files of one build.`,
  );
}

/** The first chunk's copies of the shared modules. */
export const runtime = handoff.runtime;
/** Hands the panel to the first chunk. */
export const provide = handoff.provide;
