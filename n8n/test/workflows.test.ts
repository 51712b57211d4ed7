import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ids, workflows } from '../scripts/build-workflows.mjs';
import { fillCredentials } from '../scripts/setup.mjs';

interface WorkflowNode {
  name: string;
  type: string;
  onError?: string;
  credentials?: Record<string, { id: string; name: string }>;
  parameters: Record<string, unknown>;
}
interface Workflow {
  id: string;
  nodes: WorkflowNode[];
  connections: Record<string, { main: Array<Array<{ node: string }>> }>;
  settings: Record<string, unknown>;
}

const read = (file: string): Workflow => JSON.parse(readFileSync(new URL(`../workflows/${file}`, import.meta.url), 'utf8'));
const chatReply = read('chat-reply.json');
const errorHandler = read('error-handler.json');
const template = JSON.parse(readFileSync(new URL('../credentials.template.json', import.meta.url), 'utf8')) as Array<{
  id: string;
  type: string;
}>;

describe('the committed workflow files', () => {
  it('are what scripts/build-workflows.mjs generates from n8n/src (run it after editing)', () => {
    for (const [file, build] of Object.entries(workflows)) {
      expect(read(file), file).toEqual(JSON.parse(JSON.stringify(build())));
    }
  });

  it('hold no secrets, only references to the template credentials', () => {
    for (const workflow of [chatReply, errorHandler]) {
      const text = JSON.stringify(workflow);
      expect(text).not.toMatch(/"password"|Bearer [A-Za-z0-9]|whsec_[A-Za-z0-9+/]{8}|sk-[a-z0-9]{8}/i);
      for (const node of workflow.nodes) {
        for (const [type, ref] of Object.entries(node.credentials ?? {})) {
          expect(template.find((c) => c.id === ref.id)?.type, `${node.name} → ${type}`).toBe(
            type === 'httpHeaderAuth' ? 'httpHeaderAuth' : 'postgres',
          );
        }
      }
    }
  });

  it('send every failure of a working step to the fail-task path', () => {
    const risky = chatReply.nodes.filter((n) => n.onError === 'continueErrorOutput').map((n) => n.name);
    expect(risky).toEqual(['Start task', 'Read conversation', 'AI is thinking', 'Call LLM', 'Save reply and complete']);
    for (const name of risky) {
      const errorTarget = chatReply.connections[name]?.main[1]?.[0]?.node;
      expect(errorTarget, name).toMatch(/^Describe (LLM|step) failure$/);
      expect(chatReply.connections[errorTarget!]?.main[0]?.[0]?.node).toBe('Fail task');
    }
    expect(chatReply.settings.errorWorkflow).toBe(errorHandler.id);
    expect(errorHandler.id).toBe(ids.errorHandler);
  });

  it("call the LLM through the server's relay named in the dispatch, with a timeout that lasts until the attempt's deadline", () => {
    const call = chatReply.nodes.find((n) => n.name === 'Call LLM')!;
    expect(call.type).toBe('n8n-nodes-base.httpRequest');
    // Verify request puts the payload's llm.baseUrl there, or LLM_BASE_URL when the payload has none.
    expect(call.parameters.url).toBe("={{ $('Verify request').first().json.llm.baseUrl }}/chat/completions");
    expect((call.parameters.options as { timeout: unknown }).timeout).toBe("={{ $('Verify request').first().json.llm.timeoutMs }}");
    // The credential still goes with the request: the relay passes it upstream.
    expect(Object.keys(call.credentials ?? {})).toEqual(['httpHeaderAuth']);
    expect(JSON.stringify(chatReply)).not.toContain('settings.llmBaseUrl }}');
  });

  it('read the history from the task alone (task_conversation_history with the task, its attempt and the prompt budget), with the files of the signed dispatch', () => {
    const read = chatReply.nodes.find((n) => n.name === 'Read conversation')!;
    expect(String(read.parameters.query)).toContain('public.task_conversation_history($1::uuid, $2::int, $3::int, $4::int)');
    expect(String(read.parameters.query)).toContain("'image_url', jsonb_build_object('url', f->>'url')");
    const request = "$('Verify request').first().json";
    expect((read.parameters.options as { queryReplacement: string }).queryReplacement).toBe(
      `={{ [${request}.taskId, ${request}.attempt, ${request}.settings.historyLimit, ${request}.settings.promptMaxChars, JSON.stringify(${request}.attachments || [])] }}`,
    );
    for (const node of chatReply.nodes) expect(String(node.parameters.query ?? ''), node.name).not.toMatch(/[^_]conversation_history\(/);
  });

  it('show both status steps before the LLM is called', () => {
    const next = (name: string) => chatReply.connections[name]?.main[0]?.[0]?.node;
    const path: string[] = [];
    for (let node: string | undefined = 'Webhook'; node && node !== 'Call LLM'; node = next(node)) path.push(node);
    expect(path).toEqual([
      'Webhook',
      'Verify request',
      'Signed?',
      'Start task',
      'Started?',
      'Read conversation',
      'AI is thinking',
      'Still wanted?',
    ]);
    const query = (name: string) => String(chatReply.nodes.find((n) => n.name === name)!.parameters.query);
    expect(query('Start task')).toContain("'Reading the conversation…'");
    expect(query('AI is thinking')).toContain("'AI is thinking…'");
  });

  it('pass values to SQL only as query parameters', () => {
    for (const node of [...chatReply.nodes, ...errorHandler.nodes].filter((n) => n.type === 'n8n-nodes-base.postgres')) {
      expect(String(node.parameters.query), node.name).not.toContain('{{');
      expect((node.parameters.options as { queryReplacement: string }).queryReplacement, node.name).toMatch(/^=\{\{ \[.*\] \}\}$/s);
    }
  });
});

describe('fillCredentials', () => {
  it('fills the Postgres credential from a Supabase-style connection string', () => {
    const [pg, llm] = fillCredentials({
      databaseUrl: 'postgresql://n8n_worker.abcd:p%40ss%2Fword@aws-0-eu-central-1.pooler.supabase.com:5432/postgres?sslmode=require',
      llmApiKey: 'sk-or-test',
    });
    expect(pg!.data).toMatchObject({
      host: 'aws-0-eu-central-1.pooler.supabase.com',
      port: 5432,
      database: 'postgres',
      user: 'n8n_worker.abcd',
      password: 'p@ss/word',
      ssl: 'require',
      allowUnauthorizedCerts: false,
    });
    expect(llm!.data).toEqual({ name: 'Authorization', value: 'Bearer sk-or-test' });
  });

  it('defaults to no TLS on localhost and accepts sslmode=no-verify for self-signed servers', () => {
    expect(fillCredentials({ databaseUrl: 'postgres://w:x@127.0.0.1:6543/app' })[0]!.data).toMatchObject({ ssl: 'disable', port: 6543 });
    expect(fillCredentials({ databaseUrl: 'postgres://w:x@db.internal/app?sslmode=no-verify' })[0]!.data).toMatchObject({
      ssl: 'require',
      allowUnauthorizedCerts: true,
    });
  });

  it('refuses a missing or non-Postgres URL', () => {
    expect(() => fillCredentials({ databaseUrl: '' })).toThrow(/WORKER_DATABASE_URL/);
    expect(() => fillCredentials({ databaseUrl: 'mysql://a@b/c' })).toThrow(/postgres/);
  });
});
