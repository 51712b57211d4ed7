// Code node "Verify request" of the chat-reply workflow (copied into workflows/chat-reply.json by
// scripts/build-workflows.mjs). Checks the server's Standard-Webhooks-style signature over the
// raw body, then the payload shape. Uses Node's crypto when the Code node may load it
// (NODE_FUNCTION_ALLOW_BUILTIN=crypto) and a plain-JavaScript HMAC-SHA256 otherwise (n8n Cloud).

// ── Settings ────────────────────────────────────────────────────────────────────────────────
// Read from n8n's environment. Where the Code node may not read it (N8N_BLOCK_ENV_ACCESS_IN_NODE,
// n8n Cloud), fill in the values here. WEBHOOK_SECRET must equal the server's WEBHOOK_SECRET.
const DEFAULTS = {
  WEBHOOK_SECRET: '',
  LLM_BASE_URL: 'https://openrouter.ai/api/v1',
  LLM_MODEL: 'openai/gpt-4o-mini',
  LLM_SYSTEM_PROMPT: 'You are a helpful assistant embedded in a website chat. Answer concisely.',
  CHAT_HISTORY_LIMIT: '30',
  // The characters of history one prompt carries, as the server's PROMPT_MAX_CHARS.
  PROMPT_MAX_CHARS: '24000',
};
// ─────────────────────────────────────────────────────────────────────────────────────────────

const hmacSha256 = (() => {
  try {
    const crypto = require('crypto');
    return (key, data) => crypto.createHmac('sha256', key).update(data).digest();
  } catch (error) {
    return (key, data) => pureHmacSha256(key, Buffer.from(data, 'utf8'));
  }
})();

function pureSha256(bytes) {
  const k = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
  ];
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const length = bytes.length;
  const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
  padded.set(bytes);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
  view.setUint32(padded.length - 4, (length << 3) >>> 0);
  const w = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = (h[0] + a) >>> 0;
    h[1] = (h[1] + b) >>> 0;
    h[2] = (h[2] + c) >>> 0;
    h[3] = (h[3] + d) >>> 0;
    h[4] = (h[4] + e) >>> 0;
    h[5] = (h[5] + f) >>> 0;
    h[6] = (h[6] + g) >>> 0;
    h[7] = (h[7] + hh) >>> 0;
  }
  const out = Buffer.alloc(32);
  h.forEach((value, i) => out.writeUInt32BE(value, i * 4));
  return out;
}

function pureHmacSha256(key, message) {
  let block = key.length > 64 ? pureSha256(key) : key;
  const padded = Buffer.alloc(64);
  Buffer.from(block).copy(padded);
  const inner = Buffer.alloc(64);
  const outer = Buffer.alloc(64);
  for (let i = 0; i < 64; i++) {
    inner[i] = padded[i] ^ 0x36;
    outer[i] = padded[i] ^ 0x5c;
  }
  return pureSha256(Buffer.concat([outer, pureSha256(Buffer.concat([inner, message]))]));
}

const constantTimeEqual = (a, b) => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
};

const setting = (name) => {
  try {
    const value = $env[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  } catch (error) {
    // environment access is blocked: the defaults above apply
  }
  return DEFAULTS[name];
};
const settings = {
  llmBaseUrl: String(setting('LLM_BASE_URL')).replace(/\/+$/, ''),
  llmModel: setting('LLM_MODEL'),
  systemPrompt: setting('LLM_SYSTEM_PROMPT'),
  historyLimit: Number(setting('CHAT_HISTORY_LIMIT')) || 30,
  promptMaxChars: Number(setting('PROMPT_MAX_CHARS')) || 24000,
};
const secret = setting('WEBHOOK_SECRET') || '';
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
// contracts.md §4: the key is the secret's UTF-8 bytes, whatever it looks like.
const key = Buffer.from(secret, 'utf8');
const expected = hmacSha256(key, `${id}.${timestamp}.${raw}`);
const matches = signatures.split(' ').some((entry) => {
  const [version, value] = entry.split(',');
  if (version !== 'v1' || !value) return false;
  const given = Buffer.from(value, 'base64');
  return constantTimeEqual(given, expected);
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

// The LLM call goes to the server's relay for this attempt when the payload names one: the relay
// streams the reply into the task while it is written, and answers like the LLM once it is done.
// A payload without one (an older server) calls LLM_BASE_URL directly; the reply then appears at once.
const relay = body.llm && typeof body.llm.baseUrl === 'string' && /^https?:\/\/\S+$/.test(body.llm.baseUrl) ? body.llm.baseUrl : null;
// The call may take until the attempt's deadline (a streamed reply is not limited to a short
// request); past it the relay answers itself, the 5 s margin leaves room for that answer.
const deadline = Date.parse(body.deadlineAt || '');
const timeoutMs = Number.isFinite(deadline) ? Math.max(5000, deadline - Date.now() + 5000) : 125000;

// The files on the message being answered, each with a download URL of the server (signed, short-lived).
// Images are passed to the model by that URL; the server's relay turns it into the image itself.
const attachments = (Array.isArray(body.attachments) ? body.attachments : [])
  .filter((a) => a && uuid.test(String(a.id)) && typeof a.url === 'string' && /^https?:\/\/\S+$/.test(a.url))
  .map((a) => ({
    id: a.id,
    filename: String(a.filename || 'file'),
    mediaType: String(a.mediaType || 'application/octet-stream'),
    inline: a.inline === true,
    url: a.url,
  }));

// The site's metadata of the message being answered (a JSON object the visitor's browser sent, or
// null): visible to the visitor and never an identity. LLM_SYSTEM_PROMPT may name its keys as
// {{metadata.<key>}} (a dotted path for nested ones); each becomes that value (a string as it is,
// anything else as JSON, at most 500 characters; nothing when absent), as the server's runner does.
const metadata = body.metadata && typeof body.metadata === 'object' && !Array.isArray(body.metadata) ? body.metadata : null;
settings.systemPrompt = String(settings.systemPrompt || '').replace(
  /\{\{\s*metadata\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g,
  (_, path) => {
    let value = metadata;
    for (const key of path.split('.')) {
      value = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
    }
    if (value === undefined || value === null) return '';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  },
);

return [
  {
    json: {
      valid: true,
      taskId: body.taskId,
      attempt: body.attempt,
      conversationId: body.conversationId,
      deadlineAt: body.deadlineAt || null,
      llm: { baseUrl: (relay || settings.llmBaseUrl).replace(/\/+$/, ''), relayed: relay !== null, timeoutMs },
      attachments,
      metadata,
      settings,
    },
  },
];
