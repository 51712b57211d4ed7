import type { ComponentType } from 'preact';
import type { BodyProps } from '../widget/WidgetRoot.js';

// The one module both chunks of the script-tag bundle contain: how the first chunk hands its
// runtime to the panel chunk and gets the panel back. The handoff rides on the panel's own
// <script> element, so no global is needed and two copies of the widget on a page never mix.

/** The property of the panel's `<script>` element that holds the {@link PanelHandoff}. */
export const HANDOFF = Symbol.for('@app/chat-widget/panel');

/** What the panel chunk provides: the body that holds the conversation. */
export interface PanelExports {
  Body: ComponentType<BodyProps>;
}

/** What the first chunk puts on the panel's `<script>` element before adding it to the page. */
export interface PanelHandoff {
  /** The version of the first chunk; the panel refuses to run beside another one. */
  version: string;
  /** The shared modules (build/panel-split.ts `SHARED_MODULES`), by module, by export name. */
  runtime: Record<string, Record<string, unknown>>;
  provide: (panel: PanelExports) => void;
}

export type HandoffScript = HTMLScriptElement & { [HANDOFF]?: PanelHandoff };
