/**
 * The package's entry point (`main`) for programs that embed the agent instead of running the CLI:
 * the CLI itself, the agent, config loading and the version. Everything else is internal.
 */
export { main } from './cli/main';
export { Agent } from './app/agent';
export { ConfigError, loadConfigFile, parseConfig, type LoadedConfig } from './app/config-load';
export type { ComposedConfig as AgentConfig } from './app/config-schema';
export { VERSION } from './version';
