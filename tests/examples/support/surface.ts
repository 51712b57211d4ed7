import type { Locator, Page } from 'playwright-core';

/** One page of an example where a visitor chats: the widget, or a host's own UI on the SDK. */
export interface Surface {
  /** Short name used in test titles and artifact names, e.g. `react-widget`. */
  name: string;
  /** Path on the example's web server, e.g. `/#/custom`. */
  path: string;
  /** The `<async-chat>` widget (bubble mode: a launcher opens it) rather than a host-built UI. */
  widget: boolean;
  /** What the surface shows under a message that waits for the network. */
  queuedLabel: RegExp;
  /** The notice shown while the device is offline. */
  offlineNotice: RegExp;
}

/** The server's own status messages (the in-process runner, same as the n8n workflow). */
export const SERVER_STATUS = /Reading the conversation…|AI is thinking…/;

export const messageBox = (page: Page): Locator => page.getByRole('textbox', { name: /^message$/i });
export const conversationLog = (page: Page): Locator => page.getByRole('log');
export const statusIndicator = (page: Page): Locator => page.getByRole('status').filter({ hasText: SERVER_STATUS });
export const retryButton = (page: Page): Locator => page.getByRole('alert').getByRole('button', { name: /^retry$/i });

/** Goes to the surface and opens the chat (the launcher, for the widget) until the message box shows. */
export async function openChat(page: Page, baseUrl: string, surface: Surface): Promise<void> {
  await page.goto(baseUrl + surface.path);
  if (surface.widget) {
    // "Close chat" when the panel was open before a reload: the widget opens it again by itself.
    const launcher = page.getByRole('button', { name: /open chat|close chat/i }).last();
    await launcher.waitFor({ timeout: 60_000 }).catch(async (error: Error) => {
      // Say what the page had, so a slow or failed bundle load is told apart from a render bug.
      const state = await page.evaluate(() => ({
        readyState: document.readyState,
        asyncChatApi: 'AsyncChat' in window,
        elements: [...document.querySelectorAll('async-chat')].map((el) => el.shadowRoot?.innerHTML.slice(0, 200) ?? 'no shadow root'),
        scripts: performance.getEntriesByType('resource').map((e) => `${e.name} ${Math.round(e.duration)} ms`),
      }));
      throw new Error(`${error.message}\npage state: ${JSON.stringify(state)}`);
    });
    if (/open chat/i.test((await launcher.getAttribute('aria-label')) ?? '')) await launcher.click();
  }
  await messageBox(page).waitFor();
}

/** Types a message and sends it with Enter, as a visitor would. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await messageBox(page).fill(text);
  await messageBox(page).press('Enter');
}

/**
 * Records every distinct text of a `role=status` region (shadow roots included) as it changes,
 * so a test can tell which live status messages were shown. Read with {@link shownStatuses}.
 */
export async function recordStatuses(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __statuses: string[] }).__statuses = seen;
    const collect = (root: Document | ShadowRoot): string[] => {
      const texts = [...root.querySelectorAll('[role=status]')].map((el) => (el.textContent ?? '').trim()).filter(Boolean);
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) texts.push(...collect(el.shadowRoot));
      return texts;
    };
    setInterval(() => {
      for (const text of collect(document)) if (seen.at(-1) !== text && !seen.includes(text)) seen.push(text);
    }, 20);
  });
}

export const shownStatuses = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { __statuses?: string[] }).__statuses ?? []);
