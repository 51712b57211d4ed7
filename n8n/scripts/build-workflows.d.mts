export declare const ids: {
  chatReply: string;
  errorHandler: string;
  postgresCredential: string;
  llmCredential: string;
  webhook: string;
};
export declare const webhookPath: string;
export declare const workflows: Record<string, () => Record<string, unknown>>;
