// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, installPacked, type PackedInstall, tool } from './packed-install.js';

/**
 * The packed widget in strict consumer projects (skipLibCheck off), with no declarations of their
 * own: a React 19 TSX file (module nodenext), a Vue SFC checked by vue-tsc, and a CommonJS
 * project under module node16. Each uses <async-chat>, its typed events and a wrong value the
 * types must reject (`@ts-expect-error` fails the build when the types accept it).
 */
describe('the packed widget compiles in strict consumer projects', () => {
  let packed: PackedInstall;
  beforeAll(() => {
    packed = installPacked([fixture('consumers')]);
  });
  afterAll(() => packed?.remove());

  const projects = [
    { name: 'react (TSX, nodenext)', compiler: 'typescript/bin/tsc', project: 'consumers/react' },
    { name: 'vue (SFC, vue-tsc)', compiler: 'vue-tsc/bin/vue-tsc.js', project: 'consumers/vue' },
    { name: 'commonjs (node16)', compiler: 'typescript/bin/tsc', project: 'consumers/cjs' },
  ];
  it.each(projects)('$name', { timeout: 120_000 }, ({ compiler, project }) => {
    const { status, stdout, stderr } = packed.node([tool(compiler), '-p', `${project}/tsconfig.json`]);
    expect(stdout + stderr).toBe(''); // the compiler prints every error it finds
    expect(status).toBe(0);
  });
});
