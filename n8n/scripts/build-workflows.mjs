#!/usr/bin/env node
// Writes workflows/chat-reply.json and workflows/error-handler.json from the definitions below
// and the Code node sources in src/. The JSON files are committed (they are what people import);
// `node n8n/scripts/build-workflows.mjs --check` fails when they are out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const code = (name) => readFileSync(join(root, 'src', `${name}.js`), 'utf8');

export const ids = {
  chatReply: 'AsyncChatReply01',
  errorHandler: 'AsyncChatErrors1',
  postgresCredential: 'AsyncChatPgWork1',
  llmCredential: 'AsyncChatLlmKey1',
  webhook: '5d0c4a57-6b8e-4f0e-9a51-3c2f0b7e4a10',
};
export const webhookPath = 'async-chat/chat-reply';

const postgres = { postgres: { id: ids.postgresCredential, name: 'Async chat · Postgres (async_worker)' } };
const llm = { httpHeaderAuth: { id: ids.llmCredential, name: 'Async chat · LLM API key' } };
const request = "$('Verify request').first().json";

let counter = 0;
const node = (name, type, typeVersion, position, parameters, extra = {}) => ({
  parameters,
  id: `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`,
  name,
  type,
  typeVersion,
  position,
  ...extra,
});
const sql = (name, position, query, replacement, extra = {}) =>
  node(
    name,
    'n8n-nodes-base.postgres',
    2.6,
    position,
    { operation: 'executeQuery', query, options: { queryReplacement: `={{ ${replacement} }}` } },
    { credentials: postgres, ...extra },
  );
const ifTrue = (name, position, expression) =>
  node(name, 'n8n-nodes-base.if', 2.2, position, {
    conditions: {
      options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
      conditions: [
        {
          id: `cond-${counter + 1}`,
          leftValue: `={{ ${expression} }}`,
          rightValue: '',
          operator: { type: 'boolean', operation: 'true', singleValue: true },
        },
      ],
      combinator: 'and',
    },
    options: {},
  });
const codeNode = (name, position, file, extra = {}) => node(name, 'n8n-nodes-base.code', 2, position, { jsCode: code(file) }, extra);
const noOp = (name, position) => node(name, 'n8n-nodes-base.noOp', 1, position, {});
const onError = { onError: 'continueErrorOutput' };

function chatReply() {
  counter = 0;
  const nodes = [
    node(
      'Webhook',
      'n8n-nodes-base.webhook',
      2,
      [0, 300],
      { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: { rawBody: true } },
      { webhookId: ids.webhook },
    ),
    codeNode('Verify request', [220, 300], 'verify-request'),
    ifTrue('Signed?', [440, 300], '$json.valid'),
    node('Reject unsigned request', 'n8n-nodes-base.stopAndError', 1, [660, 500], {
      errorMessage: '=Rejected the request: {{ $json.reason }}',
    }),
    sql(
      'Start task',
      [660, 300],
      "select public.task_start($1::uuid, $2::int, $3::text, 'Reading the conversation…') as started",
      `[${request}.taskId, ${request}.attempt, $execution.id]`,
      onError,
    ),
    ifTrue('Started?', [880, 300], '$json.started'),
    noOp('Stale attempt: stop', [1100, 500]),
    sql(
      'Read conversation',
      [1100, 300],
      // Read from the task alone: its own conversation, up to the message it answers; nothing for
      // an attempt that is no longer live. The message it answers (the last user message) carries
      // its files ($5): a note naming each, and each image as an image_url part by its download URL.
      'with h as (\n' +
        "  select h.* from public.task_conversation_history($1::uuid, $2::int, $3::int, $4::int) as h where h.role in ('user', 'assistant')\n" +
        "), files as (select coalesce($5::jsonb, '[]'::jsonb) as list)\n" +
        "select coalesce(jsonb_agg(jsonb_build_object('role', h.role, 'content',\n" +
        "  case when h.seq = (select max(seq) from h where role = 'user') and jsonb_array_length((select list from files)) > 0\n" +
        "    then jsonb_build_array(jsonb_build_object('type', 'text', 'text', h.content))\n" +
        '      || (select jsonb_agg(p) from jsonb_array_elements((select list from files)) f,\n' +
        "          lateral (select jsonb_build_object('type', 'text', 'text', '[Attached ' || case when (f->>'inline')::boolean then 'image' else 'file' end || ': ' || (f->>'filename') || ']') as p\n" +
        '                   union all\n' +
        "                   select jsonb_build_object('type', 'image_url', 'image_url', jsonb_build_object('url', f->>'url')) where (f->>'inline')::boolean) parts)\n" +
        "    else to_jsonb(h.content) end) order by h.seq), '[]'::jsonb) as messages\n" +
        '  from h',
      `[${request}.taskId, ${request}.attempt, ${request}.settings.historyLimit, ${request}.settings.promptMaxChars, JSON.stringify(${request}.attachments || [])]`,
      onError,
    ),
    sql(
      'AI is thinking',
      [1320, 300],
      "select public.task_progress($1::uuid, $2::int, 'AI is thinking…') as live",
      `[${request}.taskId, ${request}.attempt]`,
      onError,
    ),
    ifTrue('Still wanted?', [1540, 300], '$json.live'),
    sql(
      'Acknowledge cancel',
      [1760, 500],
      'select public.task_cancel($1::uuid, $2::int) as cancelled',
      `[${request}.taskId, ${request}.attempt]`,
    ),
    node(
      'Call LLM',
      'n8n-nodes-base.httpRequest',
      4.2,
      [1760, 300],
      {
        method: 'POST',
        // The server's relay for this attempt (streams into the task), else LLM_BASE_URL.
        url: `={{ ${request}.llm.baseUrl }}/chat/completions`,
        authentication: 'genericCredentialType',
        genericAuthType: 'httpHeaderAuth',
        sendBody: true,
        specifyBody: 'json',
        jsonBody:
          `={{ JSON.stringify({ model: ${request}.settings.llmModel, messages: ` +
          `[{ role: 'system', content: ${request}.settings.systemPrompt }].concat($('Read conversation').first().json.messages) }) }}`,
        options: { timeout: `={{ ${request}.llm.timeoutMs }}` },
      },
      { credentials: llm, retryOnFail: true, maxTries: 3, waitBetweenTries: 1000, ...onError },
    ),
    sql(
      'Save reply and complete',
      [1980, 300],
      // The reply text, trimmed to the 16,000 characters a chat message holds. An empty answer
      // makes task_complete raise (22023), which the error path reports as llm_bad_response.
      'select public.task_complete($1::uuid, $2::int, jsonb_build_object(\n' +
        "  'content', case when char_length(btrim($3::text)) > 16000 then left(btrim($3::text), 15999) || '…' else btrim($3::text) end,\n" +
        "  'model', nullif($4::text, ''))) as completed",
      `[${request}.taskId, ${request}.attempt, ` +
        "($json.choices && $json.choices[0] && $json.choices[0].message && $json.choices[0].message.content) || '', " +
        "$json.model || '']",
      onError,
    ),
    noOp('Done', [2200, 300]),
    codeNode('Describe LLM failure', [1980, 700], 'describe-llm-failure'),
    codeNode('Describe step failure', [1980, 900], 'describe-step-failure'),
    sql(
      'Fail task',
      [2200, 800],
      'select public.task_fail($1::uuid, $2::int, $3::text, $4::text, $5::boolean, $6::jsonb) as failed',
      '[$json.taskId, $json.attempt, $json.code, $json.message, $json.retryable, JSON.stringify($json.details)]',
    ),
  ];
  const main = (...targets) => ({ main: targets.map((t) => (t ? [{ node: t, type: 'main', index: 0 }] : [])) });
  const connections = {
    Webhook: main('Verify request'),
    'Verify request': main('Signed?'),
    'Signed?': main('Start task', 'Reject unsigned request'),
    'Start task': main('Started?', 'Describe step failure'),
    'Started?': main('Read conversation', 'Stale attempt: stop'),
    'Read conversation': main('AI is thinking', 'Describe step failure'),
    'AI is thinking': main('Still wanted?', 'Describe step failure'),
    'Still wanted?': main('Call LLM', 'Acknowledge cancel'),
    'Call LLM': main('Save reply and complete', 'Describe LLM failure'),
    'Save reply and complete': main('Done', 'Describe step failure'),
    'Describe LLM failure': main('Fail task'),
    'Describe step failure': main('Fail task'),
  };
  return {
    id: ids.chatReply,
    name: 'Async chat · Chat reply',
    nodes,
    connections,
    active: false,
    settings: {
      executionOrder: 'v1',
      errorWorkflow: ids.errorHandler,
      saveDataErrorExecution: 'all',
      saveDataSuccessExecution: 'all',
      saveManualExecutions: true,
      callerPolicy: 'workflowsFromSameOwner',
    },
    pinData: {},
    meta: { templateCredsSetupCompleted: true },
    tags: [],
  };
}

function errorHandler() {
  counter = 100;
  const nodes = [
    node('Error Trigger', 'n8n-nodes-base.errorTrigger', 1, [0, 300], {}),
    ifTrue(
      'About a task?',
      [220, 300],
      "$json.execution && $json.execution.id && $json.execution.lastNodeExecuted !== 'Reject unsigned request'",
    ),
    sql(
      'Fail the crashed task',
      [440, 200],
      "select public.task_fail_execution($1::text, 'workflow_crashed', $2::text, true, $3::jsonb) as failed",
      "[String($json.execution.id), 'The reply workflow stopped unexpectedly. Please try again.', " +
        'JSON.stringify({ executionId: String($json.execution.id), workflowId: $json.workflow.id, ' +
        'lastNode: $json.execution.lastNodeExecuted || null, error: String(($json.execution.error || {}).message || "").slice(0, 500) })]',
    ),
    noOp('Not a task execution', [440, 420]),
  ];
  return {
    id: ids.errorHandler,
    name: 'Async chat · Error handler',
    nodes,
    connections: {
      'Error Trigger': { main: [[{ node: 'About a task?', type: 'main', index: 0 }]] },
      'About a task?': {
        main: [[{ node: 'Fail the crashed task', type: 'main', index: 0 }], [{ node: 'Not a task execution', type: 'main', index: 0 }]],
      },
    },
    active: false,
    settings: { executionOrder: 'v1', saveDataErrorExecution: 'all', saveDataSuccessExecution: 'all' },
    pinData: {},
    meta: { templateCredsSetupCompleted: true },
    tags: [],
  };
}

export const workflows = { 'chat-reply.json': chatReply, 'error-handler.json': errorHandler };

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, build] of Object.entries(workflows)) {
    const path = join(root, 'workflows', file);
    const text = `${JSON.stringify(build(), null, 2)}\n`;
    if (check) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {}
      if (current !== text) {
        console.error(`out of date: n8n/workflows/${file} (run node n8n/scripts/build-workflows.mjs)`);
        stale++;
      }
    } else {
      writeFileSync(path, text);
      console.log(`wrote n8n/workflows/${file}`);
    }
  }
  process.exit(stale ? 1 : 0);
}
