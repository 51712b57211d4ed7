import type { MessageView } from '../types.js';

/** Example texts shared by the stories. */
export const markdownReply = `Here is what I found:

## Plans

| Plan | Price | Seats |
|:-----|------:|:-----:|
| Free | 0 € | 1 |
| Team | 12 € | 10 |

1. **Sign up** at [our site](https://example.com/signup).
2. Pick a plan — you can *change it* any time.
   - Upgrades are ~~slow~~ immediate.

\`\`\`js
const chat = createChatSession({ client });
await chat.send('Hello');
\`\`\`

> Tip: use \`Shift+Enter\` for a new line.

![a tracking pixel](https://example.com/pixel.png)`;

export const longWords = `Pneumonoultramicroscopicsilicovolcanoconiosis and https://example.com/a/very/long/path/that/goes/on/and/on/without/any/spaces/at/all?query=string&with=many&parameters=1234567890 and AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;

/** A conversation of `n` exchanges. */
export function conversation(n: number): MessageView[] {
  return Array.from({ length: n }, (_, i) => [
    { id: `u${i}`, role: 'user' as const, content: `Question number ${i + 1}: how does step ${i + 1} work?`, delivery: 'sent' as const },
    { id: `a${i}`, role: 'assistant' as const, content: `Step ${i + 1} works like this: **first** you do one thing, *then* another.` },
  ]).flat();
}

/** A reply long enough to watch it stream: a heading, a table, a list and code. */
export const streamedReply = `## Plans

Each plan includes the chat widget and the **live status** of every reply.

| Plan | Price | Seats |
|:-----|------:|:-----:|
| Free | 0 € | 1 |
| **Team** | 12 € | 10 |

1. Start on *Free*.
2. Move to **Team** when you need more seats.

\`\`\`js
await chat.send('Upgrade me');
\`\`\``;
