export { checkRequirement, requirements, postgresAdminUrl, CHROMIUM_PATH, type SystemRequirement } from './system-requirement.js';
export { launchChromium, CHROMIUM_ARGS } from './chromium.js';
export { freePort } from './free-port.js';
export { startProcess, type StartedProcess } from './child-process.js';
export { startPrivatePostgres, postgresBinDir, type PrivatePostgres, type PostgresStopMode } from './private-postgres.js';
