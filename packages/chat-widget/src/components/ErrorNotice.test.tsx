import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { en } from '../i18n/strings.js';
import { describeError } from './describe-error.js';
import { ErrorNotice } from './ErrorNotice.js';

describe('ErrorNotice', () => {
  it('shows the reason and retries', () => {
    const onRetry = vi.fn();
    render(<ErrorNotice message="It failed." retryLabel="Retry" onRetry={onRetry} />);
    expect(screen.getByRole('alert').textContent).toContain('It failed.');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });
});

describe('describeError', () => {
  it('turns error codes into human-readable reasons', () => {
    expect(describeError({ code: 'timeout', message: 'deadline' }, en)).toBe(en.errorTimeout);
    expect(describeError({ code: 'network_error', message: 'x' }, en)).toBe(en.errorOffline);
    expect(describeError({ code: 'llm_error', message: '502 from upstream' }, en)).toBe(en.errorFailed);
    expect(describeError(null, en)).toBe(en.errorGeneric);
  });
});
