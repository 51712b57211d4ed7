export declare const N8N_VERSION: string;
export declare function n8nInstallDir(): string;
export declare function n8nBin(dir?: string): string;
export declare function ensureN8n(options?: {
  log?: (text: string) => void;
}): Promise<{ dir: string; bin: string; reused: boolean; seconds: number }>;
