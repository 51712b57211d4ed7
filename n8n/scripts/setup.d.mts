export declare const CHAT_REPLY_WORKFLOW_ID: string;
export declare const ERROR_HANDLER_WORKFLOW_ID: string;
export declare const WEBHOOK_PATH: string;
export declare function fillCredentials(options: { databaseUrl: string; llmApiKey?: string }): Array<{
  id: string;
  name: string;
  type: string;
  data: Record<string, unknown>;
}>;
export declare function setupN8n(options: {
  bin: string;
  env?: NodeJS.ProcessEnv;
  databaseUrl: string;
  llmApiKey?: string;
  activate?: boolean;
  log?: (text: string) => void;
}): Promise<void>;
