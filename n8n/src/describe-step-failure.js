// Code node "Describe step failure": a database step failed, or the LLM's answer had no text
// (task_complete refuses an empty reply). Retryable:
// the next attempt starts from scratch, and the worker functions ignore stale attempts.
const request = $('Verify request').first().json;
// Error items: the Postgres node puts the database's message in json.message and the failed
// query in json.error.description; other nodes put {message, description} in json.error.
const failed = $input.first().json;
const error = typeof failed.error === 'string' ? { message: failed.error } : failed.error || {};
const text = [...new Set([failed.message, error.message, error.description].filter(Boolean))].join(' — ');
const badReply = /non-empty "content"/.test(text);
return [
  {
    json: {
      taskId: request.taskId,
      attempt: request.attempt,
      code: badReply ? 'llm_bad_response' : 'workflow_step_failed',
      message: badReply
        ? 'The AI service sent an empty answer. Please try again.'
        : 'The reply workflow hit an error while working on this message. Please try again.',
      retryable: true,
      details: { error: text.slice(0, 500), executionId: $execution.id },
    },
  },
];
