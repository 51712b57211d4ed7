import type { ComponentType } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Panel } from '../components/Panel.js';
import { useStore } from '../widget/use-store.js';
import type { EarlyInput } from '../widget/early-input.js';
import type { BodyProps } from '../widget/WidgetRoot.js';
import { EarlyComposer } from './EarlyComposer.js';
import type { PanelChunk } from './panel-chunk-loader.js';
import { whenIdle } from './when-idle.js';

/**
 * The script-tag bundle's body: the panel chunk's `Body` once it is here. It is asked for at once
 * when the panel is shown (inline and fullscreen mode from the start, bubble mode on open), and
 * in bubble mode fetched ahead when the browser is idle after the launcher painted (the launcher
 * also asks for it on hover and focus). Until it is here a shown panel has its message box,
 * enabled (what is typed and sent there goes to the panel when it comes), and says it is loading,
 * or if it could not be fetched, why, with Retry: never an empty panel.
 *
 * @example
 * <WidgetRoot {...props} body={lazyBody(chunk)} onLauncherIntent={chunk.load} />
 */
export function lazyBody(chunk: PanelChunk): ComponentType<BodyProps> {
  return (props: BodyProps) => <ChunkBody {...props} chunk={chunk} />;
}

/** The body of one widget: the panel chunk's once it is here, the waiting panel before. */
function ChunkBody({ chunk, ...props }: BodyProps & { chunk: PanelChunk }) {
  const { panel, status } = useStore(chunk);
  const { options, strings: s, mode, shown } = props;
  const [early] = useState<EarlyInput>(() => ({ text: '', sent: false, focused: false }));
  // A layout effect: the request starts with the first render, not a frame later.
  useLayoutEffect(() => {
    if (shown) chunk.load();
  }, [shown, chunk]);
  useEffect(() => (mode === 'bubble' ? whenIdle(chunk.load) : undefined), [mode, chunk]);

  if (panel) return <panel.Body {...props} earlyInput={early} />;
  if (!shown) return null;
  return (
    <Panel
      title={options.title ?? s.title}
      subtitle={options.subtitle}
      avatarUrl={options.avatarUrl}
      mode={mode}
      closeLabel={s.closeChat}
      onClose={props.onClose}
    >
      <div class="acw-wait">
        {status === 'failed' ? (
          <ErrorNotice message={s.loadFailed} retryLabel={s.retry} onRetry={chunk.load} />
        ) : (
          <p role="status">{s.loading}</p>
        )}
      </div>
      <EarlyComposer strings={s} maxLength={options.maxLength} input={early} />
    </Panel>
  );
}
