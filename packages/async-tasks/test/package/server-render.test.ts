import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, installPacked, type PackedInstall } from './packed-install.js';

describe('server rendering with the packed bindings (React renderToString, Vue renderToString)', () => {
  let packed: PackedInstall;
  beforeAll(() => {
    packed = installPacked([fixture('render-on-server.mjs')]);
  });
  afterAll(() => packed?.remove());

  it('renders a neutral state, makes no request, leaves nothing open, and the process ends by itself', () => {
    // spawnSync returns only once the process has ended: an open BroadcastChannel would keep it
    // running (and the test would time out); `running` names what is still open after the render.
    const { status, stdout, stderr } = packed.node(['render-on-server.mjs']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      html: { react: '<p>pending connecting / connecting</p>', vue: '<p>pending connecting / connecting</p>' },
      requests: [],
      running: [],
    });
  });
});
