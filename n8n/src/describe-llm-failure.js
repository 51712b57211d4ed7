// Code node "Describe LLM failure": turns the HTTP Request node's error (after its retries) into
// the task error the visitor sees. 5xx, 429, 408 and network errors are worth retrying later
// (llm_unavailable); any other 4xx means the request itself is refused (llm_rejected).
const request = $('Verify request').first().json;
const failed = $input.first().json;
const error = typeof failed.error === 'string' ? { message: failed.error } : failed.error || {};
const text = [...new Set([failed.message, error.message, error.description].filter(Boolean))].join(' — ');
let status = Number(error.httpCode || error.status || error.statusCode);
if (!Number.isInteger(status)) {
  const match = /^(\d{3})\b/.exec(String(error.message || '')) || /status code (\d{3})/i.exec(text);
  status = match ? Number(match[1]) : NaN;
}
const unavailable = !Number.isInteger(status) || status >= 500 || status === 429 || status === 408;
return [
  {
    json: {
      taskId: request.taskId,
      attempt: request.attempt,
      code: unavailable ? 'llm_unavailable' : 'llm_rejected',
      message: unavailable
        ? 'The AI service is not available right now. Please try again in a moment.'
        : 'The AI service refused the request, so no reply could be written.',
      retryable: unavailable,
      details: { status: Number.isInteger(status) ? status : null, error: text.slice(0, 500), executionId: $execution.id },
    },
  },
];
