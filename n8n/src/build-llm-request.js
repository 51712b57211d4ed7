// Code node "Build LLM request": the OpenAI-compatible chat-completions body from the settings
// and the conversation (oldest first). Only user and assistant turns go to the model.
const request = $('Verify request').first().json;
const history = $('Read conversation').first().json.messages || [];
const messages = [{ role: 'system', content: request.settings.systemPrompt }];
for (const message of history) {
  if (message.role === 'user' || message.role === 'assistant') {
    messages.push({ role: message.role, content: message.content });
  }
}
return [
  {
    json: {
      url: `${request.settings.llmBaseUrl}/chat/completions`,
      body: { model: request.settings.llmModel, messages },
    },
  },
];
