// Code node "Verify request" of the chat-reply workflow (copied into workflows/chat-reply.json by
// scripts/build-workflows.mjs). Checks the server's Standard-Webhooks-style signature over the
// raw body, then the payload shape. Needs NODE_FUNCTION_ALLOW_BUILTIN=crypto.
// Settings come from n8n's environment when it may be read; otherwise edit the defaults here.
const crypto = require('crypto');
const env = (name) => {
  try {
    const value = $env[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  } catch (error) {
    return undefined; // N8N_BLOCK_ENV_ACCESS_IN_NODE=true (n8n Cloud): use the defaults below
  }
};
const settings = {
  llmBaseUrl: (env('LLM_BASE_URL') || 'https://openrouter.ai/api/v1').replace(/\/+$/, ''),
  llmModel: env('LLM_MODEL') || 'openai/gpt-4o-mini',
  systemPrompt:
    env('LLM_SYSTEM_PROMPT') || 'You are a helpful assistant embedded in a website chat. Answer concisely.',
  historyLimit: Number(env('CHAT_HISTORY_LIMIT') || 30),
};
const secret = env('WEBHOOK_SECRET') || '';
const toleranceSeconds = 300;

const item = $input.first();
const headers = item.json.headers || {};
const reject = (reason) => [{ json: { valid: false, reason } }];

if (!secret) return reject('WEBHOOK_SECRET is not configured in n8n');
const id = String(headers['webhook-id'] || '');
const timestamp = String(headers['webhook-timestamp'] || '');
const signatures = String(headers['webhook-signature'] || '');
if (!id || !/^\d+$/.test(timestamp) || !signatures) return reject('missing webhook-id, webhook-timestamp or webhook-signature');
const age = Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp));
if (age > toleranceSeconds) return reject(`webhook-timestamp is ${age} s away from now (tolerance ${toleranceSeconds} s)`);

const rawBase64 = item.binary && item.binary.data && item.binary.data.data;
if (!rawBase64) return reject('the raw body is missing (enable "Raw Body" on the Webhook node)');
const raw = Buffer.from(rawBase64, 'base64').toString('utf8');
// Standard Webhooks: a `whsec_` prefix marks a base64 secret; any other value is used as UTF-8 bytes.
const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
const expected = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${raw}`).digest();
const matches = signatures.split(' ').some((entry) => {
  const [version, value] = entry.split(',');
  if (version !== 'v1' || !value) return false;
  const given = Buffer.from(value, 'base64');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
});
if (!matches) return reject('webhook-signature does not match');

let body;
try {
  body = JSON.parse(raw);
} catch (error) {
  return reject('the body is not JSON');
}
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (!uuid.test(String(body.taskId))) return reject('taskId is not a uuid');
if (!Number.isInteger(body.attempt) || body.attempt < 1) return reject('attempt is not a positive integer');
if (body.kind !== 'chat.reply') return reject(`this workflow handles kind "chat.reply", not "${body.kind}"`);
if (!uuid.test(String(body.conversationId))) return reject('conversationId is not a uuid (a chat.reply task names its conversation)');

return [
  {
    json: {
      valid: true,
      taskId: body.taskId,
      attempt: body.attempt,
      conversationId: body.conversationId,
      deadlineAt: body.deadlineAt || null,
      settings,
    },
  },
];
