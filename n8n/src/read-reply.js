// Code node "Read reply": the assistant text of an OpenAI-compatible answer, trimmed to the
// 16,000 characters a chat message may hold. An answer without text is an error (error output).
const answer = $input.first().json;
const choice = Array.isArray(answer.choices) ? answer.choices[0] : undefined;
const content = choice && choice.message && typeof choice.message.content === 'string' ? choice.message.content.trim() : '';
if (!content) {
  throw new Error('The LLM answered without any text (no choices[0].message.content).');
}
const max = 16000;
return [
  {
    json: {
      result: {
        content: content.length > max ? `${content.slice(0, max - 1)}…` : content,
        model: answer.model || null,
        usage: answer.usage || null,
      },
    },
  },
];
