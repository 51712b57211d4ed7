import { render, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeSession } from '../../test/fake-session.js';
import { ChatWidget } from './ChatWidget.js';
import { hostScheme } from './host-theme.js';

const systemDark = (dark: boolean) =>
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: dark && query.includes('dark'),
    addEventListener() {},
    removeEventListener() {},
  }));

describe('theme="auto" follows the host page', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.documentElement.removeAttribute('style');
    document.documentElement.removeAttribute('class');
    document.body.removeAttribute('style');
    document.head.querySelector('meta[name="color-scheme"]')?.remove();
  });

  it('a page that declares no color-scheme is light, also when the system is dark', () => {
    systemDark(true);
    expect(hostScheme()).toBe('light');
  });

  it('by its color-scheme: dark, light, or both (then the system decides)', () => {
    systemDark(true);
    document.documentElement.style.colorScheme = 'dark';
    expect(hostScheme()).toBe('dark');
    document.documentElement.style.colorScheme = 'light';
    expect(hostScheme()).toBe('light');
    document.documentElement.style.colorScheme = 'light dark';
    expect(hostScheme()).toBe('dark');
    systemDark(false);
    expect(hostScheme()).toBe('light');
  });

  it('by its <meta name="color-scheme">, then by a dark page background', () => {
    systemDark(false);
    document.head.insertAdjacentHTML('beforeend', '<meta name="color-scheme" content="dark">');
    expect(hostScheme()).toBe('dark');
    document.head.querySelector('meta[name="color-scheme"]')!.remove();
    document.body.style.backgroundColor = 'rgb(20, 22, 25)';
    expect(hostScheme()).toBe('dark');
    document.body.style.backgroundColor = 'rgba(20, 22, 25, 0.1)';
    expect(hostScheme()).toBe('light');
  });

  it("by the site owner's selector, and changes with the page", async () => {
    systemDark(false);
    const { session } = fakeSession();
    const { container } = render(<ChatWidget session={session} mode="inline" darkSelector=".dark" />);
    const root = container.querySelector('.acw')!;
    expect(root.getAttribute('data-theme')).toBe('light');
    document.documentElement.classList.add('dark');
    await waitFor(() => expect(root.getAttribute('data-theme')).toBe('dark'));
    document.documentElement.classList.remove('dark');
    await waitFor(() => expect(root.getAttribute('data-theme')).toBe('light'));
  });

  it('an explicit theme stays as given', () => {
    systemDark(false);
    document.documentElement.style.colorScheme = 'dark';
    const { session } = fakeSession();
    const { container } = render(<ChatWidget session={session} mode="inline" theme="light" />);
    expect(container.querySelector('.acw')?.getAttribute('data-theme')).toBe('light');
  });
});
