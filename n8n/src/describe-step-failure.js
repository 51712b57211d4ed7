// Code node "Describe step failure": a database step or the reply parsing failed. Retryable:
// the next attempt starts from scratch, and the worker functions ignore stale attempts.
const request = $('Verify request').first().json;
const error = $input.first().json.error || {};
const text = typeof error === 'string' ? error : [error.message, error.description].filter(Boolean).join(' — ');
const badReply = /LLM answered without any text/.test(text);
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
