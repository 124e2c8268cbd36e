export { loadConfig, type LoadConfigOptions } from './config/load-config.ts';
export { parseModelFlag } from './config/parse-model-flag.ts';
export type { PlumbConfig } from './config/plumb-config.ts';
export { createApp, type AppDependencies } from './create-app.ts';
export { startServer, type RunningServer } from './start-server.ts';
export { createLogger } from './http/create-logger.ts';
export type { Principal } from './http/principal.ts';
export { plumbVersion } from './plumb-version.ts';
export { openStorage, type Storage } from './storage/index.ts';
