import { CustomChatPage } from './CustomChatPage';
import { WidgetPage } from './WidgetPage';
import { useHashRoute } from './use-hash-route';

export function App() {
  const route = useHashRoute();
  return (
    <>
      <header className="site-header">
        <strong>
          Acme Plants <small>· React example</small>
        </strong>
        <nav aria-label="Example pages">
          <a href="#/" aria-current={route === '/' ? 'page' : undefined}>
            Widget
          </a>
          <a href="#/custom" aria-current={route === '/custom' ? 'page' : undefined}>
            Custom UI (useAsyncChat)
          </a>
        </nav>
      </header>
      {route === '/custom' ? <CustomChatPage /> : <WidgetPage />}
    </>
  );
}
