import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportedEntries, fixture, installPacked, type PackedInstall } from './packed-install.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
const entries = exportedEntries(manifest.exports);
const absent = { window: 'undefined', document: 'undefined', localStorage: 'undefined', BroadcastChannel: 'undefined' };

interface Report {
  globals: Record<string, string>;
  exports: Record<string, string[]>;
  running: string[];
}

describe('every entry of the packed package loads without browser globals (a server, an edge runtime)', () => {
  let packed: PackedInstall;
  const reports: Record<string, Report> = {};
  beforeAll(() => {
    packed = installPacked(['no-browser-globals.cjs', 'import-entries.mjs', 'import-entries.cjs'].map(fixture));
  });
  afterAll(() => packed?.remove());

  it.each(['import-entries.mjs', 'import-entries.cjs'])('%s: loads each entry and leaves nothing running', (script) => {
    const { status, stdout, stderr } = packed.node(['--require', './no-browser-globals.cjs', script, JSON.stringify(entries)]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as Report;
    reports[script] = report;
    expect(report.globals).toEqual(absent);
    expect(Object.keys(report.exports)).toEqual(entries);
    expect(report.exports['@app/async-tasks']).toEqual(
      expect.arrayContaining(['createChatSession', 'createHttpTransport', 'createTaskClient']),
    );
    expect(report.exports['@app/async-tasks/react']).toEqual(['useAsyncChat', 'useStore', 'useTask']);
    expect(report.exports['@app/async-tasks/vue']).toEqual(['useAsyncChat', 'useStore', 'useTask']);
    expect(report.running).toEqual([]); // no timer, socket or channel opened by loading
  });

  it('exports the same names to ES module and CommonJS consumers', () => {
    expect(reports['import-entries.cjs']?.exports).toEqual(reports['import-entries.mjs']?.exports);
  });
});
