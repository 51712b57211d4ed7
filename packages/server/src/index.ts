export { createApp, type AppDeps } from './app.js';
export { startServer, type RunningServer } from './server.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { signWebhook, verifyWebhook } from './webhooks/standard-webhooks.js';
