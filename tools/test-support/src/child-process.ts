import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

// eslint-disable-next-line no-control-regex
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
const ANSI_ESCAPES = /\u001b\[[0-9;]*[A-Za-z]/g;

export interface StartedProcess {
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/**
 * Starts a long-running process and resolves once a line of its output matches `ready`.
 * Rejects with the collected output if it exits first or `timeoutMs` passes.
 */
export function startProcess(
  command: string,
  args: string[],
  { ready, timeoutMs = 60_000, ...options }: SpawnOptions & { ready: RegExp; timeoutMs?: number },
): Promise<StartedProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killTimer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(new Error(`${command} was not ready after ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      // Colour codes (forced on by some parents, e.g. FORCE_COLOR) would split the text `ready` looks for.
      log += chunk.toString().replace(ANSI_ESCAPES, '');
      if (ready.test(log)) {
        clearTimeout(timer);
        resolve({ child, output: () => log, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${log}`));
    });
  });
}
