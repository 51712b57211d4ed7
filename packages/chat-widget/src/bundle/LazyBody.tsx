import type { ComponentType } from 'preact';
import { useEffect, useLayoutEffect } from 'preact/hooks';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Panel } from '../components/Panel.js';
import { useStore } from '../widget/use-store.js';
import type { BodyProps } from '../widget/WidgetRoot.js';
import type { PanelChunk } from './panel-chunk-loader.js';
import { whenIdle } from './when-idle.js';

/**
 * The script-tag bundle's body: the panel chunk's `Body` once it is here. It is asked for at once
 * when the panel is shown (inline and fullscreen mode from the start, bubble mode on open), and
 * in bubble mode fetched ahead when the browser is idle after the launcher painted (the launcher
 * also asks for it on hover and focus). Until it is here a shown panel says it is loading, and if
 * it could not be fetched, why, with Retry: never an empty panel.
 *
 * @example
 * <WidgetRoot {...props} body={lazyBody(chunk)} onLauncherIntent={chunk.load} />
 */
export function lazyBody(chunk: PanelChunk): ComponentType<BodyProps> {
  return function LazyBody(props: BodyProps) {
    const { panel, status } = useStore(chunk);
    const { options, strings: s, mode, shown } = props;
    // A layout effect: the request starts with the first render, not a frame later.
    useLayoutEffect(() => {
      if (shown) chunk.load();
    }, [shown]);
    useEffect(() => (mode === 'bubble' ? whenIdle(chunk.load) : undefined), [mode]);

    if (panel) return <panel.Body {...props} />;
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
      </Panel>
    );
  };
}
