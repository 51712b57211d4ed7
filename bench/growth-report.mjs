// The "Growth" section of docs/benchmarks.md: the one-instance load suite
// (tests/stress/load.stress.test.ts) at several sizes in one invocation, so the curve shows.
export const GROWTH_HEADING = '## Growth';

const ms = (v) => (v == null || Number.isNaN(v) ? '—' : `${Math.round(v).toLocaleString('en')} ms`);
const p = (s, k) => (s && s.n > 0 ? ms(s[k]) : '—');

export function growthSection({ runs, date, command, machine, spreadMs }) {
  const lines = [
    GROWTH_HEADING,
    '',
    'Written by `pnpm bench` (alone: `BENCH_ONLY=growth pnpm bench`, which rewrites only this section).',
    '',
    `- Date: ${date}`,
    `- Command: ${command}`,
    `- Machine: ${machine}`,
    `- Set-up: the one-instance load suite at each size (N visitors × 3 messages spread over ~${spreadMs / 1000} s, the fake model`,
    '  answering in 50–500 ms, the runner at its default concurrency); a fresh database and server each.',
    '  *Answered per s* = messages ÷ wall time (the send window included, so at most the offered rate);',
    '  *memory per visitor* = (the server’s highest RSS − its RSS before) ÷ visitors: a visitor is a',
    '  session, an open conversation stream and its messages.',
    '',
    '| visitors | answered per s (offered) | send → first status p50 / p99 | … p99 with the stream open | DB change → client event p50 / p99 | task queued p99 | server memory per visitor | audit | 5xx answers / network errors | load average at the end |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { visitors, result: r, seconds, ok } of runs) {
    if (!r) {
      lines.push(
        `| ${visitors.toLocaleString('en')} | no result (the run ${ok ? 'reported nothing' : 'failed'} after ${seconds} s) | | | | | | | | |`,
      );
      continue;
    }
    const audit =
      r.audit.unanswered === 0 && r.audit.duplicateReplies === 0 && r.audit.stuck === 0
        ? 'every stored message answered once'
        : 'AUDIT FAILED';
    const fiveXx = Object.entries(r.statuses ?? {})
      .filter(([status]) => Number(status) >= 500)
      .map(([status, n]) => `${n.toLocaleString('en')} × ${status}`);
    const network = Object.values(r.networkErrors ?? {}).reduce((a, b) => a + b, 0);
    const errors = `${fiveXx.join(', ') || '0'} / ${network.toLocaleString('en')}${ok ? '' : ' (sends failed: the suite failed)'}`;
    lines.push(
      `| ${visitors.toLocaleString('en')} | ${(r.messages / (r.wallMs / 1000)).toFixed(1)} (${(r.messages / (r.spreadMs / 1000)).toFixed(1)}) | ${p(r.sendToFirstStatus, 'p50')} / ${p(r.sendToFirstStatus, 'p99')} | ${r.sendToFirstStatusStreamOpen ? p(r.sendToFirstStatusStreamOpen, 'p99') : '—'} | ${p(r.dbChangeToClientEvent, 'p50')} / ${p(r.dbChangeToClientEvent, 'p99')} | ${p(r.createdToStarted, 'p99')} | ${r.bytesPerVisitor == null ? '—' : `${(r.bytesPerVisitor / 1024).toFixed(1)} KB`} | ${audit} | ${errors} | ${r.load ?? '—'} |`,
    );
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}
